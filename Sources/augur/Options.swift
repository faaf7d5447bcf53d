import ArgumentParser
import ClusterKit
import ClusterSimulation
import PerfModels

extension SchedulerKind: ExpressibleByArgument {}
extension PlacementKind: ExpressibleByArgument {}
extension TraceFormat: ExpressibleByArgument {}

/// Where Augur's inputs are: the device catalog and the public data root.
struct DataOptions: ParsableArguments {
    @Option(help: "Root of the public datasets and traces (default: $AUGUR_DATA, else ../shared).")
    var data: String?

    @Option(help: "Device catalog.")
    var devices: String = "clusters/devices.yaml"

    var root: DataRoot { DataRoot.resolve(flag: data) }

    /// The analytic memory account every run's oracle fills unmeasured GPU benchmark memory from.
    var memoryAccount: GraphMemoryAccount { GraphMemoryAccount(zoo: ModelZoo(data: root)) }
}

/// One simulation's inputs and policies.
struct RunOptions: ParsableArguments {
    @Option(help: "Job trace file.")
    var trace: String

    @Option(help: "Trace format: \(TraceFormat.allCases.map(\.rawValue).joined(separator: "|")).")
    var traceFormat: TraceFormat = .auto

    @Option(help: "Cluster spec (YAML).")
    var cluster: String

    @Option(help: ArgumentHelp("Scheduling policy.", discussion: SchedulerKind.allCases.map { "\($0.rawValue): \($0.summary)" }.joined(separator: "\n")))
    var scheduler: SchedulerKind = .fifo

    @Option(help: ArgumentHelp("Placement policy.", discussion: PlacementKind.allCases.map { "\($0.rawValue): \($0.summary)" }.joined(separator: "\n")))
    var placement: PlacementKind = .firstFit

    // A transform shows no default by itself, so the help names it.
    @Option(help: "Predictor the policies consult: \(PredictorChoice.help). (default: \(PredictorChoice.measured))",
            transform: PredictorChoice.option)
    var predictor: PredictorChoice = .measured

    @Option(help: "Seed for model assignment, noise and failures.")
    var seed: UInt64 = 1

    @Option(help: "Use only the first N jobs of the trace.")
    var limit: Int?

    @Option(help: "Model families jobs of production traces (Philly, ITP, Alibaba), which name no model, are drawn from \(WorkloadFamilies.help).")
    var families: String?

    var familySet: Set<String>? { families.map(WorkloadFamilies.parse) }

    @OptionGroup var engine: EngineOptions

    func validate() throws {
        if let limit, limit <= 0 { throw ValidationError("--limit must be positive") }
        try WorkloadFamilies.check(familySet)
    }

}

/// The engine's knobs a user sets (`simulate`, `evaluate`).
struct EngineOptions: ParsableArguments, Sendable {
    @Option(help: "Seconds a preempted job needs to restore its checkpoint.")
    var restoreSeconds: Double = 30

    @Option(help: "Inject node failures: MTBF_HOURS:MTTR_HOURS per node (e.g. 500:2).")
    var nodeFailures: String?

    @Flag(help: "Drop jobs that no node of the cluster could ever hold (counted in the summary) instead of rejecting the trace.")
    var skipInfeasible = false

    @Option(help: "Co-location interference model: spatial (fitted on Lucid), time-sliced (fitted on Gavel), none.")
    var interference: InterferenceChoice = .spatial

    func validate() throws {
        guard restoreSeconds.isFinite, restoreSeconds >= 0, restoreSeconds <= Limits.maxRestoreSeconds else {
            throw ValidationError("--restore-seconds must be a finite number of seconds in [0, 1e6], got \(restoreSeconds)")
        }
        if let f = nodeFailures, Self.parseFailures(f) == nil {
            throw ValidationError("--node-failures takes MTBF_HOURS:MTTR_HOURS, each finite in [0.01, 1e6] hours (e.g. 500:2), got '\(f)'")
        }
    }

    static func parseFailures(_ s: String) -> (Double, Double)? {
        let p = s.split(separator: ":", omittingEmptySubsequences: false)
        guard p.count == 2, let a = Double(p[0]), let b = Double(p[1]) else { return nil }
        guard [a, b].allSatisfy({ $0.isFinite && $0 >= 0.01 && $0 <= 1e6 }) else { return nil }
        return (a, b)
    }

    var settings: EngineSettings {
        EngineSettings(restoreSeconds: restoreSeconds, nodeFailures: nodeFailures.flatMap(Self.parseFailures),
                       skipInfeasible: skipInfeasible, interference: interference)
    }
}

/// The engine's knobs as values (`EngineOptions` parses them; the demo uses the defaults).
struct EngineSettings: Sendable {
    var restoreSeconds = 30.0
    var nodeFailures: (mtbfHours: Double, mttrHours: Double)? = nil
    var skipInfeasible = false
    var interference: InterferenceChoice = .spatial

    /// The engine's configuration for one run of `scenario`: failures (if asked) drawn for its
    /// nodes until a year after the last submission.
    func config(seed: UInt64, for scenario: Scenario) -> SimulationConfig {
        var c = SimulationConfig()
        c.seed = seed
        c.checkpointRestoreSeconds = restoreSeconds
        c.interference = interference.model
        c.skipInfeasible = skipInfeasible
        if let (mtbf, mttr) = nodeFailures {
            let horizon = (scenario.trace.jobs.last?.submit ?? .zero) + SimTime(seconds: 365 * 86_400)
            c.nodeEvents = NodeEvent.random(nodes: ClusterTopology(scenario.cluster).nodes.count, mtbfHours: mtbf, mttrHours: mttr,
                                            horizon: horizon, seed: seed)
        }
        return c
    }

    /// Rejects failure rates that would draw more than `Limits.maxNodeEvents` events for this
    /// scenario's nodes and horizon, before any is drawn.
    func check(for scenario: Scenario) throws {
        guard let (mtbf, mttr) = nodeFailures else { return }
        let nodes = Double(ClusterTopology(scenario.cluster).nodes.count)
        let hours = (scenario.trace.jobs.last?.submit.seconds ?? 0) / 3600 + 365 * 24
        let expected = 2 * nodes * hours / (mtbf + mttr)
        guard expected <= Double(Limits.maxNodeEvents) else {
            throw InputError(file: "--node-failures", reason: String(format: "%g:%g on %d nodes over %.0f hours means about %.3g failure events, beyond the limit of %d; use a longer MTBF", mtbf, mttr, Int(nodes), hours, expected, Limits.maxNodeEvents))
        }
    }

    /// What changes a run's result, for fingerprints.
    var description: String {
        "restore \(restoreSeconds) interference \(interference.rawValue) skip \(skipInfeasible) failures \(nodeFailures.map { "\($0.mtbfHours):\($0.mttrHours)" } ?? "none")"
    }
}

enum InterferenceChoice: String, CaseIterable, ExpressibleByArgument, Sendable {
    case spatial
    case timeSliced = "time-sliced"
    case none

    var model: InterferenceModel {
        switch self {
        case .spatial: .spatial
        case .timeSliced: .timeSliced
        case .none: .none
        }
    }
}

/// `--families F,…` as every command takes it (`simulate`, `evaluate`, `trace generate`,
/// `bench sim`): parsed and checked in one place.
enum WorkloadFamilies {
    /// The choices and the default, for `--help`.
    static var help: String {
        "(comma-separated: \(WorkloadCatalog.allFamilies.sorted().joined(separator: ", ")); default \(WorkloadCatalog.families.sorted().joined(separator: ", ")))"
    }

    static func parse(_ text: String) -> Set<String> { Set(text.split(separator: ",").map(String.init)) }

    /// Rejects an empty list or a family no catalog has.
    static func check(_ families: Set<String>?) throws {
        guard let families else { return }
        if families.isEmpty { throw ValidationError("--families is empty") }
        if let bad = families.subtracting(WorkloadCatalog.allFamilies).sorted().first {
            throw ValidationError("unknown family '\(bad)' in --families (choices: \(WorkloadCatalog.allFamilies.sorted().joined(separator: ", ")))")
        }
    }
}
