import ArgumentParser
import ClusterKit
import ClusterSimulation
import Foundation

/// Augur's main job on its embedded default: the committed demo study.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Augur's main job: the default study (a Philly-like trace of real models per seed on the modern heterogeneous cluster, policies driven by measured, GNN, roofline and user-estimated performance).",
        discussion: "Equivalent to: augur evaluate \(Demo.evaluateArguments.joined(separator: " ")). Writes sim-results/demo/ (comparison.csv, comparison.md, report.html).")

    @OptionGroup var data: DataOptions

    @Option(help: "Seeds.")
    var seeds = Demo.seeds

    @Option(help: "Output directory.")
    var out = "sim-results/demo"

    @Option(help: "Runs in parallel (default: all cores).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    static let seeds = "1-3"
    static let policies = "sjf+best-fit,srtf+hetero,las+hetero,max-min-fairness+hetero,ftf+hetero"
    static let predictors = "measured,gnn,roofline,user-estimate"
    /// The GPU benchmarks' real models (ResNet-50, SSD300, Mask R-CNN, BERT, Transformer-XL, GNMT,
    /// NCF, Tacotron 2, WaveGlow; measured on every GPU type of the cluster, with measured
    /// multi-GPU scaling where the table has it) on the 128-GPU modern cluster, loaded enough that
    /// the policy matters (study f-loaded's setting on 3 seeds). Every job has a graph, so the GNN
    /// and the roofline answer every pair.
    static let generator = PhillyLikeGenerator(jobs: 2000, arrivalsPerHour: 120, durationScale: 1, maxGPUs: 8, seed: 1)
    static let families: Set<String> = ["benchmarks"]
    static let cluster = "clusters/modern.yaml"
    /// The same study as `augur evaluate` arguments (for `--help`).
    static let evaluateArguments = [
        "--generate-jobs", "\(generator.jobs)", "--rate", JSONText.format(generator.arrivalsPerHour),
        "--duration-scale", JSONText.format(generator.durationScale), "--max-gpus", "\(generator.maxGPUs)",
        "--families", families.sorted().joined(separator: ","), "--cluster", cluster,
        "--policies", policies, "--predictors", predictors, "--seeds", seeds,
    ]

    func run() throws {
        try guarded {
            let choices = try PredictorChoice.list(Self.predictors, data: data.root)
            let plan = try EvaluationPlan(policies: Self.policies, predictors: choices.map(\.label), seeds: seeds)
            let started = DispatchTime.now().uptimeNanoseconds
            print("Augur demo: \(plan.keys.count) runs (\(plan.policies.count) policies × \(plan.predictors.count) predictors × \(plan.seeds.count) seeds) of a \(Self.generator.jobs)-job Philly-like trace of real models on \(Self.cluster), \(threads) at a time.")
            print("The engine executes measured performance; each policy consults the predictor named.\n")
            let session = EvaluationSession(
                data: data, cluster: Self.cluster, source: .generated(Self.generator, families: Self.families, name: "philly-like-\(Self.generator.jobs)"),
                plan: plan, predictors: choices, out: out, threads: threads, title: "Augur demo: policies driven by predicted versus measured performance",
                command: "augur demo" + (seeds == Self.seeds ? "" : " --seeds \(seeds)"))
            let table = try session.run()
            print(table.markdown)
            print(String(format: "wrote %@/comparison.csv, comparison.md, report.html in %.1f s", out,
                         Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9))
        }
    }
}
