import ClusterKit

/// The scheduling policies a user can pick by name (the CLI's `--scheduler`).
public enum SchedulerKind: String, CaseIterable, Sendable {
    case fifo, sjf, srtf, las
    case maxMinFairness = "max-min-fairness"
    case ftf

    public func make() -> any SchedulingPolicy {
        switch self {
        case .fifo: FIFOScheduler()
        case .sjf: SJFScheduler()
        case .srtf: SRTFScheduler()
        case .las: LASScheduler()
        case .maxMinFairness: MaxMinFairnessScheduler()
        case .ftf: FinishTimeFairnessScheduler()
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

/// A predictor named on the command line: `measured`, `user-estimate`, `noisy:SIGMA`.
/// (Learned predictors, `gnn:PATH`, are wired by the CLI, which links the ML stack.)
public enum PredictorSpec: Sendable, Equatable {
    case measured
    case userEstimate
    case noisy(sigma: Double)
    case external(kind: String, argument: String)

    public static let help = "measured | user-estimate | noisy:SIGMA (e.g. noisy:0.3) | roofline | gnn (models/default) | gnn:MODEL_DIR"

    /// Predictor kinds named by a bare word that the CLI resolves (they need the ML stack).
    public static let externalWords: Set<String> = ["roofline", "gnn"]
    /// External kinds that take `KIND:ARGUMENT` (a model directory).
    public static let takesArgument: Set<String> = ["gnn"]

    public init(parsing text: String) throws {
        if text == "measured" { self = .measured; return }
        if Self.externalWords.contains(text) { self = .external(kind: text, argument: ""); return }
        if text == "user-estimate" { self = .userEstimate; return }
        if text.hasPrefix("noisy:") {
            guard let s = Double(text.dropFirst(6)), s >= 0, s <= Limits.maxNoiseSigma else {
                throw InputError(file: "--predictor", reason: "'\(text)': noisy needs a σ in [0, \(Limits.maxNoiseSigma)], e.g. noisy:0.3")
            }
            self = .noisy(sigma: s)
            return
        }
        if let colon = text.firstIndex(of: ":") {
            let kind = String(text[..<colon]), argument = String(text[text.index(after: colon)...])
            guard Self.externalWords.contains(kind) else {
                throw InputError(file: "--predictor", reason: "unknown predictor kind '\(kind)' (choices: \(Self.help))")
            }
            guard Self.takesArgument.contains(kind), !argument.isEmpty else {
                throw InputError(file: "--predictor", reason: "'\(text)': \(kind) takes \(Self.takesArgument.contains(kind) ? "a model directory after the colon" : "no argument")")
            }
            self = .external(kind: kind, argument: argument)
            return
        }
        throw InputError(file: "--predictor", reason: "unknown predictor '\(text)' (choices: \(Self.help))")
    }
}
