import ClusterKit
import Optimization

/// Gavel's round-based mechanism as its simulator runs it (Narayanan et al., OSDI 2020, §5;
/// `scheduler.py`'s `simulate`), for `augur simulate --mechanism gavel`: what Augur must
/// reproduce to compare with Gavel's published and re-run results
/// (`../shared/datasets/gavel-reference/README.md` describes the mechanism).
///
/// - Rounds of `roundSeconds`: the jobs scheduled in a round start together; each runs
///   `min(⌊throughput · roundSeconds⌋, remaining)` steps and finishes after `steps / throughput`;
///   the round ends when its last job does; a job completes at its own finish. With nothing
///   running the clock jumps to the next arrival.
/// - Admission only at round ends (JCT still counts from the arrival).
/// - The allocation (``GavelAllocator``) is recomputed at a round start when the job set changed
///   and `resetSeconds` passed since the last reset (or the last reset was at time 0); jobs that
///   arrived since are not in it and get no device.
/// - Per device type, priority = allocation ÷ (the job's time on the type ÷ the type's time)
///   since the reset, ties broken by deficit, then allocation; types are visited in Gavel's order
///   (v100, p100, k80), shuffled every round for policies that ignore heterogeneity; a job runs
///   at most once per round, on `scale` devices of one type.
///
/// The engine executes with `measured` throughputs; the allocation sees `predicted` ones (the
/// policy's predictor): with the measured oracle as predictor this is Gavel's simulator.
public struct GavelMechanism: Sendable {
    public struct Job: Sendable {
        public var arrival: Double
        public var steps: Int
        public var scale: Int
        public var weight: Double
        /// Steps per second on each device type with `scale` devices (0: cannot run there).
        public var measured: [Double]
        /// What the policy believes, per type.
        public var predicted: [Double]
        /// The job's kind in `GavelMechanism.colocation` (-1: none; it never shares devices).
        public var kind: Int

        public init(arrival: Double, steps: Int, scale: Int, weight: Double, measured: [Double], predicted: [Double], kind: Int = -1) {
            self.arrival = arrival
            self.steps = steps
            self.scale = scale
            self.weight = weight
            self.measured = measured
            self.predicted = predicted
            self.kind = kind
        }
    }

    /// One job's outcome: completion time (s), rounds run per device type, and how many of
    /// them it shared with another job.
    public struct Outcome: Sendable, Equatable {
        public var completion: Double
        public var rounds: [Int]
        public var colocatedRounds = 0
    }

    public struct Result: Sendable {
        public var outcomes: [Outcome]
        /// The clock when the last job completed (Gavel's makespan).
        public var makespan: Double
        public var rounds: Int
        /// Device-seconds busy ÷ (devices × makespan).
        public var utilization: Double
        public var avgJCT: Double
    }

    public var policy: GavelPolicyName
    /// Gavel's name of each device type (`v100`, `p100`, `k80`, or the catalog's name).
    public var typeNames: [String]
    public var counts: [Int]
    public var seed: UInt64 = 0
    public var roundSeconds: Double = 360
    public var resetSeconds: Double = 1920
    /// Co-located throughputs, for the space-sharing policies (`GavelPolicyName.isPacked`).
    public var colocation: GavelColocationTable?
    /// The most combinations (jobs alone and pairs) a space-sharing run may track at once: every
    /// two active jobs of one scale are a pair, and each is a variable of every LP, so a trace
    /// with more active jobs than about 630 is refused rather than left to run for hours.
    public var maxCombinations = 200_000

    public init(policy: GavelPolicyName, typeNames: [String], counts: [Int]) {
        self.policy = policy
        self.typeNames = typeNames
        self.counts = counts
    }

    /// Device types in Gavel's fixed visiting order: v100, p100, k80, then the rest by name.
    var visitingOrder: [Int] {
        let fixed = ["v100", "p100", "k80"]
        return typeNames.indices.sorted { a, b in
            let (ia, ib) = (fixed.firstIndex(of: typeNames[a]) ?? fixed.count, fixed.firstIndex(of: typeNames[b]) ?? fixed.count)
            return ia != ib ? ia < ib : (typeNames[a], a) < (typeNames[b], b)
        }
    }

    /// Measured steps per second of each member of `c` on type `t` (a pair: while they share).
    func measuredRates(_ c: GavelCombination, _ t: Int, _ jobs: [Job]) -> [Double] {
        guard let b = c.second else { return [jobs[c.first].measured[t]] }
        let r = colocation?.rates(jobs[c.first].kind, jobs[b].kind, type: t) ?? .init(0, 0)
        return [r.first, r.second]
    }

    /// What the policy believes of a pair on each type: each member's predicted rate alone,
    /// slowed as Gavel measured it sharing (no predictor here answers for co-location).
    func believedPairRates(_ c: GavelCombination, _ jobs: [Job]) -> [[Double]] {
        counts.indices.map { t in
            zip(c.members, measuredRates(c, t, jobs)).map { j, shared in
                jobs[j].measured[t] > 0 ? jobs[j].predicted[t] * shared / jobs[j].measured[t] : 0
            }
        }
    }

    /// Replays `jobs` (in arrival order). Throws when the LP fails, or when no job could ever
    /// be scheduled again.
    ///
    /// With a space-sharing policy every two active jobs of the same scale form a combination
    /// too (created when the later one is admitted, removed when either completes), with its
    /// own priority, time and deficit; a combination runs both jobs at their shared rates, a
    /// job runs at most once per round (alone or in one pair), and a pair's members both end
    /// their round when the slower one does (Gavel's `_per_job_latest_timestamp`).
    public func run(_ jobs: [Job]) throws -> Result {
        let types = counts.count
        let sorted = typeNames.indices.sorted { (typeNames[$0], $0) < (typeNames[$1], $1) }
        var allocator = GavelAllocator(policy: policy, sortedTypes: sorted, counts: counts, seed: seed)
        allocator.typeNames = typeNames
        var shuffler = PythonRandom(seed: seed + 5)
        let half = roundSeconds / 2
        let order = jobs.indices.sorted { (jobs[$0].arrival, $0) < (jobs[$1].arrival, $1) }
        var next = 0
        var outcomes = jobs.map { _ in Outcome(completion: .nan, rounds: Array(repeating: 0, count: types)) }
        var done = Array(repeating: 0, count: jobs.count)
        var active: [Int] = []
        // Combinations get an id when created; their state lives in arrays by id.
        var combination: [GavelCombination] = []
        var idOf: [GavelCombination: Int] = [:]
        var time: [[Double]] = [], deficit: [[Double]] = [], rates: [[[Double]]] = [], share: [[Double]?] = []
        /// Live combinations' ids in Gavel's order (as admitted: a job alone, then its pairs
        /// with the jobs before it); ties in priority keep it.
        var keys: [Int] = []
        var pairRates: [GavelCombination: [[Double]]] = [:]
        var running: [(key: Int, type: Int, steps: [Int], finish: Double)] = []
        var now = jobs.isEmpty ? 0 : jobs[order[0]].arrival
        var roundStart = 0.0
        var roundEnd: Double?
        var lastReset = 0.0
        var needUpdate = false
        var typeTime = Array(repeating: 0.0, count: types)
        var remaining = jobs.count
        var rounds = 0
        var busy = 0.0
        var idleIterations = 0
        var admitted = false
        let packed = policy.isPacked
        /// The keys a round ranks: every key, or for FIFO only those it gave a share (it never
        /// runs the others); rebuilt when keys or the allocation change.
        var candidates: [Int] = []
        var candidatesStale = true
        var withShare = Array(repeating: [(key: Int, offset: Int)](), count: types)
        var withoutShare = Array(repeating: [Int](), count: types)
        var scheduled = Array(repeating: false, count: jobs.count)
        func create(_ c: GavelCombination, time start: Double) {
            idOf[c] = combination.count
            keys.append(combination.count)
            combination.append(c)
            time.append(Array(repeating: start, count: types))
            deficit.append(Array(repeating: 0, count: types))
            rates.append((0..<types).map { measuredRates(c, $0, jobs) })
            share.append(nil)
        }
        let throughputs = jobs.map(\.predicted), scales = jobs.map(\.scale), weights = jobs.map(\.weight)
        while remaining > 0 {
            if next == order.count && running.isEmpty { lastReset = 0 }
            if let end = running.map(\.finish).max() {
                if let roundEnd { roundStart = roundEnd }
                roundEnd = end
                now = end
            } else if next < order.count {
                now = max(now, jobs[order[next]].arrival)
            }
            // Completions: every combination of the round, each at its own finish.
            var completed: [Int] = []
            for r in running {
                let executed = r.finish - roundStart
                time[r.key][r.type] += executed
                typeTime[r.type] += executed
                let c = combination[r.key]
                for (j, steps) in zip(c.members, r.steps) {
                    done[j] += steps
                    outcomes[j].rounds[r.type] += 1
                    if c.isPair { outcomes[j].colocatedRounds += 1 }
                    if done[j] >= jobs[j].steps {
                        outcomes[j].completion = r.finish
                        completed.append(j)
                    }
                }
            }
            running = []
            if !completed.isEmpty {
                let gone = Set(completed)
                active.removeAll { gone.contains($0) }
                keys.removeAll { k in
                    let c = combination[k]
                    guard gone.contains(c.first) || c.second.map(gone.contains) == true else { return false }
                    idOf[c] = nil
                    pairRates[c] = nil
                    return true
                }
                remaining -= completed.count
                needUpdate = true
                candidatesStale = true
            }
            // Admission at the round boundary.
            while next < order.count && jobs[order[next]].arrival <= now {
                let j = order[next]
                next += 1
                create(.alone(j), time: half)
                if packed {
                    for a in active where jobs[a].scale == jobs[j].scale {
                        let pair = GavelCombination.pair(a, j)
                        create(pair, time: 0)
                        pairRates[pair] = believedPairRates(pair, jobs)
                    }
                }
                active.append(j)
                needUpdate = true
                admitted = true
                candidatesStale = true
                if keys.count > maxCombinations {
                    throw InputError(file: "gavel mechanism", field: "\(policy.rawValue) at \(Int(now)) s",
                                     reason: "space sharing pairs every two active jobs: \(active.count) active jobs make \(keys.count) combinations, above the limit of \(maxCombinations); use \(policy.isFIFO ? "fifo_perf" : "max_min_fairness_perf") or a lighter trace")
                }
            }
            if admitted { active.sort(); admitted = false }
            guard remaining > 0 else { break }
            // Reset and recompute.
            if needUpdate && (now - lastReset >= resetSeconds || lastReset == 0) {
                let elapsed = now - lastReset
                for k in keys {
                    for t in 0..<types {
                        let should = (share[k]?[t] ?? 0) * elapsed
                        deficit[k][t] += should - (time[k][t] - half)
                        time[k][t] = half
                    }
                }
                typeTime = Array(repeating: half * Double(keys.count), count: types)
                lastReset = now
                var known = GavelAllocator.Jobs(active: active, throughput: throughputs, scale: scales, weight: weights)
                for j in active {
                    known.elapsed[j] = now - jobs[j].arrival
                    known.remaining[j] = Double(jobs[j].steps - done[j])
                }
                if packed {
                    known.pairs = keys.map { combination[$0] }.filter(\.isPair)
                    known.pairThroughput = pairRates
                }
                let allocation: [GavelCombination: [Double]]
                do { allocation = try allocator.allocate(known) } catch {
                    throw InputError(file: "gavel mechanism", field: "\(policy.rawValue) at \(Int(now)) s", reason: "the allocation LP failed (\(error)) for \(active.count) active job(s)")
                }
                let none = Array(repeating: 0.0, count: types)
                for k in keys { share[k] = none }
                for (c, row) in allocation { if let k = idOf[c] { share[k] = row } }
                needUpdate = false
                candidatesStale = true
            }
            if candidatesStale {
                candidates = policy.isFIFO ? keys.filter { share[$0]?.contains { $0 > 0 } == true } : keys
                // Per type: the keys with a share there (positive priority, ranked each round)
                // and the rest, whose order (deficit, then share, then Gavel's order) holds until
                // the next reset or change of keys. FIFO never runs the rest.
                for t in 0..<types {
                    var ranked: [(key: Int, offset: Int)] = [], rest: [(key: Int, deficit: Double, share: Double, offset: Int)] = []
                    for (offset, k) in candidates.enumerated() {
                        let x = share[k]?[t] ?? 0
                        if share[k] != nil, x > 0, rates[k][t].allSatisfy({ $0 > 0 }) {
                            ranked.append((k, offset))
                        } else if !policy.isFIFO {
                            rest.append((k, deficit[k][t], x, offset))
                        }
                    }
                    rest.sort { a, b in
                        if a.deficit != b.deficit { return a.deficit > b.deficit }
                        if a.share != b.share { return a.share > b.share }
                        return a.offset < b.offset
                    }
                    withShare[t] = ranked
                    withoutShare[t] = rest.map(\.key)
                }
                candidatesStale = false
            }
            // Priorities per type, then Gavel's greedy pass over the types: descending by
            // (priority, deficit, share), ties in Gavel's order; every key with a share has a
            // positive priority, so it goes before every key without one.
            var typeOrder = visitingOrder
            if !policy.isHeterogeneityAware { shuffler.shuffle(&typeOrder) }
            var free = counts
            for j in active { scheduled[j] = false }
            var chosen: [(key: Int, type: Int)] = []
            for t in typeOrder {
                var entries: [(key: Int, priority: Double, deficit: Double, share: Double, offset: Int)] = []
                entries.reserveCapacity(withShare[t].count)
                for (k, offset) in withShare[t] {
                    let x = share[k]![t]
                    let fraction = typeTime[t] > 0 ? time[k][t] / typeTime[t] : 0
                    entries.append((k, fraction > 0 ? x / fraction : x * 1e9, deficit[k][t], x, offset))
                }
                entries.sort { x, y in
                    if x.priority != y.priority { return x.priority > y.priority }
                    if x.deficit != y.deficit { return x.deficit > y.deficit }
                    if x.share != y.share { return x.share > y.share }
                    return x.offset < y.offset
                }
                func visit(_ k: Int) {
                    let c = combination[k]
                    if scheduled[c.first] || c.second.map({ scheduled[$0] }) == true || rates[k][t].contains(where: { $0 <= 0 }) { return }
                    let scale = jobs[c.first].scale
                    if scale > free[t] { return }
                    free[t] -= scale
                    for j in c.members { scheduled[j] = true }
                    chosen.append((k, t))
                }
                for e in entries {
                    guard free[t] > 0 else { break }
                    visit(e.key)
                }
                for k in withoutShare[t] {
                    guard free[t] > 0 else { break }
                    visit(k)
                }
            }
            // A combination outside the allocation holds its devices but does not run (as in Gavel).
            for (k, t) in chosen where share[k] != nil {
                let c = combination[k]
                let steps = zip(c.members, rates[k][t]).map { j, rate in min(Int((rate * roundSeconds).rounded(.down)), jobs[j].steps - done[j]) }
                let seconds = zip(steps, rates[k][t]).map { Double($0) / $1 }.max()!
                running.append((k, t, steps, now + seconds))
                busy += seconds * Double(jobs[c.first].scale)
            }
            if running.isEmpty {
                idleIterations += 1
                // Nothing runs, nothing arrives and the allocation was just recomputed: stuck.
                if next == order.count && idleIterations > 2 {
                    throw InputError(file: "gavel mechanism", field: "\(remaining) job(s)", reason: "no device type can ever run them (no positive throughput, or more devices than a type has)")
                }
            } else {
                idleIterations = 0
                rounds += 1
            }
        }
        let completions = outcomes.map(\.completion)
        let makespan = completions.max() ?? 0
        let jcts = jobs.indices.map { completions[$0] - jobs[$0].arrival }
        let devices = Double(counts.reduce(0, +))
        return Result(outcomes: outcomes, makespan: makespan, rounds: rounds,
                      utilization: makespan > 0 ? busy / (devices * makespan) : 0,
                      avgJCT: jcts.isEmpty ? 0 : jcts.reduce(0, +) / Double(jcts.count))
    }
}
