import Optimization

/// The allocation policies of Gavel's simulator (Narayanan et al., "Heterogeneity-Aware Cluster
/// Scheduling Policies for Deep Learning Workloads", OSDI 2020), as its code defines them, for
/// ``GavelMechanism``: each returns, for the active jobs, the fraction of time each should
/// spend on each device type. Names are Gavel's own.
public enum GavelPolicyName: String, CaseIterable, Sendable {
    /// First in, first out; each new job is given one device type at random among those with
    /// room (Gavel's `FIFOPolicy` in its base mode), kept until it completes.
    case fifo
    /// First in, first out onto the fastest device type with room, re-decided at every
    /// recomputation (`FIFOPolicyWithPerf`).
    case fifoPerf = "fifo_perf"
    /// Least attained service: max-min fairness over time shares, every throughput taken as 1
    /// (`MaxMinFairnessPolicy`).
    case maxMinFairness = "max_min_fairness"
    /// Heterogeneity-aware max-min fairness over effective throughput, each job's normalized by
    /// its throughput on a proportional share of the cluster (`MaxMinFairnessPolicyWithPerf`).
    case maxMinFairnessPerf = "max_min_fairness_perf"

    /// Whether Gavel visits device types in its fixed order (heterogeneity-aware policies) or
    /// shuffles them every round.
    var isHeterogeneityAware: Bool { self == .fifoPerf || self == .maxMinFairnessPerf }
    var isFIFO: Bool { self == .fifo || self == .fifoPerf }
}

/// The state FIFO keeps between recomputations (Gavel's base-mode FIFO remembers each job's
/// device type) and the allocation step of every policy.
struct GavelAllocator {
    let policy: GavelPolicyName
    /// Device types in Gavel's sorted order (by Gavel's type name), as indices.
    let sortedTypes: [Int]
    let counts: [Int]
    private var fifoType: [Int: Int] = [:]
    private var rng: PythonRandom

    init(policy: GavelPolicyName, sortedTypes: [Int], counts: [Int], seed: UInt64) {
        self.policy = policy
        self.sortedTypes = sortedTypes
        self.counts = counts
        rng = PythonRandom(seed: seed)
    }

    /// The allocation for `active` jobs (ascending ids): `[job: share per type]`.
    /// `throughput[j][t]` is what the policy believes (its predictor's answer; 0: cannot run).
    mutating func allocate(active: [Int], throughput: [[Double]], scale: [Int], weight: [Double]) throws(LPError) -> [Int: [Double]] {
        switch policy {
        case .fifo, .fifoPerf: return fifo(active: active, throughput: throughput, scale: scale)
        case .maxMinFairness, .maxMinFairnessPerf: return try maxMin(active: active, throughput: throughput, scale: scale, weight: weight)
        }
    }

    /// Gavel's FIFO (`fifo.py`): in base mode, completed jobs hand their type to the queue's
    /// head, and each further queued job takes a type drawn by `randrange` among those with room;
    /// as in Gavel's code the drawn index only decides which type leaves the list when one fills
    /// up, and the job goes to the last type of the list (the one the capacity scan ended on). In
    /// perf mode the allocation is rebuilt from scratch, each job on the fastest type with room.
    private mutating func fifo(active: [Int], throughput: [[Double]], scale: [Int]) -> [Int: [Double]] {
        let perf = policy == .fifoPerf
        if perf { fifoType = [:] }
        var available = counts
        let activeSet = Set(active)
        var queue = active.filter { fifoType[$0] == nil }
        for j in fifoType.keys.sorted() {
            let type = fifoType[j]!
            if activeSet.contains(j) {
                available[type] -= scale[j]
                continue
            }
            if let head = queue.first, scale[head] <= available[type], throughput[head][type] > 0 {
                queue.removeFirst()
                fifoType[head] = type
                available[type] -= scale[head]
            }
            fifoType[j] = nil
        }
        var types = sortedTypes.filter { available[$0] > 0 }
        while !queue.isEmpty && !types.isEmpty {
            let j = queue.removeFirst()
            let withRoom = types.indices.filter { available[types[$0]] >= scale[j] }
            guard !withRoom.isEmpty else { break }
            var chosen: Int
            var drawn: Int
            if perf {
                drawn = 0
                var best = -1.0
                for (i, k) in withRoom.enumerated() where throughput[j][types[k]] > best {
                    best = throughput[j][types[k]]
                    drawn = i
                }
                chosen = types[withRoom[drawn]]
            } else {
                drawn = rng.below(withRoom.count)
                chosen = types[types.count - 1]
            }
            guard throughput[j][chosen] > 0 else { continue }
            fifoType[j] = chosen
            available[chosen] -= scale[j]
            if available[chosen] == 0 { types.remove(at: withRoom[drawn]) }
        }
        var out: [Int: [Double]] = [:]
        for j in active {
            var row = Array(repeating: 0.0, count: counts.count)
            if let t = fifoType[j] { row[t] = 1 }
            out[j] = row
        }
        return out
    }

    /// Gavel's max-min fairness LP: maximize `m` subject to, for every job,
    /// `Σ_t T[j][t] · scale_j / (w_j · P_j) · x[j][t] ≥ m`, `0 ≤ x[j][t]`, `Σ_t x[j][t] ≤ 1`,
    /// and per type `Σ_j scale_j · x[j][t] ≤ count_t`. With perf, `P_j = Σ_t T[j][t] · count_t /
    /// Σ_t count_t` (the job's throughput on a proportional share of the cluster); without, every
    /// `T` is 1 (where the job cannot run too, as in Gavel) and `P_j = 1`. Variables go in job,
    /// then Gavel's type order. The program is degenerate (only the minimum is maximized): GLPK's
    /// simplex returns a vertex of the optimal face where Gavel's interior-point solver (ECOS)
    /// returns a point inside it, which is what remains of the difference to Gavel's results
    /// (README, "Gavel's simulator reproduced").
    private func maxMin(active: [Int], throughput: [[Double]], scale: [Int], weight: [Double]) throws(LPError) -> [Int: [Double]] {
        guard !active.isEmpty else { return [:] }
        let perf = policy == .maxMinFairnessPerf
        let total = Double(counts.reduce(0, +))
        var lp = LinearProgram(.maximize)
        let x = active.indices.map { _ in sortedTypes.map { _ in lp.addVariable(lower: 0, upper: 1) } }
        let m = lp.addVariable(lower: nil, upper: nil, objective: 1)
        for a in active.indices { lp.addLessOrEqual(x[a].map { ($0, 1) }, 1) }
        for (k, type) in sortedTypes.enumerated() {
            lp.addLessOrEqual(active.indices.map { (x[$0][k], Double(scale[active[$0]])) }, Double(counts[type]))
        }
        for (a, j) in active.enumerated() {
            let t = sortedTypes.map { perf ? max(0, throughput[j][$0]) : 1.0 }
            let p = perf ? zip(sortedTypes, t).reduce(0.0) { $0 + $1.1 * Double(counts[$1.0]) } / total : 1
            // A job the policy believes can run nowhere gets nothing and takes no part in the minimum.
            guard p > 0 else {
                lp.addLessOrEqual(x[a].map { ($0, 1) }, 0)
                continue
            }
            let row = sortedTypes.indices.map { (x[a][$0], t[$0] * Double(scale[j]) / (weight[j] * p)) }
            lp.addGreaterOrEqual(row + [(m, -1)], 0)
        }
        let solution = try GLPKSolver.solve(lp)
        var out: [Int: [Double]] = [:]
        for (a, j) in active.enumerated() {
            var row = Array(repeating: 0.0, count: counts.count)
            for (k, type) in sortedTypes.enumerated() { row[type] = min(1, max(0, solution[x[a][k]])) }
            out[j] = row
        }
        return out
    }
}
