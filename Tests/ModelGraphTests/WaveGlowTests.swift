import Testing
@testable import ModelGraph

/// WaveGlow as NVIDIA DeepLearningExamples builds it.
@Suite struct WaveGlowTests {
    /// 87,731,816 at 256 WN channels: NVIDIA's published 87.73 M (the count without the
    /// weight-norm gains, see ``WaveGlow``); 512 channels (the paper's) give 267,999,848.
    @Test func parameterCountAndShapes() throws {
        let g = try #require(try WaveGlow.graph(named: "waveglow"))
        #expect(g.parameterCount == 87_731_816)
        #expect(abs(Double(g.parameterCount) - 87.73e6) / 87.73e6 < 0.0005)
        #expect(g.tensors[g.outputs[0]].shape == [1, 8, 2000])
        #expect(g.uncostedOperators().isEmpty)
        #expect(try WaveGlow.graph(channels: 512).parameterCount == 267_999_848)
        #expect(try WaveGlow.graph(named: "waveglow512") == nil)
    }

    @Test func scalesWithBatchAndSegment() throws {
        let base = try #require(try WaveGlow.graph(named: "waveglow", size: 8000))
        let batch = try #require(try WaveGlow.graph(named: "waveglow", batchSize: 4, size: 8000))
        let long = try #require(try WaveGlow.graph(named: "waveglow", size: 16_000))
        let f = { (g: ModelGraph) in Double(g.cost(mode: .infer).flops) }
        #expect(f(batch) / f(base) > 3.95 && f(batch) / f(base) < 4.05)
        #expect(f(long) / f(base) > 1.95 && f(long) / f(base) < 2.05)
        #expect(long.parameterCount == base.parameterCount)
    }

    @Test func rejectsBadSizes() {
        #expect(throws: ModelGraphError.self) { try WaveGlow.graph(batchSize: 0) }
        #expect(throws: ModelGraphError.self) { try WaveGlow.graph(named: "waveglow", size: 8001) }
        #expect(throws: ModelGraphError.self) { try WaveGlow.graph(segmentLength: 512) }
        #expect(throws: ModelGraphError.self) { try WaveGlow.graph(channels: 3) }
    }
}
