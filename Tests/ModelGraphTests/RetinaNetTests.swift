import Testing
@testable import ModelGraph

/// MLPerf Training's RetinaNet (ResNeXt-50 32×4d FPN, OpenImages-MLPerf 264 classes).
@Suite struct RetinaNetTests {
    /// The exact count of the layer list in ``RetinaNet``, 37,060,652 (its breakdown is in the
    /// type's documentation); the ≈ 38 M usually quoted is within 3% of it.
    @Test func parameterCount() throws {
        let g = try #require(try RetinaNet.graph(named: "retinanet"))
        #expect(g.parameterCount == 37_060_652)
        #expect(abs(Double(g.parameterCount) - 38e6) / 38e6 < 0.03)
        // 800×800: P3…P7 are 100, 50, 25, 13 and 7 on a side.
        let anchors = 9 * (100 * 100 + 50 * 50 + 25 * 25 + 13 * 13 + 7 * 7)
        #expect(g.tensors[g.outputs[0]].shape == [1, anchors, 264])
        #expect(g.tensors[g.outputs[1]].shape == [1, anchors, 4])
        #expect(g.uncostedOperators().isEmpty)
        #expect(try RetinaNet.graph(named: "retinanet101") == nil)
    }

    @Test func scalesWithBatchAndSize() throws {
        let base = try #require(try RetinaNet.graph(named: "retinanet", size: 256))
        let batch = try #require(try RetinaNet.graph(named: "retinanet", batchSize: 2, size: 256))
        let big = try #require(try RetinaNet.graph(named: "retinanet", size: 512))
        let f = { (g: ModelGraph) in Double(g.cost(mode: .infer).flops) }
        #expect(f(batch) / f(base) > 1.99 && f(batch) / f(base) < 2.01)
        #expect(f(big) / f(base) > 3.8 && f(big) / f(base) < 4.2)
        #expect(big.parameterCount == base.parameterCount)
    }

    @Test func rejectsBadSizes() {
        #expect(throws: ModelGraphError.self) { try RetinaNet.graph(batchSize: 0) }
        #expect(throws: ModelGraphError.self) { try RetinaNet.graph(named: "retinanet", size: 64) }
        #expect(throws: ModelGraphError.self) { try RetinaNet.graph(classes: 0) }
    }
}
