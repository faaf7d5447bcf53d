import ClusterKit

/// Shortest job first on the predictor's total duration (best device type); non-preemptive.
public struct SJFScheduler: SchedulingPolicy {
    public init() {}
    public var name: String { "sjf" }
    public var isPreemptive: Bool { false }
    public func order(_ jobs: [Int], in view: PolicyView) -> [Int] {
        view.ordered(jobs) { view.bestPredictedTotalSeconds(job: $0) }
    }
    public func priorityKey(job: Int, in view: PolicyView) -> Double? { view.bestPredictedTotalSeconds(job: job) }
    public var hasStableWaitingKeys: Bool { true }
}
