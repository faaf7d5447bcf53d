import ArgumentParser
import ClusterKit
import Foundation
import PerfModels

struct Experiment: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a predictor accuracy study and print its Markdown tables (the README's figures).",
        discussion: """
        nb201: NAS-Bench-201 latency, all device settings in one model, random 70/10/20 split; every GNN and baseline.
        adapt: train on HELP's nine device settings, adapt to each other one from 10 samples, Spearman ρ on the rest.
        neusight: transformers on two GPUs never trained on, predicted from their specs.
        cpu: the project's own CPU measurements, random and family split, time and memory.
        nb201-noise: how much of the NAS-Bench-201 table any graph predictor can explain: a per-column regression on the cell encoding, and the measurement drift its residuals show (no GNN trained).
        families: leave one GPU-benchmark family out (torchvision CNNs and the DeepLearningExamples models of the GPU training throughput table; trained on the other sources and families, judged on it), against the roofline, a per-device efficiency, a spec regression and a FLOPs regression fitted on the same samples (the first of --models).
        gpus: leave one datacenter GPU out (every sample on it held out; the model knows it only by its specs), against the same baselines (the first of --models).
        transfer: the same held-out GPUs answered from the nearest GPU that measured the same workload (as --unseen-device measured): which GPU answered, its spec distance, the error (no GNN trained).
        class-roofline: the families study's families held out in turn, answered by a roofline with fitted utilizations per operator class and an efficiency per GPU (no GNN trained).
        torchvision: a trained model (--model, default models/default) on torchvision networks measured on GPUs, families it never saw, against the roofline, a per-device efficiency and a FLOPs regression fitted on its training data (no GNN trained).
        memory-fit: a trained model's peak GPU memory (and the analytic account's) over the GPU's capacity on every single-GPU training row of the GPU training throughput table, each of which ran and so fit (no GNN trained).
        """)

    @Argument(help: "Study: \(Self.studies.joined(separator: " | ")).")
    var study: String

    static let studies = ["nb201", "adapt", "neusight", "cpu", "nb201-noise", "torchvision", "families", "gpus", "transfer", "class-roofline", "memory-fit"]

    @Option(help: "Trained model the torchvision study evaluates.")
    var model: String = "models/default"

    @OptionGroup var paths: PerfPathOptions

    @Option(help: "Models, comma-separated (seernet, eagat, sage, mlp).")
    var models: String = "seernet,eagat,sage,mlp"

    @Option(help: "Epochs per model.") var epochs: Int = 30
    @Option(help: "Stop each model's training after this many minutes.") var timeLimit: Double?
    @Option(help: "Hidden width.") var hidden: Int = 64
    @Option(help: "Graphs per mini-batch.") var batchGraphs: Int = 32
    @Option(help: "Learning rate.") var lr: Float = 2e-3
    @Option(help: "Probability of hiding a training sample's device embedding (so heads also learn from specs alone).") var deviceDropout: Float = 0.25
    @Option(help: ArgumentHelp(familyBalanceHelp)) var familyBalance: Double = 1
    @Option(name: .customLong("select-by"), help: ArgumentHelp(selectionHelp)) var selection: ValidationSelection = .pooled
    @Option(name: .customLong("weight-average"), help: ArgumentHelp(weightAverageHelp)) var weightAverage: Double?
    @Option(help: "Read every N-th architecture of the latency table.") var stride: Int = 1
    @Option(help: "Seed.") var seed: UInt64 = 1
    @Option(help: "Few-shot samples per device (adapt).") var shots: Int = 10
    @Option(help: "Models per held-out family or GPU (families, gpus): trained from seeds seed, seed+1, … on the same split; their answers averaged (geometric mean time, intervals widened by their spread).") var ensemble: Int = 1
    @Option(help: unseenDeviceHelp) var unseenDevice: UnseenDeviceRule = .measured
    @Option(help: "Save the trained models under this directory.") var saveModels: String?
    @Option(help: "Also write the Markdown to this file.") var out: String?
    @Flag(help: "Train the time head that cannot fall as batch or resolution grows (as `augur train --monotone-time`).") var monotoneTime = false
    @Flag(help: "With --monotone-time: separate efficiencies for matrix FLOPs, other FLOPs and bytes (as `augur train --work-classes`).") var workClasses = false

    func validate() throws {
        if !Self.studies.contains(study) { throw ValidationError("study must be one of \(Self.studies.joined(separator: ", "))") }
        for m in models.split(separator: ",") where EncoderKind(rawValue: String(m)) == nil {
            throw ValidationError("--models: '\(m)' is not one of \(EncoderKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try validateWeightAverage(weightAverage)
        if !(0...1).contains(deviceDropout) { throw ValidationError("--device-dropout must be within 0...1") }
        if !(0...1).contains(familyBalance) { throw ValidationError("--family-balance must be within 0...1") }
        if workClasses && !monotoneTime { throw ValidationError("--work-classes is a form of --monotone-time: add --monotone-time") }
        if ensemble < 1 || ensemble > 16 { throw ValidationError("--ensemble must be within 1...16") }
        if ensemble > 1 && !["families", "gpus"].contains(study) { throw ValidationError("--ensemble applies to the families and gpus studies only") }
        if epochs < 1 || stride < 1 || shots < 1 || hidden < 4 || batchGraphs < 1 { throw ValidationError("--epochs, --stride, --shots, --hidden and --batch-graphs must be positive") }
    }

    func run() throws {
        try guardedPerf {
            let cat = try paths.loadCatalog()
            let dataRoot = paths.dataRoot
            var o = StudyOptions()
            o.models = models.split(separator: ",").compactMap { EncoderKind(rawValue: String($0)) }
            o.hidden = hidden
            o.training.epochs = epochs
            o.training.timeLimit = timeLimit.map { $0 * 60 }
            o.training.graphsPerBatch = batchGraphs
            o.training.learningRate = lr
            o.training.deviceDropout = deviceDropout
            o.training.familyBalance = familyBalance
            o.training.selection = selection
            o.training.weightAverageHalfLife = weightAverage
            o.training.seed = seed
            o.seed = seed
            o.stride = stride
            o.ensemble = ensemble
            o.unseenDevices = unseenDevice
            o.monotoneTime = monotoneTime
            o.workClasses = workClasses
            o.saveDirectory = saveModels
            o.log = { printError($0) }
            let start = Date()
            let outcome: StudyOutcome
            switch study {
            case "nb201": outcome = try PredictorStudies.nb201(root: dataRoot, catalog: cat, options: o)
            case "adapt": outcome = try PredictorStudies.adaptation(root: dataRoot, catalog: cat, options: o, shots: shots)
            case "neusight": outcome = try PredictorStudies.neusight(root: dataRoot, catalog: cat, options: o)
            case "nb201-noise": outcome = try PredictorStudies.nb201Noise(root: dataRoot, options: o)
            case "families": outcome = try PredictorStudies.families(root: dataRoot, catalog: cat, options: o)
            case "gpus": outcome = try PredictorStudies.gpus(root: dataRoot, catalog: cat, options: o)
            case "transfer": outcome = try PredictorStudies.transfer(root: dataRoot, catalog: cat, options: o)
            case "class-roofline": outcome = try PredictorStudies.classRoofline(root: dataRoot, catalog: cat, options: o)
            case "torchvision":
                let (net, record) = try Checkpoint.load(model)
                net.unseenDevices = unseenDevice
                outcome = try PredictorStudies.torchvision(root: dataRoot, catalog: cat, options: o, model: net, modelName: model, trainedOn: record?.data ?? [])
            case "memory-fit":
                let (net, _) = try Checkpoint.load(model)
                outcome = try PredictorStudies.memoryFit(root: dataRoot, catalog: cat, model: net, modelName: model)
            default: outcome = try PredictorStudies.cpu(root: dataRoot, catalog: cat, options: o)
            }
            let text = outcome.markdown + "\n\n(`augur experiment \(CommandLine.arguments.dropFirst(2).joined(separator: " "))`, \(String(format: "%.0f", Date().timeIntervalSince(start))) s)\n"
            print(text)
            if let out { try writeText(text, to: out) }
        }
    }
}
