import ClusterKit
@testable import ClusterSimulation
import Testing

/// `GavelMaxMinScheduler` (`gavel-max-min`) on scenarios computed by hand.
@Suite struct GavelMaxMinSchedulerTests {
    /// Predicts model "a" 10× slower on the slow GPU and "b" only 1.2× (the oracle measures 2×
    /// for both): the LP must follow these answers.
    struct SkewedPredictor: PerformancePredictor {
        let base: MeasuredOracle
        var name: String { "skewed" }
        func estimate(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?] {
            base.estimate(queries).enumerated().map { i, e in
                guard var e else { return nil }
                let slow = queries[i].device == Fixture.slow.name
                e.timePerIteration = slow ? (queries[i].config.model == "a" ? 10 : 1.2) : 1
                return e
            }
        }
    }

    /// Two identical 1,000 s jobs on one GPU, rounds of 360 s, no restore cost. Allocation ½
    /// each; priority = ½ ÷ (run time ÷ time in system), never-run first, ties to the lower
    /// index. t = 0: tie, a. 360: b (never ran). 720: 1 vs 1, a. 1080: a ½ ÷ ⅔, b ½ ÷ ⅓, b.
    /// 1440: 1 vs 1, a, which finishes at 1440 + 280 = 1720; b then runs its last 280 s: 2000.
    @Test func identicalJobsAlternateByRounds() throws {
        let oracle = Fixture.oracle([("m", 1, nil, nil)])
        let jobs = [Fixture.job("a", at: 0, iterations: 1000), Fixture.job("b", at: 0, iterations: 1000)]
        let scheduler = GavelMaxMinScheduler()
        let (sim, _) = try Fixture.run(jobs, cluster: Fixture.cluster(), oracle: oracle, scheduler: scheduler)
        #expect(Fixture.end(sim, "a") == 1720)
        #expect(Fixture.end(sim, "b") == 2000)
        // Solved at t = 0 and again when a left (b alone, a round after the first solve).
        #expect(scheduler.solves == 2)
    }

    /// One fast and one slow GPU, two "a" and two "b" jobs: on the skewed predictor's answers the
    /// LP sends the "a" jobs to the fast type only and gives the "b" jobs slow-GPU time. The state is taken at t = 0.5 after a FIFO start.
    @Test func allocationFollowsThePredictorNotTheMeasurements() throws {
        let oracle = Fixture.oracle([("a", 1, nil, nil), ("b", 1, nil, nil)])
        let jobs = ["a", "a", "b", "b"].enumerated().map { Fixture.job("\($1)\($0)", at: 0, model: $1, iterations: 1e6) }
        let cluster = Fixture.cluster(fastNodes: 1, fastPerNode: 1, slowNodes: 1, slowPerNode: 1)
        func state(_ predictor: any PerformancePredictor) throws -> ClusterState {
            let sim = try Simulator(trace: Trace(name: "t", source: "test", jobs: jobs), cluster: cluster, oracle: oracle, predictor: predictor,
                                    scheduler: FIFOScheduler(), placement: FirstFitPlacement(), config: SimulationConfig())
            sim.runUntil(SimTime(seconds: 0.5))
            return sim.state
        }
        let skewed = try state(SkewedPredictor(base: oracle))
        let fast = skewed.deviceTypes.firstIndex { $0.name == Fixture.fast.name }!
        let slow = 1 - fast
        let policy = GavelMaxMinScheduler()
        for j in 0..<2 {
            let x = try #require(policy.shares(job: j, in: PolicyView(skewed)))
            #expect(x[slow] < 1e-9 && x[fast] > 0)
        }
        #expect((2..<4).allSatisfy { (policy.shares(job: $0, in: PolicyView(skewed))?[slow] ?? 0) > 0 })
        // On the oracle's answers (2× for both models) the "a" jobs have no edge on the fast
        // type and the allocation differs: the LP read the predictor.
        let measured = try state(oracle)
        let fresh = GavelMaxMinScheduler()
        #expect((0..<4).contains { j in fresh.shares(job: j, in: PolicyView(measured))! != policy.shares(job: j, in: PolicyView(skewed))! })
    }
}
