import ClusterKit

/// Heterogeneity-aware max-min fairness in the manner of Gavel (Narayanan et al., OSDI 2020).
///
/// Gavel solves a linear program for each job's time share per device type; this policy is the
/// round-based priority approximation: each round, jobs are ordered by the normalized
/// throughput they have received, least first. Service on a device type counts in units of the
/// job's throughput there relative to its best type (predicted), divided by the time the job
/// has been in the system and by its GPU count. Pair it with heterogeneity-aware placement.
///
/// Every waiting job's share falls with its age, so the engine sorts the eligible queue at each
/// pass. A kinetic queue (`KineticHeaps`, as finish-time fairness uses) was measured slower
/// here: this policy rotates the whole cluster every round under overload, and each rotation
/// would cost a heap removal with its certificates (ITP ×1, measured the same day: 47–59 s
/// against 39 s sorting).
public struct MaxMinFairnessScheduler: SchedulingPolicy {
    public init() {}
    public var name: String { "max-min-fairness" }
    public var isPreemptive: Bool { true }

    public func normalizedShare(job: Int, in view: PolicyView) -> Double {
        let j = view.job(job)
        let feasible = view.feasibleTypes(job: job)
        var best = Double.infinity
        for t in feasible { if let p = view.prediction(job: job, type: t) { best = min(best, p.timePerIteration) } }
        guard best.isFinite else { return 0 }
        let service = j.serviceByType
        let running = j.status == .running
        var effective = 0.0
        for t in feasible {
            var s = service[t]
            if running && j.deviceType == t {
                s += max(0, (view.now - j.runStart).seconds) * Double(j.deviceCount) * j.share
            }
            guard s > 0, let p = view.prediction(job: job, type: t) else { continue }
            effective += s * best / p.timePerIteration
        }
        let age = max(1, (view.now - j.submit).seconds)
        return effective / age / Double(max(j.gpus, 1))
    }

    public func order(_ jobs: [Int], in view: PolicyView) -> [Int] {
        view.ordered(jobs) { normalizedShare(job: $0, in: view) }
    }

    public func priorityKey(job: Int, in view: PolicyView) -> Double? { normalizedShare(job: job, in: view) }
}
