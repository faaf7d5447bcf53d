import ArgumentParser
import ClusterKit
import ClusterSimulation
import PerfModels

extension SchedulerKind: ExpressibleByArgument {}
extension PlacementKind: ExpressibleByArgument {}
extension TraceFormat: ExpressibleByArgument {}
extension Precision: ExpressibleByArgument {}

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

/// Which simulator runs: Augur's event-driven engine or Gavel's round-based mechanism.
enum MechanismKind: String, CaseIterable, ExpressibleByArgument, Sendable {
    case engine, gavel
}

/// A `--scheduler` value: one of Augur's scheduling policies, or one of Gavel's policy names
/// (for `--mechanism gavel`).
enum SchedulerName: ExpressibleByArgument, Equatable, Sendable {
    case augur(SchedulerKind)
    case gavel(GavelPolicyName)

    init?(argument: String) {
        if let k = SchedulerKind(rawValue: argument) { self = .augur(k) }
        else if let g = GavelPolicyName(rawValue: argument) { self = .gavel(g) }
        else { return nil }
    }

    var rawValue: String {
        switch self {
        case .augur(let k): return k.rawValue
        case .gavel(let g): return g.rawValue
        }
    }

    var defaultValueDescription: String { rawValue }
    static var allValueStrings: [String] { SchedulerKind.allCases.map(\.rawValue) + GavelPolicyName.allCases.filter { SchedulerKind(rawValue: $0.rawValue) == nil }.map(\.rawValue) }

    /// Augur's policy (nil for a Gavel-only name).
    var kind: SchedulerKind? {
        if case .augur(let k) = self { return k }
        return nil
    }
}

/// One simulation's inputs and policies.
struct RunOptions: ParsableArguments {
    @Option(help: "Job trace file.")
    var trace: String

    @Option(help: "Trace format: \(TraceFormat.allCases.map(\.rawValue).joined(separator: "|")).")
    var traceFormat: TraceFormat = .auto

    @Option(help: "Cluster spec (YAML).")
    var cluster: String

    @Option(help: ArgumentHelp("Scheduling policy (with --mechanism gavel: Gavel's policy names).",
                               discussion: (SchedulerKind.allCases.map { "\($0.rawValue): \($0.summary)" }
                                            + GavelPolicyName.allCases.filter { SchedulerKind(rawValue: $0.rawValue) == nil }
                                                .map { "\($0.rawValue): Gavel's policy (--mechanism gavel)" }).joined(separator: "\n")))
    var scheduler: SchedulerName = .augur(.fifo)

    @Option(help: "engine (Augur's event-driven engine) or gavel (Gavel's round-based simulator: --scheduler \(GavelPolicyName.allCases.map(\.rawValue).joined(separator: ", "))).")
    var mechanism: MechanismKind = .engine

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
        switch (mechanism, scheduler) {
        case (.engine, .gavel(let g)):
            throw ValidationError("--scheduler \(g.rawValue) is one of Gavel's policies: add --mechanism gavel")
        case (.gavel, .augur(let k)) where k != .fifo:
            throw ValidationError("--mechanism gavel runs Gavel's policies: \(GavelPolicyName.allCases.map(\.rawValue).joined(separator: ", ")); got --scheduler \(k.rawValue)")
        case (.gavel, _) where engine.nodeFailures != nil:
            throw ValidationError("--node-failures is not modelled by --mechanism gavel")
        case (.gavel, _) where placement != .firstFit:
            throw ValidationError("--placement is not used by --mechanism gavel (Gavel's rounds place jobs by their own per-type priorities)")
        default: break
        }
    }

    /// Gavel's policy a Gavel-mechanism run uses (`fifo` names Gavel's FIFO there).
    var gavelPolicy: GavelPolicyName {
        if case .gavel(let g) = scheduler { return g }
        return .fifo
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
