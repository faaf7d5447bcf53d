import ClusterKit
import Testing
@testable import ClusterSimulation

/// A job the predictor cannot answer is ranked by the median answered length, not last
/// (`ClusterState.fallbackSeconds`), and the run counts it (`Metric.fallbackJobs`).
@Suite struct FallbackTests {
    /// The measured oracle, blind to one model.
    struct Blind: PerformancePredictor {
        let oracle: MeasuredOracle
        let model: String
        var name: String { "blind" }
        func estimate(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?] {
            oracle.estimate(queries).enumerated().map { i, e in queries[i].config.model == model ? nil : e }
        }
    }

    @Test func anUnansweredJobIsRankedAsAMedianJob() throws {
        let oracle = Fixture.oracle([("m", 1.0, nil, nil), ("x", 1.0, nil, nil)])
        // SJF on one device. While the first job runs, four arrive: answered lengths 1,000,
        // 100 and 300 s (and the first job's 50 s), and x, which the predictor cannot answer.
        let jobs = [Fixture.job("first", at: 0, iterations: 50),
                    Fixture.job("a", at: 1, iterations: 1000),
                    Fixture.job("x", at: 1, model: "x", iterations: 10),
                    Fixture.job("c", at: 1, iterations: 100),
                    Fixture.job("d", at: 1, iterations: 300)]
        let (sim, summary) = try Fixture.run(jobs, cluster: Fixture.cluster(), oracle: oracle,
                                             predictor: Blind(oracle: oracle, model: "x"), scheduler: SJFScheduler())
        // Answered lengths 50, 100, 300, 1,000: the lower middle is 100 s; x ties with c and
        // goes first by submit order, right after the first job.
        #expect(sim.state.fallbackSeconds == 100)
        #expect(summary.fallbackJobs == 1)
        #expect(Metric.fallbackJobs.value(of: summary) == 1)
        #expect(sim.state.jobs[2].firstStart?.seconds == 50)
        #expect(Fixture.end(sim, "a") == 1460)
    }

    @Test func aPredictorThatAnswersEveryJobUsesNoFallback() throws {
        let oracle = Fixture.oracle([("m", 1.0, nil, nil)])
        let jobs = [Fixture.job("a", at: 0, iterations: 10), Fixture.job("b", at: 1, iterations: 5)]
        let (sim, summary) = try Fixture.run(jobs, cluster: Fixture.cluster(), oracle: oracle, scheduler: SJFScheduler())
        #expect(sim.state.fallbackSeconds == nil)
        #expect(summary.fallbackJobs == 0)
    }
}
