import ArgumentParser
import ClusterKit
import Foundation
import PerfModels

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a GNN performance model on measured data; prints progress and validation each epoch, then test accuracy.")

    @OptionGroup var data: PerfDataOptions

    @Option(help: ArgumentHelp("Model: \(EncoderKind.allCases.map(\.rawValue).joined(separator: "|")).",
                               discussion: "seernet: SeerNet graph-network blocks (PerfSeer)\neagat: edge-aware graph attention with an operator-level head (SLAPP)\nsage: GraphSAGE (PerfSAGE)\nmlp: no graph, global features only (baseline)"))
    var model: EncoderKind = .seernet

    @Option(help: "Targets, comma-separated: time, memory, utilization.")
    var targets: String = "time"

    @Option(help: "Train only on these devices (catalog names, comma-separated; default: all).")
    var devices: String?

    @Option(help: "Split: random (by architecture, 70/10/20) | family | device.")
    var split: String = "random"

    @Option(help: "Held-out families (--split family) or devices (--split device), comma-separated.")
    var test: String?

    @Option(help: "Output model directory.")
    var out: String

    @Option(help: "Epochs.") var epochs: Int = 40
    @Option(help: "Hidden width.") var hidden: Int = 64
    @Option(help: "Message-passing layers.") var layers: Int = 3
    @Option(help: "Attention heads (eagat).") var heads: Int = 4
    @Option(help: "Graphs per mini-batch.") var batchGraphs: Int = 32
    @Option(help: "Learning rate.") var lr: Float = 2e-3
    @Option(help: "Probability of hiding a training sample's device embedding (so heads also learn from specs alone).") var deviceDropout: Float = 0.25
    @Option(help: ArgumentHelp(familyBalanceHelp)) var familyBalance: Double = 1
    @Option(name: .customLong("select-by"), help: ArgumentHelp(selectionHelp)) var selection: ValidationSelection = .pooled
    @Option(name: .customLong("weight-average"), help: ArgumentHelp(weightAverageHelp)) var weightAverage: Double?
    @Option(help: "Stop after this many minutes (whole epochs).") var timeLimit: Double?
    @Option(help: "Seed (initialization, split, batches).") var seed: UInt64 = 1
    @Flag(help: "Sum the targets' gradients instead of combining them with PCGrad.") var noPcgrad = false
    @Flag(help: "Operator-level time head, trained where operator labels exist (default for eagat).") var operatorHead = false
    @Flag(help: "Whole-model time as the sum of predicted operator times (needs the operator head).") var timeFromOperators = false
    @Flag(help: "NeuSight's form: time = launch overheads × e^a + roofline × e^b, a and b bounded, instead of one residual over their sum.") var physicsHead = false
    @Flag(help: "Time that cannot fall as batch or resolution grows: overhead plus a smooth maximum of a floor and the saturated roofline, efficiencies read from the graph's structure, device, mode and precision only.") var monotoneTime = false
    @Flag(help: "With --monotone-time: separate efficiencies for the work's matrix FLOPs (tensor-core libraries), other FLOPs and bytes, instead of one on the roofline.") var workClasses = false

    func parsedTargets() throws -> [PerfTarget] {
        try targets.split(separator: ",").map { t in
            guard let x = PerfTarget(rawValue: String(t)) else { throw ValidationError("--targets: '\(t)' is not time, memory or utilization") }
            return x
        }.sorted()
    }

    func splitKind() throws -> DatasetSplit.Kind {
        let held = test?.split(separator: ",").map(String.init) ?? []
        switch split {
        case "random": return .random
        case "family": return .family(test: held)
        case "device": return .device(test: held)
        default: throw ValidationError("--split must be random, family or device")
        }
    }

    func validate() throws {
        if data.sources.isEmpty { throw ValidationError("--data is required (e.g. --data nb201)") }
        _ = try parsedTargets()
        let kind = try splitKind()
        if split != "random" && (test ?? "").isEmpty { throw ValidationError("--split \(split) needs --test") }
        if case .random = kind, test != nil { throw ValidationError("--test applies to --split family or device") }
        if epochs < 1 || hidden < 2 || layers < 0 || heads < 1 || batchGraphs < 1 { throw ValidationError("--epochs, --hidden, --heads and --batch-graphs must be positive") }
        if hidden % heads != 0 { throw ValidationError("--hidden must be a multiple of --heads") }
        if timeFromOperators && !(operatorHead || model == .eagat) { throw ValidationError("--time-from-operators needs --operator-head (or --model eagat)") }
        try validateWeightAverage(weightAverage)
        if !(0...1).contains(deviceDropout) { throw ValidationError("--device-dropout must be within 0...1") }
        if !(0...1).contains(familyBalance) { throw ValidationError("--family-balance must be within 0...1") }
        if physicsHead && monotoneTime { throw ValidationError("--physics-head and --monotone-time are two forms of the time head: choose one") }
        if workClasses && !monotoneTime { throw ValidationError("--work-classes is a form of --monotone-time: add --monotone-time") }
        if !(lr > 0) { throw ValidationError("--lr must be positive") }
    }

    func run() throws {
        try guardedPerf {
            let catalog = try data.loadCatalog()
            var dataset = try data.load(catalog)
            if let devices {
                let keep = Set(devices.split(separator: ",").map(String.init))
                for d in keep where catalog[d] == nil && !dataset.devices.contains(d) {
                    throw InputError(file: "--devices", reason: "'\(d)' is neither a catalog device nor in the data")
                }
                dataset = dataset.filtered { keep.contains($0.device) }
            }
            let split = DatasetSplit(dataset, kind: try splitKind(), seed: seed)
            guard !split.train.isEmpty else { throw InputError(file: "--data", reason: "no training samples after the split") }
            for target in try parsedTargets() {
                let measured = split.train.contains { i in
                    let sample = dataset.samples[i]
                    switch target {
                    case .time: return sample.time != nil
                    case .memory: return sample.memory != nil
                    case .utilization: return sample.utilization != nil
                    }
                }
                guard measured else {
                    throw InputError(file: "--targets", reason: "no training sample of \(data.sources.joined(separator: ", ")) measures \(target.rawValue)")
                }
            }
            let hyper = ModelHyper(kind: model, hidden: hidden, layers: layers, heads: heads, targets: try parsedTargets(),
                                   operatorHead: operatorHead || model == .eagat, timeFromOperators: timeFromOperators, seed: seed, physicsHead: physicsHead, monotoneTime: monotoneTime, workClasses: workClasses)
            var options = TrainingOptions()
            options.epochs = epochs
            options.graphsPerBatch = batchGraphs
            options.learningRate = lr
            options.deviceDropout = deviceDropout
            options.familyBalance = familyBalance
            options.selection = selection
            options.weightAverageHalfLife = weightAverage
            options.pcgrad = !noPcgrad
            options.seed = seed
            options.timeLimit = timeLimit.map { $0 * 60 }
            let net = Trainer.makeModel(hyper: hyper, data: dataset, train: split.train, catalog: catalog)
            print("training \(model.rawValue) (\(net.store.scalarCount) parameters) on \(split.train.count) samples, validating on \(split.validation.count), testing on \(split.test.count)")
            let start = Date()
            let bar = ProgressBar("epoch", unit: "batches")
            let reports = try Trainer.train(net, data: dataset, split: split, catalog: catalog, options: options, progress: { r in
                bar.finish()
                print(String(format: "epoch %3d  loss %.4f  validation time MAPE %@ (median %@%@)  memory MAPE %@  lr %.2e  %.1f s%@",
                             r.epoch, r.trainLoss, r.validationTimeMAPE.map { String(format: "%.2f%%", $0) } ?? "–",
                             r.validationTimeMedianAPE.map { String(format: "%.2f%%", $0) } ?? "–",
                             selection == .families ? (r.validationTimeFamilyMedianAPE.map { String(format: "; mean over families %.2f%%", $0) } ?? "") : "",
                             r.validationMemoryMAPE.map { String(format: "%.2f%%", $0) } ?? "–", r.learningRate, r.seconds, r.best ? "  (best)" : ""))
            }, batchProgress: { done, total in bar.update(done, total) })
            let seconds = Date().timeIntervalSince(start)
            try Checkpoint.save(net, to: out, training: TrainingRecord(
                data: dataset.sources, split: split.description(kind: self.split, test: test, seed: seed),
                trainSamples: split.train.count, validationSamples: split.validation.count, seconds: seconds, epochs: reports))
            print(String(format: "trained in %.1f s; model written to %@", seconds, out))
            if !split.test.isEmpty {
                let report = try AccuracyReport(model: net, name: model.rawValue, data: dataset, samples: split.test, catalog: catalog)
                print("\ntest split, time per iteration:\n" + report.markdown())
            }
        }
    }
}

extension DatasetSplit {
    func description(kind: String, test: String?, seed: UInt64) -> String {
        "\(kind)\(test.map { " (held out: \($0))" } ?? "") seed \(seed)"
    }
}
