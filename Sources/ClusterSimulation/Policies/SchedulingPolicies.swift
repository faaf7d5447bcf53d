import ClusterKit

extension ClusterState {
    /// Sorts jobs by a key ascending; ties go to the earlier job (lower index = earlier submit).
    func ordered(_ jobs: [Int], by key: (Int) -> Double) -> [Int] {
        jobs.map { (key($0), $0) }.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map(\.1)
    }

    /// Predicted seconds for the job's whole work on its best feasible type.
    func bestPredictedTotalSeconds(job: Int) -> Double {
        bestPredictedSeconds(job: job, iterations: jobs[job].totalIterations)
    }
}

/// First in, first out by submit time; never preempts. Jobs that do not fit are skipped, so
/// later jobs may start first (FIFO with backfilling).
public struct FIFOScheduler: SchedulingPolicy {
    public init() {}
    public var name: String { "fifo" }
    public var isPreemptive: Bool { false }
    public func order(_ jobs: [Int], in state: ClusterState) -> [Int] { jobs.sorted() }
    public func priorityKey(job: Int, in state: ClusterState) -> Double? { 0 }
    public var hasStableWaitingKeys: Bool { true }
}

/// Shortest job first on the predictor's total duration (best device type); non-preemptive.
public struct SJFScheduler: SchedulingPolicy {
    public init() {}
    public var name: String { "sjf" }
    public var isPreemptive: Bool { false }
    public func order(_ jobs: [Int], in state: ClusterState) -> [Int] {
        state.ordered(jobs) { state.bestPredictedTotalSeconds(job: $0) }
    }
    public func priorityKey(job: Int, in state: ClusterState) -> Double? { state.bestPredictedTotalSeconds(job: job) }
    public var hasStableWaitingKeys: Bool { true }
}

/// Shortest remaining time first on the predictor's remaining duration; preemptive.
public struct SRTFScheduler: SchedulingPolicy {
    public init() {}
    public var name: String { "srtf" }
    public var isPreemptive: Bool { true }
    public func order(_ jobs: [Int], in state: ClusterState) -> [Int] {
        state.ordered(jobs) { state.bestPredictedRemainingSeconds(job: $0) }
    }
    public func priorityKey(job: Int, in state: ClusterState) -> Double? { state.bestPredictedRemainingSeconds(job: job) }
    /// Remaining work does not change while a job waits.
    public var hasStableWaitingKeys: Bool { true }
}

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

    public func queueIndex(job: Int, in state: ClusterState) -> Int {
        // Fields read one by one: copying the whole `JobRuntime` retains its job's strings.
        let lastQueued = state.jobs[job].lastQueued
        let runSeconds = state.jobs[job].runSeconds
        switch state.jobs[job].status {
        case .queued:
            if (state.now - lastQueued).seconds > starvationLimit(runSeconds: runSeconds) { return 0 }
        case .running:
            // Promoted when it started: first queue until this run has attained the first threshold.
            let runStart = state.jobs[job].runStart
            let promoted = (runStart - lastQueued).seconds > starvationLimit(runSeconds: runSeconds)
            let thisRun = max(0, (state.now - runStart).seconds) * Double(state.jobs[job].devices.count) * state.jobs[job].share
            if promoted && thisRun < (thresholds.first ?? .infinity) { return 0 }
        default:
            break
        }
        let service = state.attainedService(job: job)
        return thresholds.firstIndex { service < $0 } ?? thresholds.count
    }

    public func order(_ jobs: [Int], in state: ClusterState) -> [Int] {
        state.ordered(jobs) { priorityKey(job: $0, in: state)! }
    }

    /// Twice the queue, plus one for a waiting job: running jobs first within a queue.
    public func priorityKey(job: Int, in state: ClusterState) -> Double? {
        Double(2 * queueIndex(job: job, in: state) + (state.jobs[job].status == .running ? 0 : 1))
    }

    /// Attained service does not change while a job waits; its queue changes once, when it
    /// has waited long enough to be promoted.
    public var hasStableWaitingKeys: Bool { true }

    /// The first instant at which a waiting job counts as starving (nil once it does).
    public func waitingKeyChanges(job: Int, in state: ClusterState) -> SimTime? {
        let lastQueued = state.jobs[job].lastQueued
        let limit = starvationLimit(runSeconds: state.jobs[job].runSeconds)
        let starving: (SimTime) -> Bool = { ($0 - lastQueued).seconds > limit }
        guard !starving(state.now) else { return nil }
        // The first microsecond past `limit`, exactly as `queueIndex` compares it.
        guard limit < 1e12 else { return .infinity }
        var t = lastQueued + SimTime(seconds: limit)
        while starving(t) { t = t - SimTime(microseconds: 1) }
        while !starving(t) { t = t + SimTime(microseconds: 1) }
        return t
    }
}

/// Heterogeneity-aware max-min fairness in the manner of Gavel (Narayanan et al., OSDI 2020).
///
/// Gavel solves a linear program for each job's time share per device type; this policy is the
/// round-based priority approximation: each round, jobs are ordered by the normalized
/// throughput they have received, least first. Service on a device type counts in units of the
/// job's throughput there relative to its best type (predicted), divided by the time the job
/// has been in the system and by its GPU count. Pair it with heterogeneity-aware placement.
public struct MaxMinFairnessScheduler: SchedulingPolicy {
    public init() {}
    public var name: String { "max-min-fairness" }
    public var isPreemptive: Bool { true }

    public func normalizedShare(job: Int, in state: ClusterState) -> Double {
        let j = state.jobs[job]
        var best = Double.infinity
        for t in state.feasible[job] { if let p = state.prediction(job: job, type: t) { best = min(best, p.timePerIteration) } }
        guard best.isFinite else { return 0 }
        var effective = 0.0
        for t in state.feasible[job] {
            var s = j.serviceByType[t]
            if j.status == .running && j.deviceType == t {
                s += max(0, (state.now - j.runStart).seconds) * Double(j.devices.count) * j.share
            }
            guard s > 0, let p = state.prediction(job: job, type: t) else { continue }
            effective += s * best / p.timePerIteration
        }
        let age = max(1, (state.now - j.job.submit).seconds)
        return effective / age / Double(max(j.job.gpus, 1))
    }

    public func order(_ jobs: [Int], in state: ClusterState) -> [Int] {
        state.ordered(jobs) { normalizedShare(job: $0, in: state) }
    }

    public func priorityKey(job: Int, in state: ClusterState) -> Double? { normalizedShare(job: job, in: state) }
}

/// Finish-time fairness (Mahajan et al., "Themis: Fair and Efficient GPU Cluster Scheduling",
/// NSDI 2020): ρ = (time in the system + predicted remaining time) / predicted time running
/// alone on its best device type. Jobs with the largest ρ (treated least fairly) go first.
public struct FinishTimeFairnessScheduler: SchedulingPolicy {
    public init() {}
    public var name: String { "ftf" }
    public var isPreemptive: Bool { true }

    public func rho(job: Int, in state: ClusterState) -> Double {
        let isolated = state.bestPredictedTotalSeconds(job: job)
        guard isolated.isFinite, isolated > 0 else { return 0 }
        let elapsed = (state.now - state.jobs[job].job.submit).seconds
        return (elapsed + state.bestPredictedRemainingSeconds(job: job)) / isolated
    }

    public func order(_ jobs: [Int], in state: ClusterState) -> [Int] {
        state.ordered(jobs) { -rho(job: $0, in: state) }
    }

    public func priorityKey(job: Int, in state: ClusterState) -> Double? { -rho(job: job, in: state) }
}
