import ClusterKit
import Foundation
import ModelGraph

/// A trained ``PerfModel`` behind the simulator's seam: answers `PerformanceQuery`s by finding
/// the configuration's graph in the ``ModelZoo``, featurizing it at the query's batch size and
/// running the model on every query of a call as one disjoint batch.
///
/// Answers nil where the zoo has no graph for the model or the device is neither in the
/// catalog nor known to the model. Memory and utilization are given where the model was trained
/// on them. Thread-safe (one lock around the model).
public final class GNNPredictor: PerformancePredictor, @unchecked Sendable {
    public let model: PerfModel
    public let zoo: ModelZoo
    public let catalog: DeviceCatalog
    public let name: String
    private let lock = NSLock()
    private var graphs: [String: GraphFeatures?] = [:]
    private var answers: [PerformanceQuery: PerformanceEstimate?] = [:]

    public init(model: PerfModel, zoo: ModelZoo, catalog: DeviceCatalog, name: String = "gnn") {
        self.model = model
        self.zoo = zoo
        self.catalog = catalog
        self.name = name
    }

    /// Loads a model directory (see ``Checkpoint``).
    public convenience init(directory: String, zoo: ModelZoo, catalog: DeviceCatalog) throws {
        let (model, _) = try Checkpoint.load(directory)
        self.init(model: model, zoo: zoo, catalog: catalog, name: "gnn:" + (directory as NSString).lastPathComponent)
    }

    private func graph(_ config: ModelConfig) -> GraphFeatures? {
        let key = "\(config.model)|\(config.batchSize)"
        if let cached = graphs[key] { return cached }
        let g = (try? zoo.graph(for: config)).flatMap { $0 }.map { GraphFeaturizer.features(of: $0, batchSize: config.batchSize) }
        graphs[key] = g
        return g
    }

    /// Answers are cached per query: the simulator asks the same questions many times, and a
    /// cached answer does not depend on which other queries shared its first batch.
    public func estimate(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?] {
        lock.lock()
        defer { lock.unlock() }
        let missing = Array(Set(queries.filter { answers[$0] == nil })).sorted()
        if !missing.isEmpty {
            for (q, a) in zip(missing, predict(missing)) { answers[q] = a }
        }
        return queries.map { answers[$0] ?? nil }
    }

    private func predict(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?] {
        var data = PerfDataset()
        var graphIndex: [String: Int] = [:]
        var rows: [Int?] = []
        for q in queries {
            guard let features = graph(q.config), model.canPredict(q.device, catalog: catalog) else {
                rows.append(nil)
                continue
            }
            let key = "\(q.config.model)|\(q.config.batchSize)"
            let g = graphIndex[key] ?? {
                data.graphs.append(features)
                data.info.append(.init(model: q.config.model, family: "", batchSize: q.config.batchSize, hasOperatorLabels: false))
                graphIndex[key] = data.graphs.count - 1
                return data.graphs.count - 1
            }()
            let prior = PerfDataset.priors(profile: features.profile, mode: q.config.mode, precision: q.config.precision, spec: catalog[q.device])
            data.samples.append(PerfSample(graph: g, device: q.device, batchSize: q.config.batchSize, mode: q.config.mode,
                                           precision: q.config.precision, priorTime: prior.time, priorMemory: prior.memory))
            rows.append(data.samples.count - 1)
        }
        guard !data.samples.isEmpty, let predictions = try? model.predict(data, samples: Array(data.samples.indices), catalog: catalog) else {
            return queries.map { _ in nil }
        }
        return rows.map { r in
            guard let r, let t = predictions[r].time, t.isFinite, t > 0 else { return nil }
            let p = predictions[r]
            let interval = p.timeLower.flatMap { lo in p.timeUpper.map { EstimateInterval(lower: lo, upper: $0) } }
            return PerformanceEstimate(timePerIteration: t, peakMemoryBytes: p.memory.flatMap { $0.isFinite ? Int64($0) : nil },
                                       smUtilization: p.utilization, timeInterval: interval)
        }
    }
}
