import ArgumentParser
import ClusterKit
import Foundation
import ModelGraph
import PerfModels
import Tensors

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict time per iteration, peak memory and SM utilization of one model graph on one device.")

    @Argument(help: "An ONNX model (.onnx), a graph in Augur's JSON form (.json), nb201:ARCH, or a built-in model (\(GraphSource.builtInNames.joined(separator: ", ")), optionally -rRESOLUTION, e.g. resnet50-r320).")
    var graph: String?

    @Option(help: "A NAS-Bench-201 architecture string instead of a file.")
    var nb201: String?

    @Option(help: "Device (catalog name, or one the model was adapted to).")
    var device: String?

    @Option(help: "Many queries at once: a CSV with columns graph, device, batch and optionally mode, precision and attention (as-built or fused) (one answer row per row, written to --out).")
    var queries: String?

    @Option(help: "Where --queries writes its answers (CSV).")
    var out: String?

    @Option(help: "Batch size.")
    var batch: Int = 1

    @Option(help: "train | infer.")
    var mode: String = "infer"

    @Option(help: "Precision: fp32 (PyTorch's default: convolutions in TF32 where the GPU has it; the default), tf32 (matrix products too, as NGC containers run FP32), fp16 or bf16.")
    var precision: Precision?

    @Option(help: "Model directory.")
    var model: String = "models/default"

    @Option(help: unseenDeviceHelp)
    var unseenDevice: UnseenDeviceRule = .measured

    @Option(help: "Kernel of the model's matrix products: fixed-order (the same bits on every CPU and OpenBLAS kernel set, as the simulator's answers) or blas (OpenBLAS sgemm; the last bits depend on the kernel set).")
    var products: String = MatrixProducts.fixedOrder.rawValue

    @Flag(help: "With --queries: write every figure with 17 significant digits, the model's unrounded answer (default 6).")
    var exact = false

    @Option(help: "Device catalog.")
    var catalog: String = "clusters/devices.yaml"

    @Flag(help: "Run every attention of the graph (MatMul → scale/mask → Softmax → MatMul) as one fused kernel, as PyTorch 2's scaled_dot_product_attention does on a GPU; the decoders and torchvision's ViTs are fused already.")
    var fuseAttention = false

    func validate() throws {
        if MatrixProducts(rawValue: products) == nil { throw ValidationError("--products must be fixed-order or blas") }
        if exact && queries == nil { throw ValidationError("--exact is for --queries") }
        if fuseAttention && queries != nil { throw ValidationError("--fuse-attention is for one graph; with --queries, give the file an attention column (fused)") }
        if queries != nil {
            if graph != nil || nb201 != nil || device != nil || precision != nil { throw ValidationError("--queries takes the graphs, devices and precisions from its file: give no graph, --nb201, --device or --precision") }
            guard let out, !out.isEmpty else { throw ValidationError("--queries needs --out FILE.csv") }
            return
        }
        if out != nil { throw ValidationError("--out is for --queries") }
        if (graph == nil) == (nb201 == nil) { throw ValidationError("give either a graph or --nb201 ARCH") }
        if device == nil { throw ValidationError("missing --device") }
        if batch < 1 { throw ValidationError("--batch must be positive") }
        if RunMode(rawValue: mode) == nil { throw ValidationError("--mode must be train or infer") }
    }

    func run() throws {
        try guardedPerf {
            let (net, _) = try Checkpoint.load(model)
            net.unseenDevices = unseenDevice
            let cat = try DeviceCatalog.load(path: catalog)
            if let queries, let out { return try answer(queries, out: out, net: net, catalog: cat) }
            let device = self.device!
            var g = try GraphSource.load(nb201.map { "nb201:" + $0 } ?? graph!, batchSize: batch, zoo: Installation.resolve(GraphSource.zooDirectory))
            if fuseAttention { g = g.fusingAttention() }
            guard net.canPredict(device, catalog: cat) else { throw UnknownDeviceError(device: device) }
            let runMode = RunMode(rawValue: mode)!
            var data = PerfDataset()
            data.graphs = [GraphFeaturizer.features(of: g, batchSize: batch)]
            data.info = [.init(model: g.name, family: "", batchSize: batch, hasOperatorLabels: false)]
            let profile = data.graphs[0].profile
            let roofline = cat[device].flatMap { RooflinePredictor.estimate(profile: profile, mode: runMode, precision: precision ?? .fp32, device: $0) }
            let prior = PerfDataset.priors(profile: profile, mode: runMode, precision: precision ?? .fp32, spec: cat[device])
            data.samples = [PerfSample(graph: 0, device: device, batchSize: batch, mode: runMode, precision: precision ?? .fp32, priorTime: prior.time, priorMemory: prior.memory)]
            let p = try net.predict(data, samples: [0], catalog: cat, products: MatrixProducts(rawValue: products)!)[0]
            for (name, value) in [("time", p.time), ("memory", p.memory), ("utilization", p.utilization)] {
                if let value, !value.isFinite {
                    throw InputError(file: model, field: name, reason: "the model answers \(value) for this query; a prediction must be finite (damaged model?)")
                }
            }
            print("\(g.name): \(g.nodes.count) operators, \(String(format: "%.3f", Double(g.cost(mode: runMode == .train ? .train : .infer).flops) / 1e9)) GFLOPs per iteration, batch \(batch), \(mode), on \(device)")
            if g.fusedKernelCount > 0 { print("fused kernels       \(g.fusedKernelCount) (attention's scores stay on chip: no bytes, not saved)") }
            print("model \(model) (\(net.hyper.kind.rawValue))")
            if let t = p.time {
                print(String(format: "time per iteration  %.4f ms", t * 1000))
                if let lo = p.timeLower, let hi = p.timeUpper {
                    print(String(format: "  90%% interval      %.4f – %.4f ms", lo * 1000, hi * 1000))
                } else {
                    print("  interval          – (the model has none for this device)")
                }
            }
            let kind = net.deviceVector(device, catalog: cat).flatMap(DeviceFeatures.kind(of:))?.rawValue ?? "unknown"
            let why = { (t: PerfTarget) in
                !net.hyper.targets.contains(t) ? "the model was not trained on \(t.rawValue)" : "the model has no \(t.rawValue) measurements of \(kind) devices"
            }
            if let m = p.memory { print(String(format: "peak memory         %.1f MiB", m / 1_048_576)) } else { print("peak memory         – (\(why(.memory)))") }
            if let u = p.utilization { print(String(format: "SM utilization      %.1f%%", u * 100)) } else { print("SM utilization      – (\(why(.utilization)))") }
            if let r = roofline { print(String(format: "roofline (specs)    %.4f ms", r.timePerIteration * 1000)) }
            if let source = p.measuredOn {
                print("unseen device       answered from \(source)'s measurement of this workload, the nearest device in specs (within distance \(MeasuredEfficiencies.transferDistanceLimit)) that measured it (its time over the roofline × \(device)'s roofline; --unseen-device specs reads \(device)'s specs alone)")
            }
            if let bound = p.timeBound {
                print(String(format: "possible range      %.4f – %.4f ms (the model's bounds around the analytic prior)",
                             bound.lowerBound * 1000, bound.upperBound * 1000))
            }
            // A device adapted by reference is asked of its reference device.
            let asked = net.references[device]?.reference ?? device
            if let vector = net.deviceVector(asked, catalog: cat) {
                print(Self.describe(net.novelty(data.graphs[0], context: SampleContext.vector(data.samples[0], device: vector),
                                                trainedDevice: net.isTrained(device: device)), device: device,
                                                measuredOn: p.measuredOn, modelHasRanges: net.norms.global.low != nil))
            }
        }
    }

    /// `--queries`: answers every row and writes the CSV; counts what could not be answered.
    func answer(_ path: String, out: String, net: PerfModel, catalog: DeviceCatalog) throws {
        let start = Date()
        let q = try PredictionQueries(path: path)
        let answers = q.answer(model: net, catalog: catalog, products: MatrixProducts(rawValue: products)!)
        try writeText(PredictionQueries.csv(answers, digits: exact ? 17 : 6), to: out)
        let failed = answers.filter { $0.error != nil }
        print("answered \(answers.count - failed.count) of \(answers.count) queries in \(String(format: "%.2f", Date().timeIntervalSince(start))) s; wrote \(out) (products: \(products); BLAS core: \(TensorsBenchmark.blasCoreName))")
        if !failed.isEmpty {
            printError("\(failed.count) rows not answered (reason in the error column); first: line \(failed[0].line): \(failed[0].error!)")
        }
    }

    /// What `predict` says about how far the query lies from the training data.
    static func describe(_ n: Novelty, device: String, measuredOn source: String?, modelHasRanges: Bool) -> String {
        guard modelHasRanges else { return "training range      – (the model predates training ranges; retrain it to have them)" }
        var lines: [String] = []
        if n.outside.isEmpty && !n.untrainedDevice {
            lines.append("training range      inside: every input lies within what the model was trained on")
        } else {
            lines.append(String(format: "training range      OUTSIDE (novelty %.2f: the interval is %.2f× its calibrated width)", n.distance, 1 + n.distance))
            if n.untrainedDevice {
                lines.append("  device '\(device)' was not trained on: " + (source.map { "its time answered from \($0)'s measurement (above)" } ?? "answered from its catalog specs alone"))
            }
            for o in n.outside.prefix(6) {
                lines.append("  \(o.name) = " + String(format: "%.3g, trained on %.3g … %.3g (%.1f sd beyond)", Double(o.value), Double(o.low), Double(o.high), Double(o.excess)))
            }
            if n.outside.count > 6 { lines.append("  … and \(n.outside.count - 6) more inputs outside their training range") }
        }
        return lines.joined(separator: "\n")
    }
}
