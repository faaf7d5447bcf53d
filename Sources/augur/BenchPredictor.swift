import ArgumentParser
import ClusterKit
import Foundation
import ModelGraph
import PerfModels
import Tensors

struct BenchPredictor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predictor",
        abstract: "Featurize-and-predict latency of one ~100-node graph, and batched throughput; prints figures.")

    @Option(help: "Model directory (default: a freshly initialized SeerNet of the default size).")
    var model: String?

    @Option(help: "Directory of ONNX graphs to pick the graph from.")
    var graphs: String = "data/graphs/onnx"

    @Option(help: "Graphs in the batched run.")
    var count: Int = 2000

    @Option(help: "Graphs per batch in the batched run.")
    var batchGraphs: Int = 256

    @Option(help: "Batched runs; the figures are their medians (this machine is shared and noisy).")
    var repeats: Int = 5

    @Option(help: "Kernel of the matrix products: fixed-order (what the simulator's answers use; the same bits on every CPU) or blas (OpenBLAS sgemm, as training).")
    var products: String = MatrixProducts.fixedOrder.rawValue

    func validate() throws {
        if count < 1 || batchGraphs < 1 || repeats < 1 { throw ValidationError("--count, --batch-graphs and --repeats must be positive") }
        if MatrixProducts(rawValue: products) == nil { throw ValidationError("--products must be fixed-order or blas") }
    }

    func run() throws {
        try guardedPerf {
            let kernel = MatrixProducts(rawValue: products)!
            let catalog = try DeviceCatalog.load(path: "clusters/devices.yaml")
            let net: PerfModel
            if let model { net = try Checkpoint.load(model).model } else {
                let norms = FeatureNorms(graphs: [], contexts: [])
                net = PerfModel(hyper: ModelHyper(kind: .seernet), devices: [], deviceVectors: [:], norms: norms, stats: TargetStats())
            }
            // The committed graph whose operator count is nearest 100 (ties: first by name).
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: graphs)) ?? []).filter { $0.hasSuffix(".onnx") }.sorted()
            guard !names.isEmpty else { throw InputError(file: graphs, reason: "no .onnx graphs") }
            var best: (String, ModelGraph)?
            for name in names {
                let g = try ONNXImporter.load(path: "\(graphs)/\(name)")
                if best == nil || abs(g.nodes.count - 100) < abs(best!.1.nodes.count - 100) { best = (name, g) }
            }
            let (name, graph) = best!
            let device = "xeon-emerald-rapids-1t"
            let spec = catalog[device]
            func sample(_ g: Int, _ features: GraphFeatures, batch: Int) -> PerfSample {
                let p = PerfDataset.priors(profile: features.profile, mode: .infer, spec: spec)
                return PerfSample(graph: g, device: device, batchSize: batch, mode: .infer, priorTime: p.time, priorMemory: p.memory)
            }
            print("BLAS core: \(TensorsBenchmark.blasCoreName); products: \(kernel.rawValue)")
            print("graph \(name): \(graph.nodes.count) operators, \(graph.edges.count) edges; model \(net.hyper.kind.rawValue), hidden \(net.hyper.hidden), \(net.hyper.layers) layers")
            // One graph: featurize (features and priors) and predict, repeated.
            var times: [Double] = []
            for _ in 0..<300 {
                let t0 = DispatchTime.now().uptimeNanoseconds
                var data = PerfDataset()
                data.graphs = [GraphFeaturizer.features(of: graph, batchSize: 1)]
                data.info = [.init(model: name, family: "", batchSize: 1, hasOperatorLabels: false)]
                data.samples = [sample(0, data.graphs[0], batch: 1)]
                _ = try net.predict(data, samples: [0], catalog: catalog, products: kernel)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            }
            times.sort()
            print(String(format: "one graph, featurize + predict: median %.3f ms, p90 %.3f ms (300 runs)", times[150], times[270]))
            // Batched: `count` graphs (the same architecture at batch sizes 1...count, so every
            // graph's features differ), featurized and then predicted on all cores.
            var featurizeRates: [Double] = [], predictRates: [Double] = [], bothRates: [Double] = []
            for _ in 0..<repeats {
                var data = PerfDataset()
                let f0 = Date()
                data.graphs = GraphFeaturizer.features(of: (1...count).map { (graph, $0) })
                for b in 1...count {
                    data.info.append(.init(model: name, family: "", batchSize: b, hasOperatorLabels: false))
                    data.samples.append(sample(b - 1, data.graphs[b - 1], batch: b))
                }
                let featurize = Date().timeIntervalSince(f0)
                let p0 = Date()
                _ = try net.predict(data, samples: Array(data.samples.indices), catalog: catalog, graphsPerBatch: batchGraphs, products: kernel)
                let predict = Date().timeIntervalSince(p0)
                featurizeRates.append(Double(count) / featurize)
                predictRates.append(Double(count) / predict)
                bothRates.append(Double(count) / (featurize + predict))
            }
            func median(_ x: [Double]) -> Double { x.sorted()[x.count / 2] }
            print(String(format: "batched on %d cores, %d graphs in batches of %d, median of %d runs: predict %.0f graphs/s; featurize %.0f graphs/s; both %.0f graphs/s (range %.0f–%.0f)",
                         ProcessInfo.processInfo.activeProcessorCount, count, batchGraphs, repeats, median(predictRates), median(featurizeRates), median(bothRates),
                         bothRates.min()!, bothRates.max()!))
        }
    }
}
