import ArgumentParser
import ClusterKit
import ClusterSimulation
import Foundation

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Augur's main job on its embedded default: a bundled Philly-like trace on the bundled heterogeneous cluster under several policies.")

    @OptionGroup var data: DataOptions

    @Option(help: "Trace to replay.")
    var trace = "traces/philly-like-2k.csv"

    @Option(help: "Cluster spec.")
    var cluster = "clusters/default.yaml"

    @Option(help: "Seed.")
    var seed: UInt64 = 1

    @Option(help: "Output directory for the per-policy results.")
    var out = "sim-results/demo"

    static let policies: [(SchedulerKind, PlacementKind)] = [
        (.fifo, .firstFit), (.sjf, .bestFit), (.srtf, .hetero), (.las, .bestFit), (.maxMinFairness, .hetero), (.ftf, .hetero), (.fifo, .pack),
    ]

    func run() throws {
        try guarded {
            let scenario = try Scenario.load(devicesPath: data.devices, clusterPath: cluster, tracePath: trace, format: .auto,
                                             data: data.root, seed: seed)
            print("Augur demo: \(scenario.trace.jobs.count) jobs of \(trace) on cluster '\(scenario.cluster.name)' (\(scenario.cluster.deviceCount) devices: \(scenario.cluster.deviceTypes.map(\.name).joined(separator: ", ")))")
            print("The engine executes measured performance; each policy consults the predictor shown.\n")
            var rows: [(String, String, RunSummary)] = []
            for (s, p) in Self.policies {
                for spec in [PredictorSpec.measured, .userEstimate] {
                    let predictor = try scenario.predictor(spec, seed: seed)
                    var config = SimulationConfig()
                    config.seed = seed
                    let (sim, summary) = try scenario.run(scheduler: s.make(), placement: p.make(), predictor: predictor, config: config)
                    let name = "\(s.rawValue)+\(p.rawValue)"
                    rows.append((name, predictor.name, summary))
                    let runJSON = ResultWriter.runJSON(inputs: scenario.inputs, seed: seed, scheduler: s.rawValue, placement: p.rawValue,
                                                       predictor: predictor.name, version: Augur.version)
                    try ResultWriter.write(directory: "\(out)/\(name)-\(predictor.name)", run: runJSON, summary: summary.json,
                                           jobsCSV: ResultWriter.jobsCSV(sim.state))
                }
            }
            print(SummaryTable.render(rows))
            print("\nwrote \(out)/<policy>-<predictor>/{run.json,summary.json,jobs.csv}")
        }
    }
}
