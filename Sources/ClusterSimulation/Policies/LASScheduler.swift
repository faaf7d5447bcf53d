import ClusterKit

/// Tiresias's discretized two-dimensional least-attained-service (Gu et al., "Tiresias: A GPU
/// Cluster Manager for Distributed Deep Learning", NSDI 2019): attained service is GPUs × time;
/// jobs fall into queues by thresholds. Within a queue running jobs go before waiting ones, and
/// waiting ones go in submit order, so a job is preempted only by a job of a higher queue (as in
/// the paper's simulator, which moves a queue's pending jobs behind its running ones after each
/// pass). A job that has waited longer than `starvationFactor` times its run time (and at
/// least `starvationMinimum` seconds) is promoted to the first queue, where it stays while it
/// runs until it has attained the first threshold again (the simulator resets the service that
/// decides its queue on promotion). Needs no prediction of duration.
public struct LASScheduler: SchedulingPolicy {
    public var thresholds: [Double]
    public var starvationFactor: Double
    public var starvationMinimum: Double

    public init(thresholds: [Double] = [3600, 36_000], starvationFactor: Double = 8, starvationMinimum: Double = 3600) {
        self.thresholds = thresholds
        self.starvationFactor = starvationFactor
        self.starvationMinimum = starvationMinimum
    }

    public var name: String { "las" }
    public var isPreemptive: Bool { true }

    /// How long a job that has run `runSeconds` may wait before it is promoted.
    func starvationLimit(runSeconds: Double) -> Double { max(starvationMinimum, starvationFactor * runSeconds) }

    public func queueIndex(job: Int, in view: PolicyView) -> Int {
        let j = view.job(job)
        let lastQueued = j.lastQueued
        let runSeconds = j.runSecondsBeforeThisRun
        switch j.status {
        case .queued:
            if (view.now - lastQueued).seconds > starvationLimit(runSeconds: runSeconds) { return 0 }
        case .running:
            return runningQueueIndex(j, at: view.now)
        default:
            break
        }
        let service = view.attainedService(job: job)
        return thresholds.firstIndex { service < $0 } ?? thresholds.count
    }

    /// A running job's queue at `t` during its current run (non-decreasing in `t`). Promoted
    /// when it started: first queue until this run has attained the first threshold. Its
    /// service is computed as `PolicyView.attainedService` computes it, operation for operation.
    private func runningQueueIndex(_ j: JobView, at t: SimTime) -> Int {
        let thisRun = max(0, (t - j.runStart).seconds) * Double(j.deviceCount) * j.share
        if isPromoted(j) && thisRun < (thresholds.first ?? .infinity) { return 0 }
        let service = j.attainedServiceBeforeThisRun + thisRun
        return thresholds.firstIndex { service < $0 } ?? thresholds.count
    }

    /// Whether a running job was promoted when it started (it had waited past its limit).
    private func isPromoted(_ j: JobView) -> Bool {
        (j.runStart - j.lastQueued).seconds > starvationLimit(runSeconds: j.runSecondsBeforeThisRun)
    }

    /// The first microsecond at which a running job's queue moves on: where its promotion ends
    /// or its service reaches the next threshold, found from the closed form and confirmed
    /// with `runningQueueIndex` itself (nil where that does not settle within a few steps).
    public func runningKeyChanges(job: Int, in view: PolicyView) -> SimTime? {
        let j = view.job(job)
        guard j.status == .running else { return nil }
        let now = view.now
        let q = runningQueueIndex(j, at: now)
        let perSecond = Double(j.deviceCount) * j.share
        guard perSecond > 0 else { return nil }
        let seconds: Double
        // Promoted and still in the first queue: it has not yet attained the first threshold.
        if q == 0 && isPromoted(j), let first = thresholds.first {
            seconds = first / perSecond
        } else if q < thresholds.count {
            seconds = (thresholds[q] - j.attainedServiceBeforeThisRun) / perSecond
        } else {
            return .infinity
        }
        guard seconds.isFinite, seconds < 1e12 else { return nil }
        let step = SimTime(microseconds: 1)
        var t = max(j.runStart + SimTime(seconds: max(0, seconds)), now + step)
        for _ in 0..<64 {
            if t - step > now && runningQueueIndex(j, at: t - step) != q { t = t - step; continue }
            if runningQueueIndex(j, at: t) == q { t = t + step; continue }
            return t
        }
        return nil
    }

    public func order(_ jobs: [Int], in view: PolicyView) -> [Int] {
        view.ordered(jobs) { priorityKey(job: $0, in: view)! }
    }

    /// Twice the queue, plus one for a waiting job: running jobs first within a queue.
    public func priorityKey(job: Int, in view: PolicyView) -> Double? {
        Double(2 * queueIndex(job: job, in: view) + (view.job(job).status == .running ? 0 : 1))
    }

    /// Attained service does not change while a job waits; its queue changes once, when it
    /// has waited long enough to be promoted.
    public var hasStableWaitingKeys: Bool { true }

    /// The first instant at which a waiting job counts as starving (nil once it does).
    public func waitingKeyChanges(job: Int, in view: PolicyView) -> SimTime? {
        let lastQueued = view.job(job).lastQueued
        let limit = starvationLimit(runSeconds: view.job(job).runSecondsBeforeThisRun)
        let starving: (SimTime) -> Bool = { ($0 - lastQueued).seconds > limit }
        guard !starving(view.now) else { return nil }
        // The first microsecond past `limit`, exactly as `queueIndex` compares it.
        guard limit < 1e12 else { return .infinity }
        var t = lastQueued + SimTime(seconds: limit)
        while starving(t) { t = t - SimTime(microseconds: 1) }
        while !starving(t) { t = t + SimTime(microseconds: 1) }
        return t
    }
}
