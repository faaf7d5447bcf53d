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
        // A fresh predictor asked one query at a time: BLAS blocking differs with the batch's
        // size, so answers agree to float rounding, not bit for bit.
        let fresh = try Self.predictor()
        let single = qs.map { fresh.estimate([$0])[0] }
        for (a, b) in zip(single, answers) {
            #expect((a == nil) == (b == nil))
            if let a, let b {
                #expect(abs(a.timePerIteration / b.timePerIteration - 1) < 1e-4, "independent of batch composition")
                #expect(a.peakMemoryBytes.map(Double.init).map { abs($0 / Double(b.peakMemoryBytes ?? 1) - 1) < 1e-4 } ?? true)
            }
        }
        #expect(p.name.hasPrefix("gnn:"))
    }
}
