import Testing
@testable import ModelGraph

/// Tacotron 2 as NVIDIA DeepLearningExamples builds it.
@Suite struct Tacotron2Tests {
    /// 28,193,153: the exact count of NVIDIA's layer list (NVIDIA's Tacotron 2 page quotes
    /// 28.2 M parameters; the count is within 0.1% of it).
    @Test func parameterCountAndShapes() throws {
        let g = try #require(try Tacotron2.graph(named: "tacotron2"))
        #expect(g.parameterCount == 28_193_153)
        #expect(abs(Double(g.parameterCount) - 28.2e6) / 28.2e6 < 0.001)
        #expect(g.tensors[g.outputs[1]].shape == [1, 80, 800])
        #expect(g.tensors[g.outputs[2]].shape == [800, 1, 1])
        #expect(g.uncostedOperators().isEmpty)
        #expect(g.operatorHistogram.first { $0.type == "LSTM" }?.count == 1 + 2 * 800)
        #expect(try Tacotron2.graph(named: "tacotron") == nil)
    }

    @Test func scalesWithBatchAndFrames() throws {
        let base = try #require(try Tacotron2.graph(named: "tacotron2", batchSize: 2, size: 50))
        let batch = try #require(try Tacotron2.graph(named: "tacotron2", batchSize: 8, size: 50))
        let long = try #require(try Tacotron2.graph(named: "tacotron2", batchSize: 2, size: 100))
        let f = { (g: ModelGraph) in Double(g.cost(mode: .infer).flops) }
        #expect(f(batch) / f(base) > 3.95 && f(batch) / f(base) < 4.05)
        // The encoder is fixed; the decoder's work is linear in the frames.
        let longer = try #require(try Tacotron2.graph(named: "tacotron2", batchSize: 2, size: 150))
        #expect(f(long) / f(base) > 1.3 && f(long) / f(base) < 2)
        #expect(abs((f(longer) - f(long)) / (f(long) - f(base)) - 1) < 0.001)
        #expect(long.parameterCount == base.parameterCount)
        #expect(long.nodes.count > base.nodes.count * 19 / 10)
        let one = try Tacotron2.graph(textLength: 10, melFrames: 1)
        #expect(one.parameterCount == base.parameterCount)
        #expect(one.uncostedOperators().isEmpty)
    }

    @Test func rejectsBadSizes() {
        #expect(throws: ModelGraphError.self) { try Tacotron2.graph(batchSize: 0) }
        #expect(throws: ModelGraphError.self) { try Tacotron2.graph(named: "tacotron2", size: 0) }
        #expect(throws: ModelGraphError.self) { try Tacotron2.graph(textLength: 0) }
        #expect(throws: ModelGraphError.self) { try Tacotron2.graph(melFrames: 100_000) }
    }
}
