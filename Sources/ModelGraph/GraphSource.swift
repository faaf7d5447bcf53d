import Foundation

/// Where a graph for a prediction comes from, by the name a user writes: an ONNX file
/// (`.onnx`), a graph in Augur's JSON form (`.json`), a NAS-Bench-201 cell (`nb201:ARCH`), or
/// a Swift-built zoo model (`resnet50`, or `resnet50-r320` for 320×320 inputs; ``ResNet``), or
/// a model of the exported torchvision zoo by name (`densenet121`: `data/graphs/zoo/NAME.onnx`,
/// at the resolution it was exported at).
public enum GraphSource {
    /// The zoo names `load` builds in Swift.
    public static var builtInNames: [String] { ResNet.configs.keys.sorted() }

    /// Where the exported zoo's ONNX files are (`tools/onnx/export_zoo.py`).
    public static let zooDirectory = "data/graphs/zoo"

    /// The graph `spec` names, at `batchSize`. A relative file path is looked up in the current
    /// directory, then beside `relativeTo` (a file, e.g. the query CSV naming it).
    /// `zoo` is the folder of exported zoo models (callers pass it resolved against the
    /// installation, see `Installation` in ClusterKit).
    public static func load(_ spec: String, batchSize: Int, relativeTo: String? = nil, zoo: String = zooDirectory) throws -> ModelGraph {
        if spec.hasPrefix("nb201:") {
            return try NB201.graph(arch: String(spec.dropFirst(6)), batchSize: batchSize, executed: true)
        }
        if spec.hasSuffix(".onnx") || spec.hasSuffix(".json") {
            var path = spec
            if !FileManager.default.fileExists(atPath: path), !spec.hasPrefix("/"), let base = relativeTo {
                let beside = ((base as NSString).deletingLastPathComponent as NSString).appendingPathComponent(spec)
                if FileManager.default.fileExists(atPath: beside) { path = beside }
            }
            return spec.hasSuffix(".json") ? try ModelGraph(jsonFile: path) : try ONNXImporter.load(path: path, batchSize: batchSize)
        }
        var name = spec, resolution = 224
        if let r = spec.range(of: "-r", options: .backwards), let value = Int(spec[r.upperBound...]) {
            name = String(spec[..<r.lowerBound])
            resolution = value
        }
        if let config = ResNet.configs[name] {
            return try ResNet.graph(config, batchSize: batchSize, resolution: resolution, name: name)
        }
        let exported = "\(zoo)/\(spec).onnx"
        if !spec.contains("/"), FileManager.default.fileExists(atPath: exported) {
            return try ONNXImporter.load(path: exported, batchSize: batchSize)
        }
        throw ModelGraphError.invalidSpec(source: spec, field: "graph",
                                          reason: "not an .onnx or .json file, nb201:ARCH, a built-in model (\(builtInNames.joined(separator: ", ")), optionally -rRESOLUTION) or a model in \(zoo)")
    }
}
