import Optimization

/// Gavel's max-min fairness allocation (Narayanan et al., "Heterogeneity-Aware Cluster
/// Scheduling Policies for Deep Learning Workloads", OSDI 2020, §4.1), solved as a linear
/// program by GLPK (`Optimization.GLPKSolver`).
///
/// `X[j][t]` is the fraction of time job `j` should spend on device type `t`. The LP:
///
///     maximize m
///     subject to  X[j][t] ≥ 0                         (0 where j cannot run on t)
///                 Σ_t X[j][t] ≤ 1                     (a job runs on one type at a time)
///                 Σ_j X[j][t] · gpus_j ≤ count_t      (no type is oversubscribed)
///                 (gpus_j / w_j) · Σ_t throughput[j][t] · X[j][t] / normalizer_j ≥ m
///
/// `normalizer_j` is the job's throughput on its isolated equal share of the cluster (Gavel's
/// `IsolatedPolicy`, `X^equal` in the paper): with `n` jobs, `iso[j][t] = count_t / (n · gpus_j)`,
/// the row scaled down to sum to at most 1, and `normalizer_j = Σ_t throughput[j][t] · iso[j][t]`.
/// With ``Variant/heterogeneityAware`` (Gavel's `max_min_fairness_perf`) throughputs are the
/// given ones; with ``Variant/agnostic`` (Gavel's `max_min_fairness`, least attained service)
/// every usable throughput is 1, so only time shares count. Multiplying by the job's GPU count
/// (Gavel's scale factor) makes the fairness one of GPU time.
///
/// Jobs that can run on no type get nothing and take no part in the minimum. Variables and
/// constraints are built in job, then type order, so the same inputs give the same `X`.
public struct GavelMaxMinAllocation: Sendable, Equatable {
    /// Whether throughputs differ across types (`max_min_fairness_perf`) or not (`max_min_fairness`).
    public enum Variant: Sendable, Equatable { case heterogeneityAware, agnostic }

    /// One job's inputs.
    public struct Job: Sendable, Equatable {
        /// Iterations per second on each device type; 0 (or a shorter array) where it cannot run.
        public var throughputs: [Double]
        /// Devices the job needs at once, all of one type (Gavel's scale factor).
        public var gpus: Int
        /// Priority weight (Gavel's `priority_weight`): a larger weight gets a larger share.
        public var weight: Double

        public init(throughputs: [Double], gpus: Int = 1, weight: Double = 1) {
            self.throughputs = throughputs
            self.gpus = gpus
            self.weight = weight
        }
    }

    /// `shares[j][t]`: the fraction of time job `j` should run on type `t`.
    public let shares: [[Double]]
    /// The LP's optimum: the smallest weighted, normalized effective throughput over the jobs
    /// that can run (0 when none can).
    public let objective: Double

    /// Job `j`'s time fraction summed over the types.
    public func total(job j: Int) -> Double { shares[j].reduce(0, +) }

    /// Gavel's isolated equal share (`IsolatedPolicy`, `X^equal` in the paper) of a job needing
    /// `gpus` devices among `jobs` jobs: `count_t / (jobs · gpus)` of each type, the row scaled
    /// down to sum to at most 1.
    public static func isolatedShare(deviceCounts: [Int], jobs: Int, gpus: Int) -> [Double] {
        let equalShare = Double(jobs * gpus)
        let rowScale = max(1, Double(deviceCounts.reduce(0, +)) / equalShare)
        return deviceCounts.map { Double($0) / equalShare / rowScale }
    }

    /// Solves the LP for `jobs` on a cluster with `deviceCounts[t]` devices of type `t`.
    public static func solve(jobs: [Job], deviceCounts: [Int], variant: Variant = .heterogeneityAware) throws(LPError) -> GavelMaxMinAllocation {
        let types = deviceCounts.count
        var lp = LinearProgram(.maximize)
        // Column of X[j][t] (nil: fixed at 0) and job j's coefficient on it in its fairness row.
        var column = Array(repeating: [Int?](repeating: nil, count: types), count: jobs.count)
        var coefficient = Array(repeating: [Double](repeating: 0, count: types), count: jobs.count)
        var participates = Array(repeating: false, count: jobs.count)
        for (j, job) in jobs.enumerated() {
            guard job.gpus > 0, job.weight > 0, job.weight.isFinite else { continue }
            func usable(_ t: Int) -> Double {
                guard t < job.throughputs.count, job.gpus <= deviceCounts[t] else { return 0 }
                let x = job.throughputs[t]
                return x.isFinite && x > 0 ? x : 0
            }
            let raw = (0..<types).map(usable)
            guard raw.contains(where: { $0 > 0 }) else { continue }
            let throughput = variant == .agnostic ? raw.map { $0 > 0 ? 1.0 : 0 } : raw
            let equal = Self.isolatedShare(deviceCounts: deviceCounts, jobs: jobs.count, gpus: job.gpus)
            let normalizer = (0..<types).reduce(0.0) { $0 + throughput[$1] * equal[$1] }
            guard normalizer > 0 else { continue }
            participates[j] = true
            for t in 0..<types where throughput[t] > 0 {
                column[j][t] = lp.addVariable(lower: 0, upper: 1)
                coefficient[j][t] = Double(job.gpus) / job.weight * throughput[t] / normalizer
            }
        }
        guard participates.contains(true) else {
            return GavelMaxMinAllocation(shares: jobs.map { _ in Array(repeating: 0, count: types) }, objective: 0)
        }
        let m = lp.addVariable(lower: 0, upper: nil, objective: 1)
        for j in jobs.indices where participates[j] {
            lp.addLessOrEqual(column[j].compactMap { $0 }.map { ($0, 1) }, 1)
        }
        for t in 0..<types {
            let terms = jobs.indices.compactMap { j in column[j][t].map { ($0, Double(jobs[j].gpus)) } }
            if !terms.isEmpty { lp.addLessOrEqual(terms, Double(deviceCounts[t])) }
        }
        for j in jobs.indices where participates[j] {
            var terms = (0..<types).compactMap { t in column[j][t].map { ($0, coefficient[j][t]) } }
            terms.append((m, -1))
            lp.addGreaterOrEqual(terms, 0)
        }
        let solution = try GLPKIncrementalProblem(lp).solve(.primal)
        let shares = column.map { row in row.map { c in c.map { max(0, solution[$0]) } ?? 0 } }
        return GavelMaxMinAllocation(shares: shares, objective: solution[m])
    }
}
