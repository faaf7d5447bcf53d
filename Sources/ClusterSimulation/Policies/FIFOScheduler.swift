import ClusterKit

/// First in, first out by submit time; never preempts. Jobs that do not fit are skipped, so
/// later jobs may start first (FIFO with backfilling).
public struct FIFOScheduler: SchedulingPolicy {
    public init() {}
    public var name: String { "fifo" }
    public var isPreemptive: Bool { false }
    public func order(_ jobs: [Int], in view: PolicyView) -> [Int] { jobs.sorted() }
    public func priorityKey(job: Int, in view: PolicyView) -> Double? { 0 }
    public var hasStableWaitingKeys: Bool { true }
}
