import ClusterKit
@testable import ClusterSimulation
import Optimization
import Testing

/// `GavelMaxMinAllocation` on hand-checkable clusters, and its constraints on random ones.
@Suite struct GavelMaxMinAllocationTests {
    typealias Job = GavelMaxMinAllocation.Job

    /// One type, 4 devices, 8 single-GPU jobs: everyone gets half the time.
    @Test func oneTypeGivesEqualShares() throws {
        let jobs = (0..<8).map { Job(throughputs: [Double($0 + 1)]) }
        for variant in [GavelMaxMinAllocation.Variant.heterogeneityAware, .agnostic] {
            let x = try GavelMaxMinAllocation.solve(jobs: jobs, deviceCounts: [4], variant: variant)
            for j in jobs.indices { #expect(abs(x.shares[j][0] - 0.5) < 1e-9) }
        }
    }

    /// Two types of one device each, four jobs: A-jobs are 10× faster on type 0 than on type 1,
    /// B-jobs 2×. Isolated equal shares are ¼ of each type, so normalizers are A (10 + 1) / 4,
    /// B (2 + 1) / 4. A has the comparative advantage on type 0, so A-jobs run only there and
    /// B-jobs take all of type 1 (½ each) plus s each of type 0: 10 (½ − s) / 2.75 =
    /// (2s + ½) / 0.75 gives s = 4.75 / 26, m = (2s + ½) / 0.75 ≈ 1.15, above the equal split's 1.
    @Test func heterogeneityAwareSendsTheFastJobToItsType() throws {
        let jobs = [Job(throughputs: [10, 1]), Job(throughputs: [10, 1]), Job(throughputs: [2, 1]), Job(throughputs: [2, 1])]
        let x = try GavelMaxMinAllocation.solve(jobs: jobs, deviceCounts: [1, 1])
        let s = 4.75 / 26
        #expect(abs(x.objective - (2 * s + 0.5) / 0.75) < 1e-9)
        for a in 0..<2 {
            #expect(x.shares[a][1] < 1e-9)
            #expect(abs(x.shares[a][0] - (0.5 - s)) < 1e-9)
        }
        // The B-jobs' split between them is degenerate (any split reaching m is optimal);
        // together they hold all of type 1 and 2s of type 0, each at m.
        #expect(abs(x.shares[2][1] + x.shares[3][1] - 1) < 1e-9)
        #expect(abs(x.shares[2][0] + x.shares[3][0] - 2 * s) < 1e-9)
        for b in 2..<4 { #expect(abs((2 * x.shares[b][0] + x.shares[b][1]) / 0.75 - x.objective) < 1e-9) }
        // The agnostic LP only sees time: every job gets half the time of one device, twice
        // its isolated ¼ + ¼... of ½ in all: m = ½ / ½ = 1.
        let agnostic = try GavelMaxMinAllocation.solve(jobs: jobs, deviceCounts: [1, 1], variant: .agnostic)
        #expect(abs(agnostic.objective - 1) < 1e-9)
        for j in jobs.indices { #expect(abs(agnostic.total(job: j) - 0.5) < 1e-9) }
    }

    /// Agnostic: only time counts, so the same two jobs just get all the time there is.
    @Test func agnosticCountsTimeOnly() throws {
        let jobs = [Job(throughputs: [10, 1]), Job(throughputs: [2, 1])]
        let x = try GavelMaxMinAllocation.solve(jobs: jobs, deviceCounts: [1, 1], variant: .agnostic)
        #expect(abs(x.objective - 1) < 1e-9)
        for j in 0..<2 { #expect(abs(x.total(job: j) - 1) < 1e-9) }
    }

    /// A job that fits nowhere gets nothing and does not pull the minimum to 0; a weight
    /// doubles a job's share; a 2-GPU job counts twice against capacity and, as in Gavel (scale
    /// factor in the objective and in its isolated share), needs a quarter of a 1-GPU job's time
    /// for the same level. One type of 4 devices, 4 jobs: isolated shares 1 (1-GPU) and ½
    /// (2-GPU), so coefficients are ½ (weight 2), 1 and 2 · 2 = 4: x0 = 2m ≤ 1 binds, m = ½,
    /// x0 = 1, x1 ≥ ½, x3 ≥ ⅛ (the rest of the capacity is degenerate).
    @Test func unrunnableJobsWeightsAndScaleFactors() throws {
        let x = try GavelMaxMinAllocation.solve(
            jobs: [Job(throughputs: [1], weight: 2), Job(throughputs: [1]), Job(throughputs: [0]), Job(throughputs: [1], gpus: 2)],
            deviceCounts: [4])
        #expect(x.shares[2][0] == 0)
        #expect(abs(x.objective - 0.5) < 1e-9)
        #expect(abs(x.shares[0][0] - 1) < 1e-9)
        #expect(x.shares[1][0] >= 0.5 - 1e-9)
        #expect(x.shares[3][0] >= 0.125 - 1e-9)
        #expect(x.shares[0][0] + x.shares[1][0] + 2 * x.shares[3][0] <= 4 + 1e-9)
    }

    /// Random clusters: X ≥ 0, rows ≤ 1, capacities hold, the optimum is at least the equal
    /// split's minimum, and a second solve is bit-identical.
    @Test(arguments: 0..<12) func invariantsOnRandomClusters(seed: Int) throws {
        var g = SeededGenerator(seed: UInt64(seed), stream: "gavel-lp")
        func unit() -> Double { Double(g.next() % 1_000_000) / 1_000_000 }
        let types = 1 + Int(g.next() % 3)
        let counts = (0..<types).map { _ in 1 + Int(g.next() % 8) }
        let jobs = (0..<(1 + Int(g.next() % 20))).map { _ in
            Job(throughputs: (0..<types).map { _ in unit() < 0.15 ? 0 : 0.1 + 10 * unit() },
                gpus: [1, 1, 1, 2, 4][Int(g.next() % 5)], weight: unit() < 0.2 ? 2 : 1)
        }
        for variant in [GavelMaxMinAllocation.Variant.heterogeneityAware, .agnostic] {
            let x = try GavelMaxMinAllocation.solve(jobs: jobs, deviceCounts: counts, variant: variant)
            #expect(try GavelMaxMinAllocation.solve(jobs: jobs, deviceCounts: counts, variant: variant) == x)
            for (j, job) in jobs.enumerated() {
                #expect(x.shares[j].allSatisfy { $0 >= 0 })
                #expect(x.total(job: j) <= 1 + 1e-9)
                for t in 0..<types where job.throughputs[t] == 0 || job.gpus > counts[t] { #expect(x.shares[j][t] == 0) }
            }
            for t in 0..<types {
                #expect(jobs.indices.reduce(0.0) { $0 + x.shares[$1][t] * Double(jobs[$1].gpus) } <= Double(counts[t]) + 1e-9)
            }
            // The equal split: each runnable job gets the same time fraction e on every type it
            // can use, the largest e that keeps every type within capacity and every row ≤ 1.
            let runnable = jobs.indices.filter { j in (0..<types).contains { jobs[j].throughputs[$0] > 0 && jobs[j].gpus <= counts[$0] } }
            guard !runnable.isEmpty else { continue }
            func uses(_ j: Int, _ t: Int) -> Bool { jobs[j].throughputs[t] > 0 && jobs[j].gpus <= counts[t] }
            var e = runnable.map { j in 1 / Double((0..<types).filter { uses(j, $0) }.count) }.min()!
            for t in 0..<types {
                let demand = runnable.filter { uses($0, t) }.reduce(0.0) { $0 + Double(jobs[$1].gpus) }
                if demand > 0 { e = min(e, Double(counts[t]) / demand) }
            }
            let total = Double(counts.reduce(0, +))
            let equal = runnable.map { j -> Double in
                let job = jobs[j]
                let thr = (0..<types).map { uses(j, $0) ? (variant == .agnostic ? 1 : job.throughputs[$0]) : 0 }
                let share = Double(jobs.count * job.gpus)
                let norm = (0..<types).reduce(0.0) { $0 + thr[$1] * Double(counts[$1]) / share } / max(1, total / share)
                return Double(job.gpus) / job.weight * (0..<types).reduce(0.0) { $0 + thr[$1] * e } / norm
            }.min()!
            #expect(x.objective >= equal - 1e-9, "\(jobs) \(counts) \(x)")
        }
    }
}
