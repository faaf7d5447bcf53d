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
    /// FIFO-perf, then each job left waiting shares the devices of the running job it packs
    /// best with, when their summed normalized co-located throughput exceeds 1.5
    /// (`FIFOPolicyWithPacking`).
    case fifoPacked = "fifo_packed"
    /// Least attained service: max-min fairness over time shares, every throughput taken as 1
    /// (`MaxMinFairnessPolicy`).
    case maxMinFairness = "max_min_fairness"
    /// Heterogeneity-aware max-min fairness over effective throughput, each job's normalized by
    /// its throughput on a proportional share of the cluster (`MaxMinFairnessPolicyWithPerf`).
    case maxMinFairnessPerf = "max_min_fairness_perf"
    /// The same with space sharing: every two active jobs of the same scale may share devices
    /// at their measured co-located throughputs (`MaxMinFairnessPolicyWithPacking`).
    case maxMinFairnessPacked = "max_min_fairness_packed"
    /// Finish-time fairness (Mahajan et al., "Themis", NSDI 2020, as Gavel formulates it):
    /// minimize the largest ratio of a job's expected finish time under the allocation to its
    /// finish time on an isolated equal share, every type's throughput taken as the job's V100
    /// throughput (`FinishTimeFairnessPolicy`).
    case finishTimeFairness = "finish_time_fairness"
    /// The same with each type's own throughput (`FinishTimeFairnessPolicyWithPerf`).
    case finishTimeFairnessPerf = "finish_time_fairness_perf"
    /// Maximize the total throughput of the cluster (`ThroughputSumWithPerf`).
    case maxSumThroughputPerf = "max_sum_throughput_perf"
    /// Minimize the time until every active job has finished (makespan), from each job's
    /// remaining steps and per-type throughputs (`MinTotalDurationPolicyWithPerf`).
    case minTotalDurationPerf = "min_total_duration_perf"

    /// Whether Gavel visits device types in its fixed order (its policies named `…Perf`) or
    /// shuffles them every round.
    var isHeterogeneityAware: Bool {
        [.fifoPerf, .fifoPacked, .maxMinFairnessPerf, .maxMinFairnessPacked, .finishTimeFairnessPerf, .maxSumThroughputPerf, .minTotalDurationPerf].contains(self)
    }
    /// Whether the policy lets two jobs share devices (Gavel's `…_packed`).
    var isPacked: Bool { self == .maxMinFairnessPacked || self == .fifoPacked }
    var isFIFO: Bool { self == .fifo || self == .fifoPerf || self == .fifoPacked }
}

/// The state FIFO keeps between recomputations (Gavel's base-mode FIFO remembers each job's
/// device type) and the allocation step of every policy.
struct GavelAllocator {
    let policy: GavelPolicyName
    /// Device types in Gavel's sorted order (by Gavel's type name), as indices.
    let sortedTypes: [Int]
    let counts: [Int]
    /// Gavel's name of each type (finish-time fairness's agnostic form reads the `v100`'s).
    var typeNames: [String]?
    private var fifoType: [Int: Int] = [:]
    private var rng: PythonRandom
    /// Finish-time fairness: each job's isolated time so far, and its steps remaining and
    /// isolated throughput at the last call (Gavel's bookkeeping).
    private var isolatedTime: [Int: Double] = [:]
    private var previous: [Int: (remaining: Double, isolated: Double)] = [:]
    /// The optimal ρ of the last call: where the next bisection starts.
    private var lastRho: Double?

    init(policy: GavelPolicyName, sortedTypes: [Int], counts: [Int], seed: UInt64) {
        self.policy = policy
        self.sortedTypes = sortedTypes
        self.counts = counts
        rng = PythonRandom(seed: seed)
    }

    /// What a policy knows of the active jobs when it allocates.
    struct Jobs {
        /// Active jobs, ascending.
        var active: [Int]
        /// `throughput[j][t]`: what the policy believes (its predictor's answer; 0: cannot run).
        var throughput: [[Double]]
        var scale: [Int]
        var weight: [Double]
        /// Seconds since each job arrived, and its steps left.
        var elapsed: [Int: Double] = [:]
        var remaining: [Int: Double] = [:]
        /// With space sharing: the pairs that may share devices, and what the policy believes
        /// each member does per type while they share (`[type][member]`).
        var pairs: [GavelCombination] = []
        var pairThroughput: [GavelCombination: [[Double]]] = [:]
    }

    /// The allocation for the active jobs (and, with space sharing, pairs): share per type. A
    /// combination it was given and does not list has no share anywhere (it is still in the
    /// allocation: `GavelMechanism` tells the two apart from combinations created since).
    mutating func allocate(_ jobs: Jobs) throws(LPError) -> [GavelCombination: [Double]] {
        if policy == .maxMinFairnessPacked { return try maxMinPacked(jobs) }
        let perJob: [Int: [Double]]
        switch policy {
        case .fifoPacked: return fifoPacked(jobs)
        case .fifo, .fifoPerf: perJob = fifo(active: jobs.active, throughput: jobs.throughput, scale: jobs.scale).allocation
        case .maxMinFairness, .maxMinFairnessPerf, .maxMinFairnessPacked: perJob = try maxMin(jobs)
        case .maxSumThroughputPerf: perJob = try maxSumThroughput(jobs)
        case .minTotalDurationPerf: perJob = try minTotalDuration(jobs)
        case .finishTimeFairness, .finishTimeFairnessPerf: perJob = try finishTimeFairness(jobs)
        }
        var out: [GavelCombination: [Double]] = [:]
        for (j, x) in perJob { out[.alone(j)] = x }
        return out
    }

    /// Gavel's FIFO (`fifo.py`): in base mode, completed jobs hand their type to the queue's
    /// head, and each further queued job takes a type drawn by `randrange` among those with room;
    /// as in Gavel's code the drawn index only decides which type leaves the list when one fills
    /// up, and the job goes to the last type of the list (the one the capacity scan ended on). In
    /// perf mode the allocation is rebuilt from scratch, each job on the fastest type with room.
    /// Also returns the jobs left waiting, in order (as Gavel's code leaves its queue: the job
    /// that found no room is dropped from it).
    private mutating func fifo(active: [Int], throughput: [[Double]], scale: [Int]) -> (allocation: [Int: [Double]], waiting: [Int]) {
        let perf = policy != .fifo
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
        return (out, queue)
    }

    /// Gavel's FIFO with packing: FIFO-perf's allocation, then, head of the waiting queue
    /// first, each waiting job joins the allocated job (alone, same scale) with which their
    /// summed co-located throughput, each normalized by its throughput alone on that job's
    /// type, is highest and above 1.5 (the first such job in allocation order on ties); the pair
    /// takes that job's type and its allocation. It stops at the first waiting job with no such
    /// partner (no job jumps the queue). What the policy believes: its predictor's throughputs
    /// alone, Gavel's measured slowdowns when sharing.
    mutating func fifoPacked(_ jobs: Jobs) -> [GavelCombination: [Double]] {
        let (perJob, waiting) = fifo(active: jobs.active, throughput: jobs.throughput, scale: jobs.scale)
        var typeOf: [Int: Int] = [:]
        for (j, row) in perJob { if let t = row.firstIndex(of: 1) { typeOf[j] = t } }
        var alone = jobs.active.filter { typeOf[$0] != nil }
        var pairs: [(GavelCombination, Int)] = []
        for w in waiting {
            var best = 1.5
            var partner: Int?
            for a in alone where jobs.scale[a] == jobs.scale[w] {
                let t = typeOf[a]!
                let pair = GavelCombination.pair(a, w)
                guard let shared = jobs.pairThroughput[pair]?[t] else { continue }
                var normalized = 0.0
                for (member, rate) in zip(pair.members, shared) where rate > 0 && jobs.throughput[member][t] > 0 {
                    normalized += rate / jobs.throughput[member][t]
                }
                if normalized > best { best = normalized; partner = a }
            }
            guard let partner else { break }
            alone.removeAll { $0 == partner }
            pairs.append((.pair(partner, w), typeOf[partner]!))
        }
        var out: [GavelCombination: [Double]] = [:]
        for j in jobs.active { out[.alone(j)] = Array(repeating: 0, count: counts.count) }
        for j in alone { out[.alone(j)]![typeOf[j]!] = 1 }
        for (c, t) in pairs {
            var row = Array(repeating: 0.0, count: counts.count)
            row[t] = 1
            out[c] = row
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
    private func maxMin(_ jobs: Jobs) throws(LPError) -> [Int: [Double]] {
        guard !jobs.active.isEmpty else { return [:] }
        let perf = policy == .maxMinFairnessPerf || policy == .maxMinFairnessPacked
        var (lp, x) = baseProgram(jobs, sense: .maximize)
        let m = lp.addVariable(lower: nil, upper: nil, objective: 1)
        boundIfNothingRuns(&lp, m, jobs)
        for (a, j) in jobs.active.enumerated() {
            let t = sortedTypes.map { perf ? max(0, jobs.throughput[j][$0]) : 1.0 }
            let p = perf ? proportionalThroughput(jobs, j) : 1
            // A job the policy believes can run nowhere gets nothing and takes no part in the minimum.
            guard p > 0 else {
                lp.addLessOrEqual(x[a].map { ($0, 1) }, 0)
                continue
            }
            let row = sortedTypes.indices.map { (x[a][$0], t[$0] * Double(jobs.scale[j]) / (jobs.weight[j] * p)) }
            lp.addGreaterOrEqual(row + [(m, -1)], 0)
        }
        return shares(jobs, x, try GLPKSolver.solve(lp))
    }
}

extension GavelAllocator {
    /// A job's throughput on a proportional share of the cluster, `Σ_t T[j][t] · count_t /
    /// Σ_t count_t` (Gavel's normalization in its max-min programs; a negative throughput counts
    /// as 0).
    func proportionalThroughput(_ jobs: Jobs, _ j: Int) -> Double {
        sortedTypes.reduce(0.0) { $0 + max(0, jobs.throughput[j][$1]) * Double(counts[$1]) } / Double(counts.reduce(0, +))
    }

    /// With no active job the policy believes can run anywhere, nothing bounds the minimum `m`
    /// of a max-min program: bound it at 0, so every job gets nothing.
    func boundIfNothingRuns(_ lp: inout LinearProgram, _ m: Int, _ jobs: Jobs) {
        if !jobs.active.contains(where: { j in sortedTypes.contains { jobs.throughput[j][$0] > 0 } }) { lp.addLessOrEqual([(m, 1)], 0) }
    }

    /// Gavel's base constraints on `x[a][k]` (job `active[a]`, type `sortedTypes[k]`): shares in
    /// [0, 1], at most 1 per job, no type oversubscribed; `objective(a, k)` is x[a][k]'s coefficient.
    func baseProgram(_ jobs: Jobs, sense: LinearProgram.Sense, objective: (Int, Int) -> Double = { _, _ in 0 }) -> (LinearProgram, [[Int]]) {
        var lp = LinearProgram(sense)
        let x = jobs.active.indices.map { a in sortedTypes.indices.map { k in lp.addVariable(lower: 0, upper: 1, objective: objective(a, k)) } }
        for a in jobs.active.indices { lp.addLessOrEqual(x[a].map { ($0, 1) }, 1) }
        for (k, type) in sortedTypes.enumerated() {
            lp.addLessOrEqual(jobs.active.indices.map { (x[$0][k], Double(jobs.scale[jobs.active[$0]])) }, Double(counts[type]))
        }
        return (lp, x)
    }

    /// The allocation of a solved base program, per job and type (clipped to [0, 1]).
    func shares(_ jobs: Jobs, _ x: [[Int]], _ solution: LPSolution) -> [Int: [Double]] {
        var out: [Int: [Double]] = [:]
        for (a, j) in jobs.active.enumerated() {
            var row = Array(repeating: 0.0, count: counts.count)
            for (k, type) in sortedTypes.enumerated() { row[type] = min(1, max(0, solution[x[a][k]])) }
            out[j] = row
        }
        return out
    }

    /// Gavel's isolated equal share of a job (`GavelMaxMinAllocation.isolatedShare`), per type.
    func isolatedShare(_ jobs: Jobs, scale: Int) -> [Double] {
        GavelMaxMinAllocation.isolatedShare(deviceCounts: counts, jobs: jobs.active.count, gpus: scale)
    }

    /// Gavel's `max_sum_throughput_perf`: maximize `Σ_j Σ_t T[j][t] · x[j][t]` under the base
    /// constraints.
    func maxSumThroughput(_ jobs: Jobs) throws(LPError) -> [Int: [Double]] {
        guard !jobs.active.isEmpty else { return [:] }
        let (lp, x) = baseProgram(jobs, sense: .maximize) { a, k in max(0, jobs.throughput[jobs.active[a]][sortedTypes[k]]) }
        return shares(jobs, x, try GLPKSolver.solve(lp))
    }

    /// Gavel's `min_total_duration_perf`: the smallest `M` such that every active job can do its
    /// remaining steps `R_j` within `M` under one allocation, `Σ_t T[j][t] · x[j][t] · M ≥ R_j`.
    /// Gavel bisects on `M` with a feasibility program per step; with `z = 1 / M` the same
    /// optimum is one LP: maximize `z` subject to `Σ_t T[j][t] · x[j][t] − R_j · z ≥ 0` and the
    /// base constraints. Jobs the policy believes can run nowhere, or with nothing left, take
    /// no part (they get nothing). Only the slowest job's constraint binds, so the optimum is
    /// degenerate: jobs that would finish earlier get a vertex's shares (GLPK's simplex).
    func minTotalDuration(_ jobs: Jobs) throws(LPError) -> [Int: [Double]] {
        guard !jobs.active.isEmpty else { return [:] }
        var (lp, x) = baseProgram(jobs, sense: .maximize)
        let z = lp.addVariable(lower: 0, upper: nil, objective: 1)
        var constrained = false
        for (a, j) in jobs.active.enumerated() {
            let t = sortedTypes.map { max(0, jobs.throughput[j][$0]) }
            let left = jobs.remaining[j] ?? 0
            guard left > 0, t.contains(where: { $0 > 0 }) else {
                lp.addLessOrEqual(x[a].map { ($0, 1) }, 0)
                continue
            }
            lp.addGreaterOrEqual(sortedTypes.indices.map { (x[a][$0], t[$0]) } + [(z, -left)], 0)
            constrained = true
        }
        // Nothing bounds z without a job to finish: give every job nothing.
        if !constrained { lp.addLessOrEqual([(z, 1)], 0) }
        return shares(jobs, x, try GLPKSolver.solve(lp))
    }

    /// Gavel's finish-time fairness: minimize `ρ = max_j (elapsed_j + R_j / Σ_t T[j][t] x[j][t]) /
    /// E_j`, where `E_j` is the job's isolated time so far plus `R_j` over its isolated
    /// throughput. Gavel hands this quasi-convex program to a convex solver; here it is solved by
    /// bisection on `ρ`, each step a feasibility LP (`Σ_t T[j][t] x[j][t] ≥ R_j / (ρ E_j −
    /// elapsed_j)`), to a relative precision of 10⁻⁴, starting from a bracket around the last
    /// call's optimum. The steps share one program in GLPK (`GLPKIncrementalProblem`): only the
    /// right-hand sides change, and each solve starts from the last basis. The agnostic variant takes every type's
    /// throughput as the job's V100 throughput, as Gavel does. When no allocation is feasible
    /// (a job that can run nowhere) the isolated share is returned, as in Gavel.
    mutating func finishTimeFairness(_ jobs: Jobs) throws(LPError) -> [Int: [Double]] {
        guard !jobs.active.isEmpty else { previous = [:]; return [:] }
        let reference = sortedTypes.first { typeNames?[$0] == "v100" }
        var believed = jobs
        if policy == .finishTimeFairness, let reference {
            for j in jobs.active { believed.throughput[j] = Array(repeating: jobs.throughput[j][reference], count: counts.count) }
        }
        var expected: [Int: Double] = [:]
        var isolated: [Int: Double] = [:]
        for j in jobs.active {
            let iso = zip(isolatedShare(jobs, scale: jobs.scale[j]), believed.throughput[j]).reduce(0.0) { $0 + $1.0 * $1.1 }
            let left = jobs.remaining[j] ?? 0
            if let p = previous[j], p.isolated > 0 { isolatedTime[j, default: 0] += (p.remaining - left) / p.isolated }
            isolated[j] = iso
            expected[j] = iso > 0 ? isolatedTime[j, default: 0] + left / iso : .infinity
        }
        previous = Dictionary(uniqueKeysWithValues: jobs.active.map { ($0, (jobs.remaining[$0] ?? 0, isolated[$0]!)) })
        // One program for the whole bisection: only the jobs' required throughputs change, and
        // each solve starts from the last one's basis.
        var (lp, x) = baseProgram(believed, sense: .maximize)
        var needRow: [Int] = []
        for (a, j) in jobs.active.enumerated() {
            needRow.append(lp.constraints.count)
            lp.addGreaterOrEqual(sortedTypes.indices.map { (x[a][$0], max(0, believed.throughput[j][sortedTypes[$0]])) }, 0)
        }
        let program = try? GLPKIncrementalProblem(lp)
        func feasible(_ rho: Double) -> [Int: [Double]]? {
            guard let program else { return nil }
            for (a, j) in jobs.active.enumerated() {
                let e = expected[j]!, t = jobs.elapsed[j] ?? 0, left = jobs.remaining[j] ?? 0
                guard e.isFinite else { return nil }
                guard rho * e > t else { return nil }
                guard (try? program.setBounds(constraint: needRow[a], lower: left / (rho * e - t), upper: nil)) != nil else { return nil }
            }
            guard let solution = try? program.solve() else { return nil }
            return shares(jobs, x, solution)
        }
        let lowest = jobs.active.map { j in (jobs.elapsed[j] ?? 0) / expected[j]! }.max() ?? 0
        var lo = max(0, lowest), hi = max(1, lowest * 2)
        // ρ moves little between recomputations: bracket it around the last optimum first.
        if let last = lastRho, last * 1.05 > lo {
            hi = last * 1.05
            if feasible(max(lo, last * 0.95)) == nil { lo = max(lo, last * 0.95) }
        }
        var best = feasible(hi)
        var doublings = 0
        while best == nil && doublings < 60 { lo = hi; hi *= 2; best = feasible(hi); doublings += 1 }
        guard var answer = best else {
            // Gavel's fallback: the isolated equal share.
            var out: [Int: [Double]] = [:]
            for j in jobs.active {
                out[j] = zip(isolatedShare(jobs, scale: jobs.scale[j]), jobs.throughput[j]).map { $1 > 0 ? $0 : 0 }
            }
            return out
        }
        while hi - lo > 1e-4 * hi {
            let mid = (lo + hi) / 2
            if let x = feasible(mid) { answer = x; hi = mid } else { lo = mid }
        }
        lastRho = hi
        return answer
    }
}

extension GavelAllocator {
    /// Gavel's max-min fairness with space sharing (`MaxMinFairnessPolicyWithPacking`; Narayanan
    /// et al., OSDI 2020, §3.1): a share `x[c][t] ≥ 0` for every combination `c` (each job alone,
    /// each pair of `Jobs.pairs`) and type; per job, its combinations' shares sum to at most 1;
    /// per type, `Σ_c scale_c · x[c][t] ≤ count_t` (a pair holds its devices once); maximize `m`
    /// with, for every job `j`, `Σ_{c∋j} Σ_t T_j(c, t) · scale_j / (w_j · P_j) · x[c][t] ≥ m`,
    /// where `T_j(c, t)` is the job's throughput alone or while sharing and `P_j` its throughput
    /// on a proportional share of the cluster (alone).
    ///
    /// The program is degenerate like the other max-min programs: only the minimum is
    /// maximized. Gavel's ECOS returns a point inside the optimal face, where a pair that
    /// fairness does not need gets a sliver of time and so a low priority; GLPK's simplex
    /// returns a vertex, which may give such pairs whole shares (co-locating five times as
    /// often as Gavel on its 100-job trace). So a second program keeps the minimum reached and
    /// minimizes the pairs' total share: devices are shared only as far as fairness needs.
    ///
    /// Solved by column generation (each pair variable priced by its reduced cost): both
    /// programs start with every job alone and no pair; a pair's share on a type (where both
    /// jobs run) is added only when the duals price it as improving (reduced cost above 10⁻⁹
    /// for the fairness, below −10⁻⁹ for the least pair share), the most improving first, until
    /// none is, each solve starting from the last basis. The optima are those of the whole
    /// programs, which `generatingColumns: false` builds (every pair added at once; tests
    /// compare the two).
    func maxMinPacked(_ jobs: Jobs, generatingColumns: Bool = true) throws(LPError) -> [GavelCombination: [Double]] {
        guard !jobs.active.isEmpty else { return [:] }
        let types = sortedTypes.count
        var lp = LinearProgram(.maximize)
        let alone = jobs.active.map { _ in sortedTypes.map { _ in lp.addVariable(lower: 0, upper: 1) } }
        let m = lp.addVariable(lower: nil, upper: nil, objective: 1)
        boundIfNothingRuns(&lp, m, jobs)
        let capacityRow = (0..<types).map { k in lp.constraints.count + k }
        for (k, type) in sortedTypes.enumerated() {
            lp.addLessOrEqual(jobs.active.indices.map { (alone[$0][k], Double(jobs.scale[jobs.active[$0]])) }, Double(counts[type]))
        }
        var position: [Int: Int] = [:]
        var timeRow: [Int] = [], fairRow: [Int?] = [], weight: [Double] = []
        for (a, j) in jobs.active.enumerated() {
            position[j] = a
            timeRow.append(lp.constraints.count)
            lp.addLessOrEqual(alone[a].map { ($0, 1) }, 1)
            let p = proportionalThroughput(jobs, j)
            guard p > 0 else {
                // A job the policy believes can run nowhere alone gets nothing.
                lp.addLessOrEqual(alone[a].map { ($0, 1) }, 0)
                fairRow.append(nil)
                weight.append(0)
                continue
            }
            let w = Double(jobs.scale[j]) / (jobs.weight[j] * p)
            fairRow.append(lp.constraints.count)
            weight.append(w)
            lp.addGreaterOrEqual(sortedTypes.indices.map { (alone[a][$0], max(0, jobs.throughput[j][sortedTypes[$0]]) * w) } + [(m, -1)], 0)
        }
        // Candidate pair columns, in Gavel's order: (pair, type index) with both jobs running there.
        struct Candidate { let pair: GavelCombination; let a: Int; let b: Int; let k: Int; let ra: Double; let rb: Double }
        var candidates: [Candidate] = []
        for c in jobs.pairs {
            guard let a = position[c.first], let b = position[c.second!], let rates = jobs.pairThroughput[c] else { continue }
            for (k, type) in sortedTypes.enumerated() {
                let r = rates[type]
                guard r.count == 2, r[0] > 0, r[1] > 0 else { continue }
                candidates.append(Candidate(pair: c, a: a, b: b, k: k, ra: r[0] * weight[a], rb: r[1] * weight[b]))
            }
        }
        func terms(_ c: Candidate) -> [(constraint: Int, coefficient: Double)] {
            var out: [(constraint: Int, coefficient: Double)] = [(capacityRow[c.k], Double(jobs.scale[c.pair.first])), (timeRow[c.a], 1), (timeRow[c.b], 1)]
            if let f = fairRow[c.a] { out.append((f, c.ra)) }
            if let f = fairRow[c.b] { out.append((f, c.rb)) }
            return out
        }
        let problem = try GLPKIncrementalProblem(lp)
        var added = Array(repeating: -1, count: candidates.count)
        if !generatingColumns {
            for i in candidates.indices { added[i] = try problem.addVariable(lower: 0, upper: 1, objective: 0, terms: terms(candidates[i])) }
        }
        let batch = max(8, jobs.active.count)
        /// Adds the most improving candidates (reduced cost `objective − Σ dual × coefficient`,
        /// improving when `sign ×` it exceeds 10⁻⁹); false when none improves.
        func price(_ solution: LPSolution, objective: Double, sign: Double) throws(LPError) -> Bool {
            let y = solution.duals
            var improving: [(gain: Double, index: Int)] = []
            for (i, c) in candidates.enumerated() where added[i] < 0 {
                var d = objective - y[capacityRow[c.k]] * Double(jobs.scale[c.pair.first]) - y[timeRow[c.a]] - y[timeRow[c.b]]
                if let f = fairRow[c.a] { d -= y[f] * c.ra }
                if let f = fairRow[c.b] { d -= y[f] * c.rb }
                if sign * d > 1e-9 { improving.append((sign * d, i)) }
            }
            guard !improving.isEmpty else { return false }
            improving.sort { $0.gain != $1.gain ? $0.gain > $1.gain : $0.index < $1.index }
            for (_, i) in improving.prefix(batch) {
                added[i] = try problem.addVariable(lower: 0, upper: 1, objective: objective, terms: terms(candidates[i]))
            }
            return true
        }
        var solution = try problem.solve(.primal)
        while try price(solution, objective: 0, sign: 1) { solution = try problem.solve(.primal) }
        let best = solution[m]
        try problem.setBounds(variable: m, lower: best - 1e-9 * abs(best), upper: nil)
        var objective = Array(repeating: 0.0, count: problem.variableCount)
        for v in added where v >= 0 { objective[v] = 1 }
        try problem.setObjective(.minimize, coefficients: objective)
        solution = try problem.solve(.primal)
        while try price(solution, objective: 1, sign: -1) { solution = try problem.solve(.primal) }
        var out: [GavelCombination: [Double]] = [:]
        for (a, j) in jobs.active.enumerated() {
            var row = Array(repeating: 0.0, count: counts.count)
            for (k, type) in sortedTypes.enumerated() { row[type] = min(1, max(0, solution[alone[a][k]])) }
            out[.alone(j)] = row
        }
        for (i, c) in candidates.enumerated() where added[i] >= 0 {
            let x = min(1, max(0, solution[added[i]]))
            if x > 0 { out[c.pair, default: Array(repeating: 0, count: counts.count)][sortedTypes[c.k]] = x }
        }
        return out
    }
}

