import ClusterKit

/// Finish-time fairness (Mahajan et al., "Themis: Fair and Efficient GPU Cluster Scheduling",
/// NSDI 2020): ρ = (time in the system + predicted remaining time) / predicted time running
/// alone on its best device type. Jobs with the largest ρ (treated least fairly) go first.
public struct FinishTimeFairnessScheduler: SchedulingPolicy {
    public init() {}
    public var name: String { "ftf" }
    public var isPreemptive: Bool { true }

    public func rho(job: Int, in view: PolicyView) -> Double {
        let isolated = view.bestPredictedTotalSeconds(job: job)
        guard isolated.isFinite, isolated > 0 else { return 0 }
        let elapsed = (view.now - view.job(job).submit).seconds
        return (elapsed + view.bestPredictedRemainingSeconds(job: job)) / isolated
    }

    public func order(_ jobs: [Int], in view: PolicyView) -> [Int] {
        view.ordered(jobs) { -rho(job: $0, in: view) }
    }

    public func priorityKey(job: Int, in view: PolicyView) -> Double? { -rho(job: job, in: view) }
}
