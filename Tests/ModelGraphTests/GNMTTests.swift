import Testing
@testable import ModelGraph

/// GNMT v2 as NVIDIA DeepLearningExamples / MLPerf build it.
@Suite struct GNMTTests {
    /// 160,671,297: MLPerf's GNMT count (NVIDIA's MLPerf GNMT submission code, "MLPerf GNMT
    /// has 160671297 parameters"); matched exactly.
    @Test func parameterCount() throws {
        let g = try #require(try GNMT.graph(named: "gnmt"))
        #expect(g.parameterCount == 160_671_297)
        #expect(g.tensors[g.outputs[0]].shape == [50, 1, 32_320])
        #expect(g.uncostedOperators().isEmpty)
        #expect(g.operatorHistogram.first { $0.type == "LSTM" }?.count == 8)
        #expect(try GNMT.graph(named: "gnmt8") == nil)
    }

    @Test func scalesWithBatchAndLength() throws {
        let base = try #require(try GNMT.graph(named: "gnmt", batchSize: 2, size: 20))
        let batch = try #require(try GNMT.graph(named: "gnmt", batchSize: 8, size: 20))
        let long = try #require(try GNMT.graph(named: "gnmt", batchSize: 2, size: 40))
        let f = { (g: ModelGraph) in Double(g.cost(mode: .infer).flops) }
        #expect(f(batch) / f(base) > 3.95 && f(batch) / f(base) < 4.05)
        // Linear in the LSTMs and classifier, quadratic in the attention.
        #expect(f(long) / f(base) > 2 && f(long) / f(base) < 4)
        #expect(long.parameterCount == base.parameterCount)
        // Most of the forward work is in the recurrent layers and the classifier.
        let lstm = base.nodes.filter { $0.type == "LSTM" }.reduce(0) { $0 + $1.flops }
        #expect(Double(lstm) / f(base) > 0.4)
    }

    @Test func rejectsBadSizes() {
        #expect(throws: ModelGraphError.self) { try GNMT.graph(batchSize: 0) }
        #expect(throws: ModelGraphError.self) { try GNMT.graph(named: "gnmt", size: 0) }
        #expect(throws: ModelGraphError.self) { try GNMT.graph(sourceLength: 5000) }
        #expect(throws: ModelGraphError.self) { try GNMT.graph(hidden: 0) }
    }
}
