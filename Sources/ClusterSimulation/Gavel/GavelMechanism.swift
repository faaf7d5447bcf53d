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

        public init(arrival: Double, steps: Int, scale: Int, weight: Double, measured: [Double], predicted: [Double]) {
            self.arrival = arrival
            self.steps = steps
            self.scale = scale
            self.weight = weight
            self.measured = measured
            self.predicted = predicted
        }
    }

    /// One job's outcome: completion time (s) and rounds run per device type.
    public struct Outcome: Sendable, Equatable {
        public var completion: Double
        public var rounds: [Int]
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

    /// Replays `jobs` (in arrival order). Throws when the LP fails, or when no job could ever
    /// be scheduled again.
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
        var running: [(job: Int, type: Int, steps: Int, finish: Double)] = []
        var now = jobs.isEmpty ? 0 : jobs[order[0]].arrival
        var roundStart = 0.0
        var roundEnd: Double?
        var lastReset = 0.0
        var needUpdate = false
        var allocation: [Int: [Double]] = [:]
        var jobTime = Array(repeating: Array(repeating: 0.0, count: types), count: jobs.count)
        var typeTime = Array(repeating: 0.0, count: types)
        var deficit = Array(repeating: Array(repeating: 0.0, count: types), count: jobs.count)
        var remaining = jobs.count
        var rounds = 0
        var busy = 0.0
        var idleIterations = 0
        var admitted = false
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
            // Completions: every job of the round, each at its own finish.
            for r in running {
                let executed = r.finish - roundStart
                jobTime[r.job][r.type] += executed
                typeTime[r.type] += executed
                done[r.job] += r.steps
                outcomes[r.job].rounds[r.type] += 1
                if done[r.job] >= jobs[r.job].steps {
                    outcomes[r.job].completion = r.finish
                    active.removeAll { $0 == r.job }
                    allocation[r.job] = nil
                    remaining -= 1
                    needUpdate = true
                }
            }
            running = []
            // Admission at the round boundary.
            while next < order.count && jobs[order[next]].arrival <= now {
                let j = order[next]
                next += 1
                active.append(j)
                jobTime[j] = Array(repeating: half, count: types)
                deficit[j] = Array(repeating: 0, count: types)
                needUpdate = true
                admitted = true
            }
            if admitted { active.sort(); admitted = false }
            guard remaining > 0 else { break }
            // Reset and recompute.
            if needUpdate && (now - lastReset >= resetSeconds || lastReset == 0) {
                let elapsed = now - lastReset
                for j in active {
                    for t in 0..<types {
                        let should = (allocation[j]?[t] ?? 0) * elapsed
                        deficit[j][t] += should - (jobTime[j][t] - half)
                        jobTime[j][t] = half
                    }
                }
                typeTime = Array(repeating: half * Double(active.count), count: types)
                lastReset = now
                var known = GavelAllocator.Jobs(active: active, throughput: throughputs, scale: scales, weight: weights)
                for j in active {
                    known.elapsed[j] = now - jobs[j].arrival
                    known.remaining[j] = Double(jobs[j].steps - done[j])
                }
                allocation = try allocator.allocate(known)
                needUpdate = false
            }
            // Priorities per type, then Gavel's greedy pass over the types.
            var typeOrder = visitingOrder
            if !policy.isHeterogeneityAware { shuffler.shuffle(&typeOrder) }
            var free = counts
            var scheduled = Set<Int>()
            var chosen: [(job: Int, type: Int)] = []
            for t in typeOrder {
                let entries = active.map { j -> (job: Int, priority: Double, deficit: Double, share: Double) in
                    let share = allocation[j]?[t] ?? 0
                    var priority = 0.0
                    if allocation[j] != nil, share > 0, jobs[j].measured[t] > 0 {
                        let fraction = typeTime[t] > 0 ? jobTime[j][t] / typeTime[t] : 0
                        priority = fraction > 0 ? share / fraction : share * 1e9
                    }
                    return (j, priority, deficit[j][t], share)
                }
                // Descending by (priority, deficit, share); a stable sort keeps ids ascending on ties.
                let ranked = entries.enumerated().sorted { a, b in
                    let (x, y) = (a.element, b.element)
                    if x.priority != y.priority { return x.priority > y.priority }
                    if x.deficit != y.deficit { return x.deficit > y.deficit }
                    if x.share != y.share { return x.share > y.share }
                    return a.offset < b.offset
                }.map(\.element)
                for e in ranked {
                    guard free[t] > 0 else { break }
                    if scheduled.contains(e.job) || jobs[e.job].measured[t] <= 0 { continue }
                    if policy.isFIFO && e.priority <= 0 { continue }
                    if jobs[e.job].scale > free[t] { continue }
                    free[t] -= jobs[e.job].scale
                    scheduled.insert(e.job)
                    chosen.append((e.job, t))
                }
            }
            // A job outside the allocation holds its devices but does not run (as in Gavel).
            for (j, t) in chosen where allocation[j] != nil {
                let rate = jobs[j].measured[t]
                let steps = min(Int((rate * roundSeconds).rounded(.down)), jobs[j].steps - done[j])
                let seconds = Double(steps) / rate
                running.append((j, t, steps, now + seconds))
                busy += seconds * Double(jobs[j].scale)
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
