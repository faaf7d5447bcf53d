import Foundation

/// Where Augur finds the public datasets and traces it reads in place: the `--data` flag, else
/// the `AUGUR_DATA` environment variable, else `../shared` (beside the repository root).
public struct DataRoot: Sendable {
    public var path: String

    public init(path: String) { self.path = path }

    public static func resolve(flag: String? = nil) -> DataRoot {
        if let flag, !flag.isEmpty { return DataRoot(path: flag) }
        if let env = ProcessInfo.processInfo.environment["AUGUR_DATA"], !env.isEmpty { return DataRoot(path: env) }
        if FileManager.default.fileExists(atPath: "../shared") { return DataRoot(path: "../shared") }
        return DataRoot(path: ((Installation.root.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("shared"))
    }

    public func file(_ relative: String) -> String { (path as NSString).appendingPathComponent(relative) }

    public var gavelThroughputs: String { file("datasets/gavel/simulation_throughputs.json") }
    public var nb201Latency: String { file("datasets/nb201-latency/latency_ms.csv") }
    public var neusightLabels: String { file("datasets/neusight/labels") }
    public var torchvisionTimings: String { file("datasets/torchvision-gpu-benchmark/timings.csv") }
    public var gpuThroughput: String { file("datasets/gpu-training-throughput/throughput.csv") }
    public var gpuMemNet: String { file("datasets/gpumemnet-mlp/mlp_runs.csv") }
    public var lucidSingle: String { file("datasets/lucid/single_data.csv") }
    public var lucidColocate: String { file("datasets/lucid/colocate_info.csv") }
    public var phillyTrace: String { file("traces/philly/philly.csv") }
    public var alibabaNodeList: String { file("traces/alibaba-gpu-2023/openb_node_list_gpu_node.csv") }

    public var exists: Bool { FileManager.default.fileExists(atPath: path) }
}
