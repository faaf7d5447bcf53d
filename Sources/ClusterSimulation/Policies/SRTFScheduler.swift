import ClusterKit

/// Shortest remaining time first on the predictor's remaining duration; preemptive.
public struct SRTFScheduler: SchedulingPolicy {
    public init() {}
    public var name: String { "srtf" }
    public var isPreemptive: Bool { true }
    public func order(_ jobs: [Int], in view: PolicyView) -> [Int] {
        view.ordered(jobs) { view.bestPredictedRemainingSeconds(job: $0) }
    }
    public func priorityKey(job: Int, in view: PolicyView) -> Double? { view.bestPredictedRemainingSeconds(job: job) }
    /// Remaining work does not change while a job waits.
    public var hasStableWaitingKeys: Bool { true }
}
