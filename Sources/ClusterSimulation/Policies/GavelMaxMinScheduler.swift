import ClusterKit
import Foundation
import Optimization

/// Gavel's heterogeneity-aware max-min fairness with its round-based mechanism (Narayanan et
/// al., "Heterogeneity-Aware Cluster Scheduling Policies for Deep Learning Workloads", OSDI
/// 2020, §3 and §4.1): an LP (``GavelMaxMinAllocation``) gives each active job a fraction of
/// time on each device type, and each round jobs go first in order of
/// priority = (allocated time fraction summed over types) ÷ (fraction of its time in the
/// system it has run), so jobs behind their allocation catch up. A job that has not run yet
/// gets allocation × 10⁹ (Gavel's rule); a job outside the current allocation gets 0.
///
/// The LP sees the policy's predictor only: throughput on a type = 1 / predicted time per
/// iteration (`PolicyView.prediction`), never measured values.
///
/// The allocation is re-solved when the set of active (queued or running) jobs changed and at
/// least `recomputeSeconds` of simulated time passed since the last solve (Gavel resets its
/// allocation on job-set changes at most every 1,920 s; the default here is one 360 s round),
/// and cached in between; jobs that arrived since the last solve wait for the next one with
/// priority 0 (they may still use devices nobody above them can).
///
/// This runs inside Augur's event-driven engine; Gavel's own round-based mechanism (per-type
/// priorities, type shuffling, round-boundary admission) is `GavelMechanism`
/// (`--mechanism gavel`). Space sharing (`_packed`) is modelled by neither.
///
/// `@unchecked Sendable`: the cache is the only mutable state and every access holds `lock`.
/// Each simulation makes its own instance (`SchedulerKind.make()`); an instance shared across
/// simulations (the contract tests share one) re-solves whenever the simulation it is asked about changes.
public final class GavelMaxMinScheduler: SchedulingPolicy, @unchecked Sendable {
    public let variant: GavelMaxMinAllocation.Variant
    /// Simulated seconds between re-solves of the LP while the job set keeps changing.
    public let recomputeSeconds: Double

    private struct Cache {
        /// The simulation the LP was solved on (a shared instance may see several). Held, not
        /// just identified, so a later simulation can never reuse its state's address.
        var view: PolicyView
        var solvedAt: SimTime
        /// The active jobs the LP was solved for, ascending.
        var jobs: [Int]
        /// Each active job's allocated time fraction summed over types.
        var total: [Int: Double]
        /// Each active job's time fraction per device type.
        var shares: [Int: [Double]]
    }
    private var cache: Cache?
    private let lock = NSLock()
    private var solveCount = 0
    /// How many times the LP was solved (for tests and benchmarks).
    public var solves: Int {
        lock.lock()
        defer { lock.unlock() }
        return solveCount
    }

    public init(variant: GavelMaxMinAllocation.Variant = .heterogeneityAware, recomputeSeconds: Double = 360) {
        self.variant = variant
        self.recomputeSeconds = recomputeSeconds
    }

    public var name: String { variant == .agnostic ? "gavel-max-min-agnostic" : "gavel-max-min" }
    public var isPreemptive: Bool { true }

    public func order(_ jobs: [Int], in view: PolicyView) -> [Int] {
        let total = allocation(in: view)
        let keyed = jobs.map { j -> (priority: Double, share: Double, job: Int) in
            let x = total[j] ?? 0
            return (priority(job: j, allocated: x, in: view), x, j)
        }
        return keyed.sorted {
            if $0.priority != $1.priority { return $0.priority > $1.priority }
            if $0.share != $1.share { return $0.share > $1.share }
            return $0.job < $1.job
        }.map(\.job)
    }

    /// Allocation ÷ fraction of its time in the system the job has run (× 10⁹ if never run).
    func priority(job j: Int, allocated x: Double, in view: PolicyView) -> Double {
        guard x > 0 else { return 0 }
        let age = (view.now - view.job(j).submit).seconds
        let ran = view.runSeconds(job: j)
        guard age > 0, ran > 0 else { return x * 1e9 }
        return x / min(1, ran / age)
    }

    /// Each active job's allocated time fraction, from the cache or a new solve.
    func allocation(in view: PolicyView) -> [Int: Double] { current(in: view).total }

    /// Job `j`'s allocated time fraction on each device type (nil: not in the allocation).
    public func shares(job j: Int, in view: PolicyView) -> [Double]? { current(in: view).shares[j] }

    private func current(in view: PolicyView) -> Cache {
        let active = (view.running + view.queued).sorted()
        lock.lock()
        defer { lock.unlock() }
        if let c = cache, c.view.isSameSimulation(as: view),
           c.jobs == active || (view.now - c.solvedAt).seconds < recomputeSeconds && view.now >= c.solvedAt {
            return c
        }
        let shares = solve(active, in: view)
        let c = Cache(view: view, solvedAt: view.now, jobs: active, total: shares.mapValues { $0.reduce(0, +) }, shares: shares)
        cache = c
        return c
    }

    private func solve(_ active: [Int], in view: PolicyView) -> [Int: [Double]] {
        solveCount += 1
        let inputs = active.map { j -> GavelMaxMinAllocation.Job in
            var throughputs = Array(repeating: 0.0, count: view.deviceTypes.count)
            for t in view.feasibleTypes(job: j) {
                if let p = view.prediction(job: j, type: t), p.timePerIteration > 0 { throughputs[t] = 1 / p.timePerIteration }
            }
            return GavelMaxMinAllocation.Job(throughputs: throughputs, gpus: max(1, view.job(j).gpus))
        }
        // A solver failure leaves every job at priority 0 (ordered by index) rather than
        // stopping the simulation; the LP is always feasible (X = 0, m = 0) and bounded.
        guard let x = try? GavelMaxMinAllocation.solve(jobs: inputs, deviceCounts: view.totalCount, variant: variant) else {
            return [:]
        }
        var shares: [Int: [Double]] = [:]
        for (i, j) in active.enumerated() { shares[j] = x.shares[i] }
        return shares
    }
}
