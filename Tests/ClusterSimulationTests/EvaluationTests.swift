import ClusterKit
@testable import ClusterSimulation
import Foundation
import Testing

/// A predictor that swaps which of two models is short: the test double of a bad predictor.
struct SwappedPredictor: PerformancePredictor {
    let base: MeasuredOracle
    var name: String { "swapped" }
    func estimate(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?] {
        base.estimate(queries).enumerated().map { i, e in
            guard var e else { return nil }
            // "a" is predicted tiny, everything else huge.
            e.timePerIteration = queries[i].config.model == "a" ? 1 : 1e9
            return e
        }
    }
}

/// A tiny evaluation whose every number is computed by hand: one fast GPU, job "a" of 10 h and
/// job "b" of 2 + 2·seed hours, both submitted at 0; FIFO runs a then b; SJF on measured time
/// runs b first; SJF on the swapped predictor runs a first.
enum TinyEvaluation {
    static let oracle = Fixture.oracle([("a", 3600, nil, nil), ("b", 3600, nil, nil)])

    static func scenario(seed: UInt64) -> Scenario {
        let jobs = [Fixture.job("a", at: 0, model: "a", iterations: 10), Fixture.job("b", at: 0, model: "b", iterations: Double(2 + 2 * seed))]
        return Scenario(catalog: Fixture.catalog, cluster: Fixture.cluster(), oracle: oracle,
                        trace: Trace(name: "tiny", source: "test", jobs: jobs), inputs: [])
    }

    static func plan(seeds: [UInt64] = [1, 2, 3]) throws -> EvaluationPlan {
        try EvaluationPlan(policies: [PolicyPair(parsing: "fifo+first-fit"), PolicyPair(parsing: "sjf+first-fit")],
                           predictors: ["measured", "swapped"], seeds: seeds)
    }

    static let predictors: [any PredictorFactory] = [
        LabelledPredictorFactory("measured") { scenario, _ in scenario.oracle },
        LabelledPredictorFactory("swapped") { scenario, _ in SwappedPredictor(base: scenario.oracle) },
    ]

    static func runner(_ directory: String, threads: Int = 2, inputs: String = "tiny-v1", seeds: [UInt64] = [1, 2, 3]) throws -> EvaluationRunner {
        try EvaluationRunner(plan: try plan(seeds: seeds), directory: directory, threads: threads, inputs: inputs,
                         scenario: { scenario(seed: $0) },
                         predictors: predictors,
                         config: { _, seed in var c = SimulationConfig(); c.seed = seed; return c })
    }

    static func directory() -> String {
        let d = NSTemporaryDirectory() + "augur-eval-\(UUID().uuidString)"
        return d
    }

    /// The three outputs an evaluation writes, from its stored results.
    static func outputs(_ runner: EvaluationRunner, _ results: [RunResult]) -> (String, String, String) {
        let table = ComparisonTable(plan: runner.plan, results: results)
        let report = EvaluationReport(title: "tiny", description: [], plan: runner.plan, results: results)
        return (table.csv, table.markdown, report.render())
    }
}

@Suite struct EvaluationTests {
    @Test func meanAndStudentInterval() {
        let m = MeanInterval([10, 12, 14])
        #expect(m.mean == 12)
        #expect(abs(m.halfWidth - 4.303 * 2 / 3.0.squareRoot()) < 1e-9)
        #expect(MeanInterval([5]).halfWidth == 0)
        #expect(MeanInterval([]).mean.isNaN)
        #expect(abs(MeanInterval.t975(degreesOfFreedom: 40) - 2.021) < 0.002)
        #expect(abs(MeanInterval.t975(degreesOfFreedom: 120) - 1.980) < 0.002)
    }

    @Test func tableOfTinyEvaluationMatchesHandComputation() throws {
        let dir = TinyEvaluation.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let runner = try TinyEvaluation.runner(dir)
        let outcome = try runner.run()
        #expect(outcome.complete && outcome.executed == 12 && outcome.reused == 0)
        let table = ComparisonTable(plan: runner.plan, results: outcome.results)
        func row(_ policy: String, _ predictor: String) throws -> ComparisonTable.Row {
            try #require(table.rows.first { $0.policy == policy && $0.predictor == predictor })
        }
        let ci = { (sd: Double) in 4.303 * sd / 3.0.squareRoot() }
        // FIFO: a 0–10 h, b 10–(12 + 2s) h → average JCT (22 + 2s) / 2 = 12, 13, 14 h.
        let fifo = try row("fifo+first-fit", "measured")
        #expect(abs(fifo.metrics[.avgJCTHours]!.mean - 13) < 1e-9)
        #expect(abs(fifo.metrics[.avgJCTHours]!.halfWidth - ci(1)) < 1e-9)
        #expect(abs(fifo.metrics[.makespanHours]!.mean - 16) < 1e-9)  // 14, 16, 18
        #expect(fifo.metrics[.completed]!.mean == 2 && fifo.metrics[.completed]!.halfWidth == 0)
        // SJF on measured time: b (4, 6, 8 h) first → average (2b + 10) / 2 = 9, 11, 13 h.
        let sjf = try row("sjf+first-fit", "measured")
        #expect(abs(sjf.metrics[.avgJCTHours]!.mean - 11) < 1e-9)
        #expect(abs(sjf.metrics[.avgJCTHours]!.halfWidth - ci(2)) < 1e-9)
        #expect(sjf.jctGap == nil)
        // SJF on the swapped predictor runs a first, as FIFO: 12, 13, 14 h; gap paired by seed.
        let swapped = try row("sjf+first-fit", "swapped")
        #expect(abs(swapped.metrics[.avgJCTHours]!.mean - 13) < 1e-9)
        let g1: Double = (12.0 / 9 - 1) * 100, g2: Double = (13.0 / 11 - 1) * 100, g3: Double = (14.0 / 13 - 1) * 100
        let expectedGap: Double = (g1 + g2 + g3) / 3
        let gap: Double = try #require(swapped.jctGap).mean
        #expect(abs(gap - expectedGap) < 1e-9)
        #expect(abs(swapped.makespanGap!.mean) < 1e-9)
        // FIFO ignores predictions: no gap.
        #expect(abs(try row("fifo+first-fit", "swapped").jctGap!.mean) < 1e-9)
        // The CSV carries the same numbers.
        #expect(table.csv.contains("\nsjf+first-fit,measured,3,2,0,2,0,0,0,0,0,0,0,11,"))
        // Errors on the pairs: measured is exact; swapped answers every pair, badly.
        #expect(table.errors[0].error.timeMAPE == 0 && table.errors[1].error.answered == table.errors[1].error.pairs)
    }

    @Test func sameEvaluationTwiceGivesIdenticalOutputs() throws {
        let a = TinyEvaluation.directory(), b = TinyEvaluation.directory()
        defer { for d in [a, b] { try? FileManager.default.removeItem(atPath: d) } }
        let ra = try TinyEvaluation.runner(a, threads: 1), rb = try TinyEvaluation.runner(b, threads: 3)
        let oa = TinyEvaluation.outputs(ra, try ra.run().results)
        let ob = TinyEvaluation.outputs(rb, try rb.run().results)
        #expect(oa.0 == ob.0 && oa.1 == ob.1 && oa.2 == ob.2)
        #expect(oa.2.contains("<svg") && !oa.2.contains("http://www.w3.org/1999") && !oa.2.contains("<script"))
    }

    @Test func interruptedEvaluationResumesWithoutRedoingFinishedRuns() throws {
        let dir = TinyEvaluation.directory(), fresh = TinyEvaluation.directory()
        defer { for d in [dir, fresh] { try? FileManager.default.removeItem(atPath: d) } }
        let runner = try TinyEvaluation.runner(dir, threads: 1)
        let finished = Counter()
        let partial = try runner.run(shouldStop: { finished.value >= 5 }) { _ in finished.increment() }
        #expect(!partial.complete && partial.results.count == 5)
        // A torn temporary file from a killed process is ignored.
        try Data("{".utf8).write(to: URL(fileURLWithPath: runner.runsDirectory + "/junk.json.tmp-1"))
        let resumed = try runner.run()
        #expect(resumed.complete && resumed.reused == 5 && resumed.executed == 7)
        let again = try runner.run()
        #expect(again.executed == 0 && again.reused == 12)
        let reference = try TinyEvaluation.runner(fresh, threads: 2)
        let r1 = TinyEvaluation.outputs(runner, resumed.results), r2 = TinyEvaluation.outputs(reference, try reference.run().results)
        #expect(r1.0 == r2.0 && r1.1 == r2.1 && r1.2 == r2.2)
        // Changed inputs invalidate stored runs.
        let changed = try TinyEvaluation.runner(dir, inputs: "tiny-v2").run()
        #expect(changed.executed == 12 && changed.reused == 0)
    }

    @Test func baselineIsAParameterAndEveryLabelNeedsAFactory() throws {
        let dir = TinyEvaluation.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var plan = try TinyEvaluation.plan()
        plan.baseline = "swapped"
        let runner = try EvaluationRunner(plan: plan, directory: dir, threads: 2, inputs: "tiny-v1", scenario: { TinyEvaluation.scenario(seed: $0) },
                                          predictors: TinyEvaluation.predictors, config: { _, seed in var c = SimulationConfig(); c.seed = seed; return c })
        let table = ComparisonTable(plan: plan, results: try runner.run().results)
        // SJF on measured against SJF on swapped (12, 13, 14 h against 9, 11, 13 h), paired by seed.
        let measured = try #require(table.rows.first { $0.policy == "sjf+first-fit" && $0.predictor == "measured" })
        let expected: Double = ((9.0 / 12 - 1) + (11.0 / 13 - 1) + (13.0 / 14 - 1)) * 100 / 3
        #expect(abs(try #require(measured.jctGap).mean - expected) < 1e-9)
        #expect(table.rows.first { $0.predictor == "swapped" }?.jctGap == nil)
        #expect(table.markdown.contains("against `swapped`"))
        #expect(throws: InputError.self) {
            try EvaluationRunner(plan: plan, directory: dir, threads: 1, inputs: "", scenario: { TinyEvaluation.scenario(seed: $0) },
                                 predictors: [TinyEvaluation.predictors[0]], config: { _, _ in SimulationConfig() })
        }
    }

    @Test func plansRejectBadInput() throws {
        #expect(throws: InputError.self) { try PolicyPair(parsing: "lottery+first-fit") }
        #expect(throws: InputError.self) { try PolicyPair(parsing: "fifo") }
        #expect(throws: InputError.self) { try PolicyPair(parsing: "fifo+spread") }
        #expect(try EvaluationPlan.parseSeeds("1-3,7") == [1, 2, 3, 7])
        #expect(throws: InputError.self) { try EvaluationPlan.parseSeeds("5-1") }
        #expect(throws: InputError.self) { try EvaluationPlan.parseSeeds("x") }
        #expect(throws: InputError.self) { try EvaluationPlan(policies: [PolicyPair(parsing: "fifo+pack")], predictors: ["measured", "measured"], seeds: [1]) }
        #expect(throws: InputError.self) { try EvaluationPlan(policies: [], predictors: ["measured"], seeds: [1]) }
    }

    @Test func occupancyBinsAreTimeWeighted() {
        // Busy 2 of 4 devices for the first half, 4 of 4 for the second.
        let bins = RunResult.binned([(0, 2), (50, 4)], span: 100, bins: 4, scale: 0.25)
        #expect(bins == [0.5, 0.5, 1, 1])
        #expect(RunResult.binned([(0, 1), (25, 3)], span: 100, bins: 2, scale: 1) == [2, 3])
    }
}

/// Says every job but "a" needs more memory than any device has.
struct HugeMemoryPredictor: PerformancePredictor {
    let base: MeasuredOracle
    var name: String { "huge-memory" }
    func estimate(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?] {
        zip(queries, base.estimate(queries)).map { q, e in
            guard var e else { return nil }
            if q.config.model != "a" { e.peakMemoryBytes = 1 << 50 }
            return e
        }
    }
}

@Suite struct RefusalTests {
    /// A job the predictor says fits nowhere is refused once the cluster is idle, under
    /// preemptive rounds as under FIFO, instead of the run going on forever.
    @Test(arguments: [SchedulerKind.fifo, .srtf, .las])
    func jobPredictedToFitNowhereIsRefused(_ scheduler: SchedulerKind) throws {
        let oracle = TinyEvaluation.oracle
        let jobs = [Fixture.job("a", at: 0, model: "a", iterations: 10), Fixture.job("b", at: 5, model: "b", iterations: 4)]
        let (sim, summary) = try Fixture.run(jobs, cluster: Fixture.cluster(), oracle: oracle, predictor: HugeMemoryPredictor(base: oracle),
                                             scheduler: scheduler.make(), placement: MemoryAwarePackingPlacement())
        #expect(summary.completed == 1 && summary.refused == 1)
        #expect(sim.state.jobs[1].status == .refused && sim.state.jobs[1].end == nil)
        #expect(abs((Fixture.end(sim, "a") ?? 0) - 36_000) < 0.01)
        // The engine itself refuses such a placement: policies see predictions only.
        #expect(sim.state.placeableTypes(job: 1).isEmpty)
        #expect(sim.state.validate(Placement(devices: [0]), for: 1) == .predictedNotToFit)
    }

    /// Hundreds of such jobs wait in a class no pass visits (they used to be offered to the
    /// placement one by one at every pass) and are all refused at the end.
    @Test(arguments: [SchedulerKind.fifo, .las])
    func manyJobsPredictedToFitNowhere(_ scheduler: SchedulerKind) throws {
        let oracle = TinyEvaluation.oracle
        var jobs = (0..<40).map { Fixture.job("a\($0)", at: Double($0), model: "a", iterations: 10) }
        jobs += (0..<400).map { Fixture.job("b\($0)", at: Double($0), model: "b", iterations: 4) }
        let (_, summary) = try Fixture.run(jobs, cluster: Fixture.cluster(), oracle: oracle, predictor: HugeMemoryPredictor(base: oracle),
                                           scheduler: scheduler.make(), placement: HeterogeneityAwarePlacement())
        #expect(summary.completed == 40 && summary.refused == 400)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    var value: Int { lock.withLock { n } }
    func increment() { lock.withLock { n += 1 } }
}
