import ClusterKit
import Foundation
import PerfModels
import Testing

/// The GNN behind the simulator's seam keeps the predictor contract.
@Suite struct GNNPredictorTests {
    static func predictor() throws -> GNNPredictor {
        let data = try PerfFixtures.dataset()
        let model = try PerfFixtures.model(.seernet, data: data, targets: [.time, .memory])
        let dir = PerfFixtures.temporaryDirectory("gnn")
        try Checkpoint.save(model, to: dir, training: nil)
        return try GNNPredictor(directory: dir, zoo: ModelZoo(data: DataRoot.resolve()), catalog: try PerfFixtures.catalog.get())
    }

    static let queries: [PerformanceQuery] = [
        PerformanceQuery(config: ModelConfig(model: "nb201-0", batchSize: 32, mode: .infer), device: "gtx-1080ti"),
        PerformanceQuery(config: ModelConfig(model: "nb201-7", batchSize: 1, mode: .infer), device: "pixel3"),
        PerformanceQuery(config: ModelConfig(model: "nb201-7", batchSize: 64, mode: .train), device: "v100-sxm2-16gb"),
        PerformanceQuery(config: ModelConfig(model: "nb201-3", batchSize: 1, mode: .infer), device: "t4"),
    ]
    static let unanswerable: [PerformanceQuery] = [
        PerformanceQuery(config: ModelConfig(model: "resnet50-imagenet", batchSize: 64, mode: .train), device: "v100-sxm2-16gb"),
        PerformanceQuery(config: ModelConfig(model: "nb201-0", batchSize: 1, mode: .infer), device: "no-such-device"),
    ]

    @Test func contract() throws {
        guard DataRoot.resolve().exists else { return }
        let p = try Self.predictor()
        let qs = Self.queries + Self.unanswerable
        let answers = p.estimate(qs)
        #expect(answers.count == qs.count)
        for a in answers.prefix(Self.queries.count) {
            let e = try #require(a)
            #expect(e.timePerIteration > 0 && e.timePerIteration.isFinite)
            #expect((e.peakMemoryBytes ?? 0) > 0)
        }
        #expect(answers.suffix(2).allSatisfy { $0 == nil }, "no graph, or unknown device: nil")
        #expect(p.estimate([]).isEmpty)
        #expect(p.estimate(qs) == answers, "deterministic")
        #expect(Array(p.estimate(qs.reversed()).reversed()) == answers, "independent of order")
        // A fresh predictor asked one query at a time: the same answers, bit for bit.
        let fresh = try Self.predictor()
        #expect(qs.map { fresh.estimate([$0])[0] } == answers, "independent of batch composition")
        #expect(p.name.hasPrefix("gnn:"))
    }

    /// Many queries: NAS-Bench-201 cells at several batch sizes on the default cluster's devices,
    /// in both modes.
    static let many: [PerformanceQuery] = (0..<12).flatMap { cell in
        [1, 16, 64].flatMap { batch in
            ["gtx-1080ti", "titan-rtx", "v100-pcie-32gb", "p100-pcie-16gb"].map { device in
                PerformanceQuery(config: ModelConfig(model: "nb201-\(cell * 37)", batchSize: batch, mode: cell % 2 == 0 ? .infer : .train),
                                 device: device)
            }
        }
    }

    /// A query's answer is a function of the query alone: asked alone, in one batch with every
    /// other query, in other batches and orders, or from several threads at once, by fresh
    /// predictors, it is the same bits; and it is rounded to the predictor's significant digits.
    @Test func answersDependOnTheQueryAlone() throws {
        guard DataRoot.resolve().exists else { return }
        let qs = Self.many + Self.queries
        let all = try Self.predictor().estimate(qs)
        #expect(all.compactMap { $0 }.count >= Self.many.count / 2, "most queries answered")
        let digits = GNNPredictor.significantDigits
        for e in all.compactMap({ $0 }) {
            #expect(e.timePerIteration == e.timePerIteration.rounded(significantDigits: digits))
            #expect(e.peakMemoryBytes.map { Double($0) == Double($0).rounded(significantDigits: digits) } ?? true)
            #expect(e.timeInterval.map { $0 == $0.rounded(significantDigits: digits) } ?? true)
        }
        let alone = try Self.predictor()
        #expect(qs.indices.reversed().map { alone.estimate([qs[$0]])[0] }.reversed() == all, "one at a time, last first")
        // Batches of 5 over a shuffled order.
        var rng = SystemRandomNumberGenerator()
        let order = qs.indices.shuffled(using: &rng)
        let batched = try Self.predictor()
        var answers = [PerformanceEstimate??](repeating: nil, count: qs.count)
        for start in stride(from: 0, to: order.count, by: 5) {
            let slice = Array(order[start..<min(start + 5, order.count)])
            for (i, a) in zip(slice, batched.estimate(slice.map { qs[$0] })) { answers[i] = .some(a) }
        }
        #expect(answers.map { $0! } == all, "batches of five, shuffled")
        // Eight threads at once on one predictor, each with its own overlapping slice.
        let shared = try Self.predictor()
        let results = Locked([[PerformanceEstimate?]](repeating: [], count: 8))
        let snapshot = qs
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            let mine = snapshot.indices.filter { ($0 + t) % 3 != 0 }
            let got = shared.estimate(mine.map { snapshot[$0] })
            results.update { $0[t] = got }
        }
        for (t, got) in results.value.enumerated() {
            let mine = qs.indices.filter { ($0 + t) % 3 != 0 }
            #expect(got == mine.map { all[$0] }, "thread \(t)")
        }
        #expect(shared.estimate(qs) == all, "the shared predictor's cache")
    }
}

/// A value shared by test threads, one lock around it.
final class Locked<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T { lock.withLock { stored } }
    func update(_ body: (inout T) -> Void) { lock.withLock { body(&stored) } }
}
