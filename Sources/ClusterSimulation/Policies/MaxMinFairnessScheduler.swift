import ClusterKit

/// Heterogeneity-aware max-min fairness in the manner of Gavel (Narayanan et al., OSDI 2020).
///
/// Gavel solves a linear program for each job's time share per device type; this policy is the
/// round-based priority approximation: each round, jobs are ordered by the normalized
/// throughput they have received, least first. Service on a device type counts in units of the
/// job's throughput there relative to its best type (predicted), divided by the time the job
/// has been in the system and by its GPU count. Pair it with heterogeneity-aware placement.
/// A waiting job's share falls as one over its age (`waitingKeyCurve`), so the engine keeps
/// the waiting queue in order kinetically instead of re-ranking it at every round.
public struct MaxMinFairnessScheduler: SchedulingPolicy {
    public init() {}
    public var name: String { "max-min-fairness" }
    public var isPreemptive: Bool { true }

    /// The job's normalized share now.
    public func normalizedShare(job: Int, in view: PolicyView) -> Double {
        waitingKeyCurve(job: job, in: view)!.value(at: view.now)
    }

    public func order(_ jobs: [Int], in view: PolicyView) -> [Int] {
        view.ordered(jobs, byCurve: { waitingKeyCurve(job: $0, in: view)! })
    }

    public func priorityKey(job: Int, in view: PolicyView) -> Double? { normalizedShare(job: job, in: view) }

    public var hasKineticWaitingKeys: Bool { true }

    /// Effective service / (age × GPUs), age at least a second: while a job waits its service
    /// is fixed, so its share falls as 1/age.
    public func waitingKeyCurve(job: Int, in view: PolicyView) -> KeyCurve? {
        let j = view.job(job)
        let feasible = view.feasibleTypes(job: job)
        var best = Double.infinity
        for t in feasible { if let p = view.prediction(job: job, type: t) { best = min(best, p.timePerIteration) } }
        guard best.isFinite else { return .constant(0) }
        let service = j.serviceByType
        let running = j.status == .running
        var effective = 0.0
        for t in feasible {
            var s = service[t]
            if running && j.deviceType == t {
                s += max(0, (view.now - j.runStart).seconds) * Double(j.devices.count) * j.share
            }
            guard s > 0, let p = view.prediction(job: job, type: t) else { continue }
            effective += s * best / p.timePerIteration
        }
        return KeyCurve(origin: j.submit, a: 0, b: effective, c: Double(max(j.gpus, 1)), d: 0, minimumAge: 1)
    }
}
