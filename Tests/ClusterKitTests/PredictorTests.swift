import Foundation
import AugurTestSupport
import Testing
@testable import ClusterKit

/// The contract every ClusterKit predictor keeps (`PredictorContract` in AugurTestSupport: one
/// answer per query, in query order, usable values, deterministic, independent of batch
/// composition, thread-safe), and what each one answers.
@Suite("Predictor contract")
struct PredictorTests {
    /// Queries with a measurement (a spread over families and devices) plus a few without.
    static func queries() throws -> (measured: [PerformanceQuery], unmeasured: [PerformanceQuery]) {
        let oracle = try Fixtures.oracle()
        let sorted = oracle.table.keys.sorted()
        let step = max(1, sorted.count / 40)
        let measured = Swift.stride(from: 0, to: sorted.count, by: step).map { sorted[$0] }
        let unmeasured = [
            PerformanceQuery(config: ModelConfig(model: "no-such-model", batchSize: 1, mode: .train), device: "k80"),
            PerformanceQuery(config: ModelConfig(model: "resnet50-imagenet", batchSize: 64, mode: .train), device: "pixel3"),
        ]
        return (measured, unmeasured)
    }

    /// A trace over some measured configurations, half with a user estimate.
    static func userTrace() throws -> Trace {
        let oracle = try Fixtures.oracle()
        let configs = try queries().measured.map(\.config)
        var jobs: [Job] = []
        let usable = Set(configs).sorted().filter { c in
            oracle.referenceDevice(for: c).map { oracle.estimate(PerformanceQuery(config: c, device: $0)) != nil } ?? false
        }
        for (i, c) in usable.enumerated() {
            jobs.append(Job(id: "u\(i)", submit: SimTime(seconds: Double(i)), config: c, work: .iterations(100), gpus: 1 + i % 2,
                            userEstimate: i % 2 == 0 ? SimTime(seconds: 50 + Double(i)) : nil))
        }
        return Trace(name: "user", source: "test", jobs: jobs)
    }

    static func predictors() throws -> [any PerformancePredictor] {
        let oracle = try Fixtures.oracle()
        return [
            oracle,
            NoisyOracle(base: oracle, sigma: 0.3, seed: 7),
            UserEstimatePredictor(trace: try userTrace(), catalog: try Fixtures.catalog(), fallback: oracle,
                                  referenceDevice: { oracle.referenceDevice(for: $0) }),
        ]
    }

    static let names = ["measured", "noisy:0.3", "user-estimate"]

    @Test(arguments: 0..<3)
    func contract(index: Int) throws {
        let predictor = try Self.predictors()[index]
        #expect(predictor.name == Self.names[index])
        let (measured, unmeasured) = try Self.queries()
        // For the user-estimate predictor, only configurations of its trace are answerable.
        let answerable: [PerformanceQuery]
        if index == 2 {
            let configs = Set(try Self.userTrace().jobs.map(\.config))
            answerable = measured.filter { configs.contains($0.config) }
        } else {
            answerable = measured
        }
        #expect(answerable.count >= 10)
        let queries = answerable + unmeasured
        // The shared contract (AugurTestSupport), with fresh instances of the same predictor.
        try PredictorContract.expect(predictor, queries: queries, fresh: { try Self.predictors()[index] })
        // What this predictor answers: every measured query, and nil for the unmeasured ones.
        let answers = predictor.estimate(queries)
        try #require(answers.count == queries.count, "one answer per query")
        for (q, a) in zip(answerable, answers) { _ = try #require(a, "\(q.config) on \(q.device)") }
        if index < 2 { #expect(answers.suffix(2).allSatisfy { $0 == nil }, "unmeasured queries get nil") }
    }

    @Test func measuredAnswersAreTheTable() throws {
        let oracle = try Fixtures.oracle()
        let (measured, _) = try Self.queries()
        for (q, a) in zip(measured, oracle.estimate(measured)) { #expect(a == oracle.table[q]?.estimate) }
    }

    @Test func noisyWithZeroSigmaEqualsOracle() throws {
        let oracle = try Fixtures.oracle()
        let (measured, unmeasured) = try Self.queries()
        let queries = measured + unmeasured
        #expect(NoisyOracle(base: oracle, sigma: 0, seed: 99).estimate(queries) == oracle.estimate(queries))
    }

    /// Without a base interval, the noisy oracle states its own 90% interval: it covers the
    /// measured time about 90% of the time, and is exp(±1.645σ) around its point estimate.
    @Test func noisyIntervalCoversMeasuredNinetyPercent() throws {
        let oracle = try Fixtures.oracle()
        let queries = Array(oracle.table.keys.filter { oracle.table[$0]?.estimate.timeInterval == nil }.sorted().prefix(4000))
        #expect(queries.count > 1000)
        let sigma = 0.4
        let answers = NoisyOracle(base: oracle, sigma: sigma, seed: 3).estimate(queries)
        var covered = 0
        for (q, a) in zip(queries, answers) {
            let a = try #require(a), i = try #require(a.timeInterval), m = oracle.table[q]!.estimate.timePerIteration
            #expect(abs(i.upper / a.timePerIteration - exp(1.645 * sigma)) < 1e-9)
            if i.lower <= m && m <= i.upper { covered += 1 }
        }
        let share = Double(covered) / Double(queries.count)
        #expect(share > 0.87 && share < 0.93, "coverage \(share)")
    }

    @Test func noisyDiffersAndIsDeterministic() throws {
        let oracle = try Fixtures.oracle()
        let (measured, _) = try Self.queries()
        let truth = oracle.estimate(measured)
        let a = NoisyOracle(base: oracle, sigma: 0.3, seed: 1).estimate(measured)
        let b = NoisyOracle(base: oracle, sigma: 0.3, seed: 1).estimate(measured)
        let c = NoisyOracle(base: oracle, sigma: 0.3, seed: 2).estimate(measured)
        #expect(a == b, "same seed, same answers")
        #expect(a != c, "another seed, other answers")
        for (t, n) in zip(truth, a) {
            let t = try #require(t), n = try #require(n)
            #expect(n.timePerIteration != t.timePerIteration)
            let ratio = n.timePerIteration / t.timePerIteration
            #expect(ratio > 0.05 && ratio < 20, "lognormal factor with σ 0.3")
            if let tm = t.peakMemoryBytes { #expect(n.peakMemoryBytes != nil && n.peakMemoryBytes != tm) }
            if let u = n.smUtilization { #expect(u <= 1) }
        }
        // Log errors have roughly standard deviation σ.
        let logs = zip(truth, a).map { Foundation.log($1!.timePerIteration / $0!.timePerIteration) }
        let mean = logs.reduce(0, +) / Double(logs.count)
        let sd = (logs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(logs.count)).squareRoot()
        #expect(sd > 0.15 && sd < 0.5, "σ estimate \(sd)")
    }

    @Test func userEstimateIsBlindToHardware() throws {
        let oracle = try Fixtures.oracle()
        let catalog = try Fixtures.catalog()
        let trace = try Self.userTrace()
        let p = UserEstimatePredictor(trace: trace, catalog: catalog, fallback: oracle, referenceDevice: { oracle.referenceDevice(for: $0) })
        for job in trace.jobs {
            let answers = p.estimate(["k80", "t4", "pixel3"].map { PerformanceQuery(config: job.config, device: $0) })
            let times = try answers.map { try #require($0).timePerIteration }
            #expect(Set(times).count == 1, "same time on every device")
            #expect(answers.map { $0?.peakMemoryBytes } == ["k80", "t4", "pixel3"].map { catalog[$0]?.memoryBytes })
            #expect(answers.allSatisfy { $0?.smUtilization == 1 })
            if let est = job.userEstimate {
                #expect(times[0] == est.seconds / 100 * Double(job.gpus))
            } else {
                let ref = try #require(oracle.referenceDevice(for: job.config))
                #expect(times[0] == oracle.estimate(PerformanceQuery(config: job.config, device: ref))?.timePerIteration)
            }
        }
        #expect(p.estimate(PerformanceQuery(config: trace.jobs[0].config, device: "no-such-device")) == nil)
    }

    /// The checker is not vacuous: a predictor whose answers depend on the batch, and one with
    /// unusable values, are caught.
    @Test func contractCatchesBrokenPredictors() throws {
        struct BatchSensitive: PerformancePredictor {
            var name: String { "batch-sensitive" }
            func estimate(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?] {
                queries.map { _ in PerformanceEstimate(timePerIteration: Double(queries.count)) }
            }
        }
        struct Negative: PerformancePredictor {
            var name: String { "negative" }
            func estimate(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?] {
                queries.map { _ in PerformanceEstimate(timePerIteration: -1) }
            }
        }
        let queries = try Self.queries().measured
        let batch = try PredictorContract.check(BatchSensitive(), queries: queries)
        #expect(batch.contains { $0.rule.hasPrefix("independent of batch composition") })
        #expect(batch.contains { $0.rule.hasPrefix("answers in query order") })
        #expect(try PredictorContract.check(Negative(), queries: queries).contains { $0.rule == "answers are usable" })
    }
}

/// `FallbackPredictor`: the primary's answers where it has them, the secondary's time (marked,
/// without memory) where it has not, and the shared predictor contract.
@Suite struct FallbackPredictorTests {
    /// The measured oracle, blind to one device.
    struct Blind: PerformancePredictor {
        let oracle: MeasuredOracle
        let device: String
        var name: String { "blind" }
        func estimate(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?] {
            oracle.estimate(queries).enumerated().map { i, e in queries[i].device == device ? nil : e }
        }
    }

    @Test func fillsOnlyThePrimarysGapsAndMarksThem() throws {
        let oracle = try Fixtures.oracle()
        let (measured, unmeasured) = try PredictorTests.queries()
        let primary = Blind(oracle: oracle, device: measured[0].device)
        let fallback = FallbackPredictor(primary: primary, secondary: NoisyOracle(base: oracle, sigma: 0.3, seed: 7))
        #expect(fallback.name == primary.name)
        let queries = measured + unmeasured
        try PredictorContract.expect(fallback, queries: queries, fresh: { fallback })
        let first = primary.estimate(queries)
        let filled = fallback.estimate(queries)
        let second = NoisyOracle(base: oracle, sigma: 0.3, seed: 7).estimate(queries)
        var marked = 0
        for i in queries.indices {
            if let p = first[i] {
                #expect(filled[i] == p)
            } else if let s = second[i] {
                #expect(filled[i]?.timePerIteration == s.timePerIteration)
                #expect(filled[i]?.fallback == true)
                #expect(filled[i]?.peakMemoryBytes == nil)
                marked += 1
            } else {
                #expect(filled[i] == nil)
            }
        }
        #expect(marked > 0)
    }
}
