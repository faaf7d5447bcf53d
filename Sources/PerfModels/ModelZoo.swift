import ClusterKit
import Foundation
import ModelGraph

/// Finds the computation graph of a model configuration, for predictors that read graphs.
///
/// - `augur-<architecture>`: the graph the measurement harness exported
///   (`data/graphs/onnx/<architecture>.onnx`), at the configuration's batch size.
/// - `nb201-<index>`: the NAS-Bench-201 network of that architecture (strings from the
///   NAS-Bench-201 latency table under the data root).
/// - a Swift-built zoo name (`resnet50`, `bert-large-s384`, `mpt-7b-s2048`: ``GraphSource/builtIn(_:batchSize:)``).
/// - `<model>-s<seq>` (NeuSight transformers): the operator graph NeuSight recorded for that
///   model, mode, sequence length and batch size on any GPU, its layer repeated `num_layer` times.
///
/// Other configurations (Gavel's job types) have no graph: `graph(for:)` returns nil.
/// Graphs are cached; the zoo is safe to share across threads.
public final class ModelZoo: @unchecked Sendable {
    public let data: DataRoot
    public let graphsDirectory: String
    private let lock = NSLock()
    private var cache: [ModelConfig: ModelGraph?] = [:]
    private var nb201Architectures: [Int: String]?

    public init(data: DataRoot, graphsDirectory: String = "data/graphs/onnx") {
        self.data = data
        self.graphsDirectory = Installation.resolve(graphsDirectory)
    }

    /// The graph of `config`, or nil when the zoo has none. Throws when a graph file exists
    /// but cannot be read.
    public func graph(for config: ModelConfig) throws -> ModelGraph? {
        lock.lock()
        if let cached = cache[config] { lock.unlock(); return cached }
        lock.unlock()
        let graph = try build(config)
        lock.lock()
        cache[config] = graph
        lock.unlock()
        return graph
    }

    private func build(_ config: ModelConfig) throws -> ModelGraph? {
        let model = config.model
        if model.hasPrefix("augur-") {
            let path = (graphsDirectory as NSString).appendingPathComponent(String(model.dropFirst(6)) + ".onnx")
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            return try ONNXImporter.load(path: path, batchSize: config.batchSize)
        }
        if let graph = try GraphSource.builtIn(model, batchSize: config.batchSize) { return graph }
        if model.hasPrefix("nb201-"), let index = Int(model.dropFirst(6)) {
            guard let arch = try nb201Architecture(index) else { return nil }
            return try NB201.graph(arch: arch, batchSize: config.batchSize, executed: true)
        }
        if let range = model.range(of: "-s", options: .backwards), let seq = Int(model[range.upperBound...]) {
            let name = model[..<range.lowerBound]
            let file = "\(name)-\(config.mode == .train ? "train" : "inf")-\(seq)-\(config.batchSize).csv"
            let labels = data.neusightLabels
            for gpu in (try? FileManager.default.contentsOfDirectory(atPath: labels))?.sorted() ?? [] {
                let csv = "\(labels)/\(gpu)/\(file)"
                if FileManager.default.fileExists(atPath: csv) { return try NeuSightGraph.load(csv: csv) }
            }
        }
        return nil
    }

    private func nb201Architecture(_ index: Int) throws -> String? {
        lock.lock()
        defer { lock.unlock() }
        if nb201Architectures == nil {
            var table: [Int: String] = [:]
            if FileManager.default.fileExists(atPath: data.nb201Latency) {
                let csv = try CSVTable(text: TextFile.read(data.nb201Latency), path: data.nb201Latency)
                let ci = try csv.column("arch_index"), ca = try csv.column("arch")
                for row in csv.rows { table[try row.int(ci, "arch_index", in: csv)] = String(try row.string(ca, "arch", in: csv)) }
            }
            nb201Architectures = table
        }
        return nb201Architectures?[index]
    }
}
