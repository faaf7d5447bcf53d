import ClusterKit

/// The scheduling policies a user can pick by name (the CLI's `--scheduler`).
public enum SchedulerKind: String, CaseIterable, Sendable {
    case fifo, sjf, srtf, las
    case maxMinFairness = "max-min-fairness"
    case ftf
    case gavelMaxMin = "gavel-max-min"
    case gavelMaxMinAgnostic = "gavel-max-min-agnostic"

    public func make() -> any SchedulingPolicy {
        switch self {
        case .fifo: FIFOScheduler()
        case .sjf: SJFScheduler()
        case .srtf: SRTFScheduler()
        case .las: LASScheduler()
        case .maxMinFairness: MaxMinFairnessScheduler()
        case .ftf: FinishTimeFairnessScheduler()
        case .gavelMaxMin: GavelMaxMinScheduler()
        case .gavelMaxMinAgnostic: GavelMaxMinScheduler(variant: .agnostic)
        }
    }

    public var summary: String {
        switch self {
        case .fifo: "first in, first out (backfilling), non-preemptive"
        case .sjf: "shortest predicted job first, non-preemptive"
        case .srtf: "shortest predicted remaining time first, preemptive"
        case .las: "Tiresias discretized 2D least attained service, preemptive"
        case .maxMinFairness: "Gavel-style heterogeneity-aware max-min fairness, preemptive"
        case .ftf: "Themis finish-time fairness, preemptive"
        case .gavelMaxMin: "Gavel heterogeneity-aware max-min fairness, LP solved by GLPK, round-based priorities, preemptive"
        case .gavelMaxMinAgnostic: "Gavel max-min fairness with equal throughputs (time shares only), LP by GLPK, preemptive"
        }
    }
}

/// The placement policies a user can pick by name (the CLI's `--placement`).
public enum PlacementKind: String, CaseIterable, Sendable {
    case firstFit = "first-fit"
    case bestFit = "best-fit"
    case hetero
    case pack
    case packUpper = "pack-upper"

    public func make() -> any PlacementPolicy {
        switch self {
        case .firstFit: FirstFitPlacement()
        case .bestFit: BestFitPlacement()
        case .hetero: HeterogeneityAwarePlacement()
        case .pack: MemoryAwarePackingPlacement()
        case .packUpper: MemoryAwarePackingPlacement(useUpperInterval: true)
        }
    }

    public var summary: String {
        switch self {
        case .firstFit: "first devices with room"
        case .bestFit: "consolidated best fit (fewest nodes, fullest node)"
        case .hetero: "fastest predicted device type with room, consolidated"
        case .pack: "memory-aware packing: co-locate when predicted memory fits and predicted SM utilization ≤ 1"
        case .packUpper: "memory-aware packing on the predictor's upper memory interval"
        }
    }
}

/// How a run's predictor is built: the label runs, tables and reports name it by, what beyond the
/// label changes its answers (part of an evaluation's fingerprint), and how it is made for a
/// scenario and a seed. The CLI's predictor choice conforms (it links the ML stack); tests and
/// other callers pass a ``LabelledPredictorFactory``.
public protocol PredictorFactory: Sendable {
    /// The name runs are keyed and tabulated by (`measured`, `noisy:0.3`, `gnn`, `gnn:models/x`).
    var label: String { get }
    /// One line describing the inputs beyond the label that change the predictor's answers
    /// (a model's files' hashes), or nil when the label says it all.
    func fingerprint() -> String?
    /// The predictor for a scenario and a seed (thread-safe, as the seam requires).
    func make(scenario: Scenario, seed: UInt64) throws -> any PerformancePredictor
}

/// A predictor factory made of a label and a closure.
public struct LabelledPredictorFactory: PredictorFactory {
    public let label: String
    private let fingerprintLine: String?
    private let body: @Sendable (Scenario, UInt64) throws -> any PerformancePredictor

    public init(_ label: String, fingerprint: String? = nil,
                make body: @escaping @Sendable (Scenario, UInt64) throws -> any PerformancePredictor) {
        self.label = label
        self.fingerprintLine = fingerprint
        self.body = body
    }

    public func fingerprint() -> String? { fingerprintLine }
    public func make(scenario: Scenario, seed: UInt64) throws -> any PerformancePredictor { try body(scenario, seed) }
}

/// The simulator's own predictors, which need nothing but the scenario: the measured oracle,
/// the trace's user estimates, the oracle with seeded log-normal noise.
public enum SimulatedPredictor: Sendable, Equatable {
    case measured
    case userEstimate
    case noisy(sigma: Double)

    public func make(scenario: Scenario, seed: UInt64) -> any PerformancePredictor {
        let oracle = scenario.oracle
        switch self {
        case .measured: return oracle
        case .userEstimate:
            return UserEstimatePredictor(trace: scenario.trace, catalog: scenario.catalog, fallback: oracle,
                                         referenceDevice: { oracle.referenceDevice(for: $0) })
        case .noisy(let sigma): return NoisyOracle(base: oracle, sigma: sigma, seed: seed)
        }
    }
}
