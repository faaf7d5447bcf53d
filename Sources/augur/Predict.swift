import ArgumentParser
import ClusterKit
import Foundation
import ModelGraph
import PerfModels

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict time per iteration, peak memory and SM utilization of one model graph on one device.")

    @Argument(help: "An ONNX model (.onnx) or a graph in Augur's JSON form (.json).")
    var graph: String?

    @Option(help: "A NAS-Bench-201 architecture string instead of a file.")
    var nb201: String?

    @Option(help: "Device (catalog name, or one the model was adapted to).")
    var device: String

    @Option(help: "Batch size.")
    var batch: Int = 1

    @Option(help: "train | infer.")
    var mode: String = "infer"

    @Option(help: "Model directory.")
    var model: String = "models/default"

    @Option(help: "Device catalog.")
    var catalog: String = "clusters/devices.yaml"

    func validate() throws {
        if (graph == nil) == (nb201 == nil) { throw ValidationError("give either a graph file or --nb201 ARCH") }
        if batch < 1 { throw ValidationError("--batch must be positive") }
        if RunMode(rawValue: mode) == nil { throw ValidationError("--mode must be train or infer") }
    }

    func run() throws {
        try guardedPerf {
            let (net, _) = try Checkpoint.load(model)
            let cat = try DeviceCatalog.load(path: catalog)
            let g: ModelGraph
            if let nb201 {
                g = try NB201.graph(arch: nb201, batchSize: batch, executed: true)
            } else if let graph, graph.hasSuffix(".json") {
                g = try ModelGraph(jsonFile: graph)
            } else {
                g = try ONNXImporter.load(path: graph!, batchSize: batch)
            }
            guard net.canPredict(device, catalog: cat) else { throw UnknownDeviceError(device: device) }
            let runMode = RunMode(rawValue: mode)!
            var data = PerfDataset()
            data.graphs = [GraphFeaturizer.features(of: g, batchSize: batch)]
            data.info = [.init(model: g.name, family: "", batchSize: batch, hasOperatorLabels: false)]
            let profile = data.graphs[0].profile
            let roofline = cat[device].flatMap { RooflinePredictor.estimate(profile: profile, mode: runMode, precision: .fp32, device: $0) }
            let prior = PerfDataset.priors(profile: profile, mode: runMode, spec: cat[device])
            data.samples = [PerfSample(graph: 0, device: device, batchSize: batch, mode: runMode, priorTime: prior.time, priorMemory: prior.memory)]
            let p = try net.predict(data, samples: [0], catalog: cat)[0]
            print("\(g.name): \(g.nodes.count) operators, \(String(format: "%.3f", Double(g.cost(mode: runMode == .train ? .train : .infer).flops) / 1e9)) GFLOPs per iteration, batch \(batch), \(mode), on \(device)")
            print("model \(model) (\(net.hyper.kind.rawValue))")
            if let t = p.time {
                print(String(format: "time per iteration  %.4f ms", t * 1000))
                if let lo = p.timeLower, let hi = p.timeUpper {
                    print(String(format: "  90%% interval      %.4f – %.4f ms", lo * 1000, hi * 1000))
                } else {
                    print("  interval          – (the model has none for this device)")
                }
            }
            if let m = p.memory { print(String(format: "peak memory         %.1f MiB", m / 1_048_576)) } else { print("peak memory         – (the model was not trained on memory)") }
            if let u = p.utilization { print(String(format: "SM utilization      %.1f%%", u * 100)) } else { print("SM utilization      – (the model was not trained on utilization)") }
            if let r = roofline { print(String(format: "roofline (specs)    %.4f ms", r.timePerIteration * 1000)) }
        }
    }
}
