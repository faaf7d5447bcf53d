import ClusterKit
import Foundation

/// Where training and evaluation data come from, as `--data` names it:
///
/// - `nb201`: the NAS-Bench-201 latency table under the data root; `neusight`: NeuSight's labels
///   under the data root; `torchvision`: the torchvision GPU benchmark's timings under the data
///   root (``PerfDataset/torchvisionGPU(timings:catalog:)``); `gpu-throughput`: the single-GPU
///   training rows of Lambda's and MLPerf's benchmarks (``PerfDataset/gpuThroughput(path:catalog:)``);
///   `gpumemnet`: GPUMemNet's A100 MLP runs, memory and SM utilization (``PerfDataset/gpuMemNet(path:catalog:)``); `augur`: the project's own
///   measurements (`data/measurements`);
/// - a path: a CSV in the layout of `nb201-latency/latency_ms.csv` (an `arch` column), a
///   measurement CSV of `tools/measure` (a `config_id` column) or a directory of them, or a
///   NeuSight `labels` directory (one sub-directory per GPU).
public enum PerfDataSource {
    public struct Options: Sendable {
        public var root: DataRoot
        public var catalog: DeviceCatalog
        /// Directory of the harness's exported graphs.
        public var graphs = "data/graphs/onnx"
        /// Read every N-th row of latency tables (1: all).
        public var nb201Stride = 1
        /// Device columns of latency tables to read (nil: all).
        public var columns: Set<String>?
        public init(root: DataRoot, catalog: DeviceCatalog) {
            self.root = root
            self.catalog = catalog
        }
    }

    /// Loads and concatenates the named sources.
    public static func load(_ specs: [String], options: Options) throws -> PerfDataset {
        var data = PerfDataset()
        for spec in specs { data.append(try load(spec, options: options)) }
        return data
    }

    /// Loads one source.
    public static func load(_ spec: String, options o: Options) throws -> PerfDataset {
        switch spec {
        case "nb201": return try PerfDataset.nb201(path: o.root.nb201Latency, catalog: o.catalog, stride: o.nb201Stride, columns: o.columns)
        case "neusight": return try PerfDataset.neusight(labels: o.root.neusightLabels, catalog: o.catalog)
        case "torchvision": return try PerfDataset.torchvisionGPU(timings: o.root.torchvisionTimings, catalog: o.catalog)
        case "gpu-throughput": return try PerfDataset.gpuThroughput(path: o.root.gpuThroughput, catalog: o.catalog)
        case "gpumemnet": return try PerfDataset.gpuMemNet(path: o.root.gpuMemNet, catalog: o.catalog)
        case "augur": return try PerfDataset.augur(measurements: "data/measurements", graphs: o.graphs, catalog: o.catalog).data
        default: break
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: spec, isDirectory: &isDir) else {
            throw InputError(file: spec, reason: "no such file or directory (data sources: nb201, neusight, torchvision, gpu-throughput, gpumemnet, augur, or a path)")
        }
        if isDir.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: spec)) ?? []
            if names.contains(where: { $0.hasSuffix(".csv") }) {
                return try PerfDataset.augur(measurements: spec, graphs: o.graphs, catalog: o.catalog).data
            }
            return try PerfDataset.neusight(labels: spec, catalog: o.catalog)
        }
        let header = try TextFile.read(spec).prefix { $0 != "\n" && $0 != "\r\n" }.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if header.contains("arch") { return try PerfDataset.nb201(path: spec, catalog: o.catalog, stride: o.nb201Stride, columns: o.columns) }
        if header.contains("config_id") { return try PerfDataset.augur(measurements: spec, graphs: o.graphs, catalog: o.catalog).data }
        throw InputError(file: spec, line: 1, reason: "header has neither an 'arch' column (latency table) nor 'config_id' (Augur measurements)")
    }
}
