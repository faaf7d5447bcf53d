import AugurTestSupport
import ClusterKit
import Foundation
import PerfModels
import Testing

/// The GNN behind the simulator's seam keeps the predictor contract.
@Suite struct GNNPredictorTests {
    static func predictor(answersMemory: Bool = true) throws -> GNNPredictor {
        let data = try PerfFixtures.dataset()
        let model = try PerfFixtures.model(.seernet, data: data, targets: [.time, .memory])
        let dir = PerfFixtures.temporaryDirectory("gnn")
        try Checkpoint.save(model, to: dir, training: nil)
        return try GNNPredictor(directory: dir, zoo: ModelZoo(data: DataRoot.resolve()), catalog: try PerfFixtures.catalog.get(),
                                answersMemory: answersMemory)
    }

    static let queries: [PerformanceQuery] = [
        PerformanceQuery(config: ModelConfig(model: "nb201-0", batchSize: 32, mode: .infer), device: "gtx-1080ti"),
        PerformanceQuery(config: ModelConfig(model: "nb201-7", batchSize: 1, mode: .infer), device: "pixel3"),
        PerformanceQuery(config: ModelConfig(model: "nb201-7", batchSize: 64, mode: .train), device: "v100-sxm2-16gb"),
        PerformanceQuery(config: ModelConfig(model: "nb201-3", batchSize: 1, mode: .infer), device: "t4"),
    ]
    static let unanswerable: [PerformanceQuery] = [
        PerformanceQuery(config: ModelConfig(model: "mlperf-training/dlrm_dcnv2", batchSize: 64, mode: .train), device: "v100-sxm2-16gb"),
        PerformanceQuery(config: ModelConfig(model: "nb201-0", batchSize: 1, mode: .infer), device: "no-such-device"),
    ]

    @Test func contract() throws {
        guard DataRoot.resolve().exists else { return }
        let p = try Self.predictor()
        let qs = Self.queries + Self.unanswerable
        try PredictorContract.expect(p, queries: qs, fresh: { try Self.predictor() })
        let answers = p.estimate(qs)
        try #require(answers.count == qs.count)
        for a in answers.prefix(Self.queries.count) {
            let e = try #require(a)
            #expect((e.peakMemoryBytes ?? 0) > 0, "the GNN states memory")
        }
        #expect(answers.suffix(2).allSatisfy { $0 == nil }, "no graph, or unknown device: nil")
        let timeOnly = try Self.predictor(answersMemory: false).estimate(Self.queries)
        #expect(timeOnly.allSatisfy { $0 != nil && $0?.peakMemoryBytes == nil }, "memory only when asked")
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

    /// A query's answer is a function of the query alone (`PredictorContract`: asked alone, in one
    /// batch with every other query, in other batches and orders, or from several threads at
    /// once, by fresh predictors, it is the same bits); and it is rounded to the predictor's
    /// significant digits.
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
        // Alone, in other batches and orders, from several threads at once, by fresh predictors.
        try PredictorContract.expect(try Self.predictor(), queries: qs, fresh: { try Self.predictor() })
    }
}
