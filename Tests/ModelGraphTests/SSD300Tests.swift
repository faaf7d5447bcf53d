import Testing
@testable import ModelGraph

/// SSD300 as NVIDIA DeepLearningExamples builds it: parameter count, box count, scaling.
@Suite struct SSD300Tests {
    /// The exact count of the layer list in ``SSD300``'s documentation, 22,894,902 (NVIDIA
    /// publishes no total; 8,543,296 backbone + 3,773,696 extra layers + 10,577,910 heads).
    @Test func parameterCountAndBoxes() throws {
        let g = try #require(try SSD300.graph(named: "ssd300"))
        #expect(g.parameterCount == 22_894_902)
        #expect(g.tensors[g.outputs[0]].shape == [1, 4, 8732])
        #expect(g.tensors[g.outputs[1]].shape == [1, 81, 8732])
        #expect(SSD300.featureSizes(resolution: 300) == [38, 19, 10, 5, 3, 1])
        #expect(g.uncostedOperators().isEmpty)
        #expect(try SSD300.graph(named: "ssd512") == nil)
    }

    @Test func scalesWithBatchAndResolution() throws {
        let base = try #require(try SSD300.graph(named: "ssd300"))
        let batch4 = try #require(try SSD300.graph(named: "ssd300", batchSize: 4))
        let big = try #require(try SSD300.graph(named: "ssd300", size: 600))
        let f = { (g: ModelGraph) in Double(g.cost(mode: .infer).flops) }
        #expect(f(batch4) / f(base) > 3.95 && f(batch4) / f(base) < 4.05)
        #expect(f(big) / f(base) > 3.5)
        #expect(big.parameterCount == base.parameterCount)
        #expect(batch4.cost(mode: .train).flops > 2 * batch4.cost(mode: .infer).flops)
        #expect(big.uncostedOperators().isEmpty)
    }

    @Test func rejectsBadSizes() {
        #expect(throws: ModelGraphError.self) { try SSD300.graph(batchSize: 0) }
        #expect(throws: ModelGraphError.self) { try SSD300.graph(resolution: 256) }
        #expect(throws: ModelGraphError.self) { try SSD300.graph(resolution: 100_000) }
        #expect(throws: ModelGraphError.self) { try SSD300.graph(classes: 1) }
        #expect((try? SSD300.graph(resolution: 257)) != nil)
    }
}
