import ClusterKit

/// A scheduling policy and a placement policy run together, e.g. `las+hetero`.
public struct PolicyPair: Sendable, Hashable {
    public var scheduler: SchedulerKind
    public var placement: PlacementKind

    public init(scheduler: SchedulerKind, placement: PlacementKind) {
        self.scheduler = scheduler
        self.placement = placement
    }

    /// Parses `SCHEDULER+PLACEMENT`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "+", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            throw InputError(file: "--policies", reason: "'\(text)' is not SCHEDULER+PLACEMENT (e.g. las+hetero)")
        }
        guard let s = SchedulerKind(rawValue: parts[0]) else {
            throw InputError(file: "--policies", reason: "unknown scheduler '\(parts[0])' in '\(text)' (choices: \(SchedulerKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let p = PlacementKind(rawValue: parts[1]) else {
            throw InputError(file: "--policies", reason: "unknown placement '\(parts[1])' in '\(text)' (choices: \(PlacementKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self.init(scheduler: s, placement: p)
    }

    public var name: String { "\(scheduler.rawValue)+\(placement.rawValue)" }
}

/// The product of runs an evaluation makes: every policy pair under every predictor for every
/// seed. A seed fixes the trace's arrivals (and its seeded parts: generated jobs, model
/// assignment, noise, node failures), so within a seed every policy and predictor sees the
/// same jobs.
public struct EvaluationPlan: Sendable, Equatable {
    public var policies: [PolicyPair]
    /// Predictors' labels (``PredictorFactory/label``: `measured`, `gnn:models/x`, `noisy:0.3`).
    public var predictors: [String]
    public var seeds: [UInt64]
    /// The predictor every other one is compared against (its gaps are paired by seed under
    /// the same policy); a comparison without it in `predictors` shows no gaps.
    public var baseline: String

    public init(policies: [PolicyPair], predictors: [String], seeds: [UInt64], baseline: String = EvaluationPlan.defaultBaseline) throws {
        guard !policies.isEmpty else { throw InputError(file: "--policies", reason: "no policy given") }
        guard !predictors.isEmpty else { throw InputError(file: "--predictors", reason: "no predictor given") }
        guard !seeds.isEmpty else { throw InputError(file: "--seeds", reason: "no seed given") }
        for (name, list) in [("--policies", policies.map(\.name)), ("--predictors", predictors), ("--seeds", seeds.map(String.init))] {
            var seen: Set<String> = []
            for x in list where !seen.insert(x).inserted { throw InputError(file: name, reason: "'\(x)' is given twice") }
        }
        self.policies = policies
        self.predictors = predictors
        self.seeds = seeds
        self.baseline = baseline
    }

    /// The measured oracle's label.
    public static let defaultBaseline = "measured"

    /// Parses the command line's policy and seed lists (`fifo+first-fit,las+hetero`, `1-5`);
    /// predictors are labels of factories the caller built.
    public init(policies: String, predictors: [String], seeds: String, baseline: String = EvaluationPlan.defaultBaseline) throws {
        try self.init(policies: policies.split(separator: ",").map { try PolicyPair(parsing: String($0)) },
                      predictors: predictors, seeds: Self.parseSeeds(seeds), baseline: baseline)
    }

    /// Every run, in table order: policy, then predictor, then seed.
    public var keys: [RunKey] {
        policies.flatMap { p in predictors.flatMap { q in seeds.map { RunKey(policy: p.name, predictor: q, seed: $0) } } }
    }

    /// Parses a seed list: `1-5`, `1,3,7`, or a mix (`1-3,10`).
    public static func parseSeeds(_ text: String) throws -> [UInt64] {
        var out: [UInt64] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            if bounds.count == 1, let s = UInt64(bounds[0]) { out.append(s); continue }
            if bounds.count == 2, let a = UInt64(bounds[0]), let b = UInt64(bounds[1]), a <= b, b - a < 10_000 {
                out.append(contentsOf: a...b)
                continue
            }
            throw InputError(file: "--seeds", reason: "'\(part)' is not a seed or a range like 1-5")
        }
        return out
    }
}
