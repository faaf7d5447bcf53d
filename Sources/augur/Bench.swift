import ArgumentParser
import ClusterKit
import ClusterSimulation
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Benchmarks that print figures (use a release build).", subcommands: [BenchSim.self, BenchPredictor.self])
}

struct BenchSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Replay the whole Philly trace on the 2,048-GPU cluster under several policies; print jobs, events, wall time, events/s, peak RSS.")

    @OptionGroup var data: DataOptions

    @Option(help: "Cluster spec.")
    var cluster = "clusters/hetero-2048.yaml"

    @Option(help: "Trace (default: the Philly trace under the data root).")
    var trace: String?

    @Option(help: "Seed.")
    var seed: UInt64 = 1

    static let runs: [(SchedulerKind, PlacementKind)] = [(.fifo, .firstFit), (.srtf, .firstFit), (.las, .firstFit), (.fifo, .hetero), (.las, .hetero)]

    func run() throws {
        try guarded {
            let tracePath = trace ?? data.root.phillyTrace
            let t0 = Date()
            let scenario = try Scenario.load(devicesPath: data.devices, clusterPath: cluster, tracePath: tracePath, format: .auto,
                                             data: data.root, seed: seed)
            print("loaded \(scenario.trace.jobs.count) jobs and cluster '\(scenario.cluster.name)' (\(scenario.cluster.deviceCount) devices) in \(String(format: "%.2f", Date().timeIntervalSince(t0))) s")
            print("policy               jobs    events   wall s   events/s  peak RSS MiB  avg JCT h  done")
            for (s, p) in Self.runs {
                let start = Date()
                let (sim, summary) = try scenario.run(scheduler: s.make(), placement: p.make(), predictor: scenario.oracle, config: SimulationConfig())
                let wall = Date().timeIntervalSince(start)
                let name = "\(s.rawValue)+\(p.rawValue)".padding(toLength: 18, withPad: " ", startingAt: 0)
                print(String(format: "%@  %7d  %8d  %7.3f  %9.0f  %12.1f  %9.2f  %d", name, summary.jobs, sim.eventsProcessed, wall,
                             Double(sim.eventsProcessed) / wall, peakRSSMiB(), summary.avgJCT / 3600, summary.completed))
            }
        }
    }
}

/// Peak resident set size of this process, MiB.
func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
