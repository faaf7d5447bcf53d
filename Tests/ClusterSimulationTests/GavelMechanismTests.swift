import ClusterKit
import Foundation
import Testing
@testable import ClusterSimulation

/// Gavel's round-based mechanism: a hand-computed run, and Gavel's own results on its
/// reference traces (`datasets/gavel-reference`).
@Suite struct GavelMechanismTests {
    /// One device; A (720 steps at 1 step/s) and B (360 steps at 2 steps/s) arrive at 0. FIFO
    /// gives A the device: rounds 0–360 and 360–720. A's completion changes the job set; the
    /// last reset was at time 0, so the allocation is recomputed at once and B runs 360 steps in
    /// 180 s: JCTs 720 and 900 s.
    @Test(arguments: [GavelPolicyName.fifo, .fifoPerf])
    func handComputedFIFO(_ policy: GavelPolicyName) throws {
        let jobs = [GavelMechanism.Job(arrival: 0, steps: 720, scale: 1, weight: 1, measured: [1], predicted: [1]),
                    GavelMechanism.Job(arrival: 0, steps: 360, scale: 1, weight: 1, measured: [2], predicted: [2])]
        let result = try GavelMechanism(policy: policy, typeNames: ["v100"], counts: [1]).run(jobs)
        #expect(result.outcomes.map(\.completion) == [720, 900])
        #expect(result.avgJCT == 810 && result.makespan == 900)
        #expect(result.outcomes.map(\.rounds) == [[2], [1]])
    }

    /// A job admitted mid-round waits for the round's end, and a job outside the allocation waits
    /// for the next recomputation (here: the reset interval), while its JCT counts from arrival.
    @Test func admissionAtRoundEndsAndResetInterval() throws {
        let jobs = [GavelMechanism.Job(arrival: 0, steps: 36_000, scale: 1, weight: 1, measured: [10], predicted: [10]),
                    GavelMechanism.Job(arrival: 100, steps: 10, scale: 1, weight: 1, measured: [10], predicted: [10])]
        // Two devices: B could start at once, but it is admitted at 360 (A's first round ends),
        // and the allocation, reset at 0 and again at 360 (the last reset was at time 0), then
        // includes it: B runs 10 steps in 1 s of the round starting at 360.
        let result = try GavelMechanism(policy: .fifoPerf, typeNames: ["v100"], counts: [2]).run(jobs)
        #expect(result.outcomes[1].completion == 361)
        #expect(result.outcomes[0].completion == 3600)
    }

    @Test func jobThatCanRunNowhereIsAnError() {
        let jobs = [GavelMechanism.Job(arrival: 0, steps: 10, scale: 2, weight: 1, measured: [1], predicted: [1])]
        #expect(throws: InputError.self) { try GavelMechanism(policy: .fifoPerf, typeNames: ["v100"], counts: [1]).run(jobs) }
    }

    /// Gavel's own simulator on its 100-job trace: FIFO's results reproduce job for job (its
    /// random type choices replayed with CPython's generator), max-min fairness within 1%, and
    /// with space sharing within 10% in average JCT on the 100-job trace (its degenerate LP: README).
    @Test func gavelReferenceTrace() throws {
        let root = DataRoot.resolve()
        let folder = GavelReference.folder(root)
        guard FileManager.default.fileExists(atPath: folder) else { return }
        // Space sharing on the 1,000-job trace takes minutes in a debug build: the 100-job trace only.
        let rows = try GavelReference.compare(root: root, devicesPath: "clusters/devices.yaml", clusterPath: "clusters/gavel.yaml") { workload, policy in
            policy.isPacked && workload != GavelReference.workloads[0]
        }
        #expect(rows.count == 10)
        for r in rows where r.policy.isPacked {
            #expect(abs(r.jctGap) < 0.1, "\(r.workload) \(r.policy.rawValue): \(r.jctGap)")
            #expect(r.correlation >= 0.9, "\(r.workload) \(r.policy.rawValue): \(r.correlation)")
        }
        for r in rows where !r.policy.isPacked {
            #expect(abs(r.jctGap) < 0.01 && abs(r.makespanGap) < 0.01, "\(r.workload) \(r.policy.rawValue): \(r.jctGap)")
            #expect(r.correlation >= 0.99, "\(r.workload) \(r.policy.rawValue): \(r.correlation)")
            if r.policy.isFIFO { #expect(r.identical == r.jobs) }
        }
    }
}

/// Gavel's other LP policies in the Gavel mechanism (no reference results exist for them here):
/// hand-checked allocations.
@Suite struct GavelOtherPoliciesTests {
    static func jobs(_ list: [(steps: Int, v100: Double, k80: Double)]) -> [GavelMechanism.Job] {
        list.map { GavelMechanism.Job(arrival: 0, steps: $0.steps, scale: 1, weight: 1, measured: [$0.v100, $0.k80], predicted: [$0.v100, $0.k80]) }
    }

    /// Two jobs, one V100 and one K80: A is 10× faster on the V100, B only 2×. The most total
    /// throughput gives A the V100 and B the K80.
    @Test func maxSumThroughputGivesTheFastTypeToWhoGainsMost() throws {
        var allocator = GavelAllocator(policy: .maxSumThroughputPerf, sortedTypes: [1, 0], counts: [1, 1], seed: 0)
        let x = try allocator.allocate(.init(active: [0, 1], throughput: [[10, 1], [2, 1]], scale: [1, 1], weight: [1, 1]))
        #expect(x[.alone(0)] == [1, 0] && x[.alone(1)] == [0, 1])
    }

    /// Finish-time fairness: two identical jobs on one V100 and one K80 (V100 4× faster); the
    /// fair allocation equalizes their expected finish-time ratios, so each gets the same
    /// throughput: the V100 half the time and the K80 the other half.
    @Test func finishTimeFairnessEqualizesTheRatio() throws {
        var allocator = GavelAllocator(policy: .finishTimeFairnessPerf, sortedTypes: [1, 0], counts: [1, 1], seed: 0)
        allocator.typeNames = ["v100", "k80"]
        var jobs = GavelAllocator.Jobs(active: [0, 1], throughput: [[4, 1], [4, 1]], scale: [1, 1], weight: [1, 1])
        jobs.elapsed = [0: 0, 1: 0]
        jobs.remaining = [0: 1000, 1: 1000]
        let x = try allocator.allocate(jobs)
        let rate = { (j: Int) -> Double in 4 * x[.alone(j)]![0] + x[.alone(j)]![1] }
        #expect(abs(rate(0) - rate(1)) < 1e-3 * rate(0), "\(x)")
        #expect(abs(rate(0) + rate(1) - 5) < 1e-3, "the cluster is used fully: \(x)")
    }

    /// Minimum makespan, two jobs of 1,000 steps on one V100 and one K80: A does 10 steps/s on
    /// the V100 and 1 on the K80, B 2 and 1. Giving B a share s of the V100 and the K80 the rest
    /// of its time, and A the rest of each, their rates are 1 + s and 10 − 9s; they are equal at
    /// s = 0.9, rate 1.9, so both finish in 1,000 / 1.9 = 526.3 s (1,000 s with either job on
    /// one type alone).
    @Test func minTotalDurationBalancesTheFinishTimes() throws {
        var allocator = GavelAllocator(policy: .minTotalDurationPerf, sortedTypes: [1, 0], counts: [1, 1], seed: 0)
        var jobs = GavelAllocator.Jobs(active: [0, 1], throughput: [[10, 1], [2, 1]], scale: [1, 1], weight: [1, 1])
        jobs.remaining = [0: 1000, 1: 1000]
        let x = try allocator.allocate(jobs)
        let makespan = [0, 1].map { (j: Int) -> Double in
            let share = x[.alone(j)]!
            return 1000 / (jobs.throughput[j][0] * share[0] + jobs.throughput[j][1] * share[1])
        }.max()!
        #expect(abs(makespan - 1000 / 1.9) < 1e-6 * makespan, "\(x)")
        // One type, two equal jobs: half each.
        var one = GavelAllocator(policy: .minTotalDurationPerf, sortedTypes: [0], counts: [1], seed: 0)
        var equal = GavelAllocator.Jobs(active: [3, 5], throughput: [[], [], [], [1], [], [1]], scale: [1, 1, 1, 1, 1, 1], weight: Array(repeating: 1, count: 6))
        equal.remaining = [3: 100, 5: 100]
        let y = try one.allocate(equal)
        #expect(abs(y[.alone(3)]![0] - 0.5) < 1e-9 && abs(y[.alone(5)]![0] - 0.5) < 1e-9)
    }

    @Test(arguments: [GavelPolicyName.maxSumThroughputPerf, .finishTimeFairness, .finishTimeFairnessPerf, .minTotalDurationPerf])
    func runsToTheEnd(_ policy: GavelPolicyName) throws {
        let jobs = Self.jobs([(3_600, 10, 2), (1_800, 4, 2), (7_200, 10, 1), (900, 3, 3)])
        let result = try GavelMechanism(policy: policy, typeNames: ["v100", "k80"], counts: [1, 1]).run(jobs)
        #expect(result.outcomes.allSatisfy { $0.completion.isFinite && $0.completion > 0 })
        let again = try GavelMechanism(policy: policy, typeNames: ["v100", "k80"], counts: [1, 1]).run(jobs)
        #expect(again.outcomes == result.outcomes)
    }
}

/// Gavel's max-min fairness with space sharing (`max_min_fairness_packed`): hand-checked.
@Suite struct GavelPackingTests {
    /// Two jobs of 1 step/s alone and one device. Alone they can have half the time each
    /// (normalized throughput 0.5); sharing at 0.9 steps/s each gives both 0.9, so the pair gets
    /// the device; sharing at 0.3 each would give only 0.3, so they take turns and the pair
    /// gets nothing.
    @Test(arguments: [(0.9, true), (0.3, false)])
    func sharesOnlyWhenItIsFairer(_ shared: Double, _ pairs: Bool) throws {
        let allocator = GavelAllocator(policy: .maxMinFairnessPacked, sortedTypes: [0], counts: [1], seed: 0)
        var jobs = GavelAllocator.Jobs(active: [0, 1], throughput: [[1], [1]], scale: [1, 1], weight: [1, 1])
        let pair = GavelCombination.pair(0, 1)
        jobs.pairs = [pair]
        jobs.pairThroughput = [pair: [[shared, shared]]]
        let x = try allocator.maxMinPacked(jobs)
        if pairs {
            #expect(abs((x[pair] ?? [0])[0] - 1) < 1e-6 && x[.alone(0)]![0] < 1e-6 && x[.alone(1)]![0] < 1e-6, "\(x)")
        } else {
            #expect((x[pair] ?? [0])[0] < 1e-9 && abs(x[.alone(0)]![0] - 0.5) < 1e-9 && abs(x[.alone(1)]![0] - 0.5) < 1e-9, "\(x)")
        }
    }

    /// The same two jobs in the mechanism, 720 steps each, sharing at 0.9 steps/s: every round
    /// they run together, 324 steps each in 360 s, so after two rounds 72 steps are left, done in
    /// 80 s of a third round; both complete then, at 800 s, every round shared.
    @Test func sharedJobsRunTogetherAndEndTogether() throws {
        var mechanism = GavelMechanism(policy: .maxMinFairnessPacked, typeNames: ["v100"], counts: [1])
        mechanism.colocation = GavelColocationTable(rates: [[[.init(0.9, 0.9)]]])
        let jobs = (0..<2).map { _ in GavelMechanism.Job(arrival: 0, steps: 720, scale: 1, weight: 1, measured: [1], predicted: [1], kind: 0) }
        let result = try mechanism.run(jobs)
        for o in result.outcomes {
            #expect(abs(o.completion - 800) < 1e-6, "\(o)")
            #expect(o.rounds == [3] && o.colocatedRounds == 3)
        }
        // Without a co-location table nothing is shared: the two take turns.
        let alone = try GavelMechanism(policy: .maxMinFairnessPacked, typeNames: ["v100"], counts: [1]).run(jobs)
        #expect(alone.outcomes.allSatisfy { $0.colocatedRounds == 0 } && alone.makespan >= 1440)
    }

    /// FIFO with packing, one device, two jobs: the first gets the device; the second waits and
    /// joins it when their normalized shared throughput (0.9 + 0.9 = 1.8) exceeds 1.5, but not at
    /// 0.7 + 0.7 = 1.4.
    @Test(arguments: [(0.9, true), (0.7, false)])
    func fifoPacksTheWaitingJobAboveTheThreshold(_ shared: Double, _ packs: Bool) throws {
        var allocator = GavelAllocator(policy: .fifoPacked, sortedTypes: [0], counts: [1], seed: 0)
        var jobs = GavelAllocator.Jobs(active: [0, 1], throughput: [[1], [1]], scale: [1, 1], weight: [1, 1])
        let pair = GavelCombination.pair(0, 1)
        jobs.pairs = [pair]
        jobs.pairThroughput = [pair: [[shared, shared]]]
        let x = try allocator.allocate(jobs)
        #expect((x[pair] ?? [0]) == [packs ? 1 : 0] && x[.alone(0)] == [packs ? 0 : 1] && x[.alone(1)] == [0], "\(x)")
        // In the mechanism: shared, both end at 800 s (as under max-min fairness above); not
        // shared, one after the other.
        var mechanism = GavelMechanism(policy: .fifoPacked, typeNames: ["v100"], counts: [1])
        mechanism.colocation = GavelColocationTable(rates: [[[.init(shared, shared)]]])
        let run = try mechanism.run((0..<2).map { _ in GavelMechanism.Job(arrival: 0, steps: 720, scale: 1, weight: 1, measured: [1], predicted: [1], kind: 0) })
        #expect(run.outcomes.allSatisfy { ($0.colocatedRounds > 0) == packs }, "\(run.outcomes)")
        if packs { #expect(run.outcomes.allSatisfy { abs($0.completion - 800) < 1e-6 }) }
    }
}

/// Space sharing tracks every pair of active jobs; past its limit a run is refused with one
/// clear error rather than left to grow.
@Suite struct GavelPackingLimitTests {
    @Test func tooManyActiveJobsAreRefused() throws {
        var mechanism = GavelMechanism(policy: .maxMinFairnessPacked, typeNames: ["v100"], counts: [1])
        mechanism.maxCombinations = 20
        let jobs = (0..<10).map { _ in GavelMechanism.Job(arrival: 0, steps: 100, scale: 1, weight: 1, measured: [1], predicted: [1], kind: 0) }
        #expect(throws: InputError.self) { try mechanism.run(jobs) }
        do { _ = try mechanism.run(jobs) } catch let e as InputError {
            #expect("\(e)".contains("above the limit of 20") && "\(e)".contains("max_min_fairness_perf"), "\(e)")
        }
        mechanism.maxCombinations = 55  // 10 alone + 45 pairs
        #expect(try mechanism.run(jobs).outcomes.count == 10)
    }
}

/// A policy that believes no active job can run anywhere allocates nothing instead of failing
/// on an unbounded LP.
@Suite struct GavelNothingRunsTests {
    @Test(arguments: [GavelPolicyName.maxMinFairnessPerf, .maxMinFairnessPacked])
    func noJobThatCanRunGivesAnEmptyAllocation(_ policy: GavelPolicyName) throws {
        var allocator = GavelAllocator(policy: policy, sortedTypes: [0], counts: [2], seed: 0)
        var jobs = GavelAllocator.Jobs(active: [0, 1], throughput: [[0], [0]], scale: [1, 1], weight: [1, 1])
        jobs.pairs = [.pair(0, 1)]
        jobs.pairThroughput = [.pair(0, 1): [[0, 0]]]
        let x = try allocator.allocate(jobs)
        #expect(x.values.allSatisfy { $0.allSatisfy { $0 == 0 } }, "\(x)")
    }
}

/// Column generation reaches the optima of the whole packing programs: the same fairness
/// (smallest normalized throughput) and the same least total pair share, on seeded instances.
@Suite struct GavelColumnGenerationTests {
    static func fairness(_ x: [GavelCombination: [Double]], _ jobs: GavelAllocator.Jobs, counts: [Int]) -> (minimum: Double, pairShare: Double) {
        let total = Double(counts.reduce(0, +))
        var minimum = Double.infinity
        for j in jobs.active {
            let p = counts.indices.reduce(0.0) { $0 + jobs.throughput[j][$1] * Double(counts[$1]) } / total
            var got = 0.0
            for (c, row) in x where c.contains(j) {
                for t in counts.indices {
                    let rate = c.isPair ? jobs.pairThroughput[c]![t][c.first == j ? 0 : 1] : jobs.throughput[j][t]
                    got += rate * row[t]
                }
            }
            minimum = min(minimum, got / p)
        }
        let pairShare = x.filter { $0.key.isPair }.values.reduce(0.0) { $0 + $1.reduce(0, +) }
        return (minimum, pairShare)
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func sameOptimaAsTheWholePrograms(_ seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let n = 6 + Int(rng.next() % 10), counts = [1 + Int(rng.next() % 4), 1 + Int(rng.next() % 4), 1 + Int(rng.next() % 4)]
        let unit = { Double(rng.next() % 1000 + 1) / 1000 }
        var jobs = GavelAllocator.Jobs(active: Array(0..<n), throughput: (0..<n).map { _ in [unit() * 3, unit() * 2, unit()] },
                                       scale: Array(repeating: 1, count: n), weight: Array(repeating: 1, count: n))
        for b in 0..<n {
            for a in 0..<b {
                let pair = GavelCombination.pair(a, b)
                jobs.pairs.append(pair)
                jobs.pairThroughput[pair] = (0..<3).map { t in [jobs.throughput[a][t] * unit(), jobs.throughput[b][t] * unit()] }
            }
        }
        let allocator = GavelAllocator(policy: .maxMinFairnessPacked, sortedTypes: [2, 1, 0], counts: counts, seed: 0)
        let whole = Self.fairness(try allocator.maxMinPacked(jobs, generatingColumns: false), jobs, counts: counts)
        let columns = Self.fairness(try allocator.maxMinPacked(jobs), jobs, counts: counts)
        #expect(abs(whole.minimum - columns.minimum) <= 1e-6 * whole.minimum, "seed \(seed): \(whole) vs \(columns)")
        #expect(abs(whole.pairShare - columns.pairShare) <= 1e-6 * max(1, whole.pairShare), "seed \(seed): \(whole) vs \(columns)")
    }
}
