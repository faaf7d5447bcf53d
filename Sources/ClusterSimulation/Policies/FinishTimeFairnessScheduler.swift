import ClusterKit

/// Finish-time fairness (Mahajan et al., "Themis: Fair and Efficient GPU Cluster Scheduling",
/// NSDI 2020): ρ = (time in the system + predicted remaining time) / predicted time running
/// alone on its best device type. Jobs with the largest ρ (treated least fairly) go first.
///
/// While a job waits its predicted remaining time is fixed, so ρ grows linearly with time, at
/// a rate of one over its isolated time: its key is a line (`waitingKeyCurve`), and the engine
/// keeps the waiting queue in order kinetically instead of re-ranking it at every round.
public struct FinishTimeFairnessScheduler: SchedulingPolicy {
    public init() {}
    public var name: String { "ftf" }
    public var isPreemptive: Bool { true }

    public func rho(job: Int, in view: PolicyView) -> Double {
        -(priorityKey(job: job, in: view) ?? 0)
    }

    public func order(_ jobs: [Int], in view: PolicyView) -> [Int] {
        view.ordered(jobs, byCurve: { waitingKeyCurve(job: $0, in: view)! })
    }

    /// −ρ now.
    public func priorityKey(job: Int, in view: PolicyView) -> Double? { waitingKeyCurve(job: job, in: view)!.value(at: view.now) }

    public var hasKineticWaitingKeys: Bool { true }

    /// −ρ(t) = −((t − submit) + remaining) / isolated, with the remaining time as of now.
    public func waitingKeyCurve(job: Int, in view: PolicyView) -> KeyCurve? {
        let isolated = view.bestPredictedTotalSeconds(job: job)
        guard isolated.isFinite, isolated > 0 else { return .constant(0) }
        return KeyCurve(origin: view.job(job).submit, a: -1, b: -view.bestPredictedRemainingSeconds(job: job), c: 0, d: isolated)
    }
}
