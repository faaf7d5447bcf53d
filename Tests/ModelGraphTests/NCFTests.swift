import Foundation
import Testing
@testable import ModelGraph

/// The Swift-built NeuMF (``NCF``): parameters computed from DeepLearningExamples' sizes
/// (MovieLens-20M 138,493 users and 26,744 items; embeddings of 64 (GMF) and 128 (MLP) per
/// user and item; Linear 256→256→128→64; Linear 128→1).
@Suite struct NCFTests {
    static let parameters = (138_493 + 26_744) * (64 + 128)
        + (256 * 256 + 256) + (256 * 128 + 128) + (128 * 64 + 64) + (128 + 1)

    @Test func matchesTheComputedParameterCount() throws {
        #expect(NCF.names == ["ncf"])
        let g = try #require(try NCF.graph(named: "ncf", batchSize: 1024))
        #expect(g.parameterCount == Self.parameters)
        #expect(Self.parameters == 31_832_577)
        #expect(g.uncostedOperators().isEmpty)
    }

    /// Per pair: 2 FLOPs per MLP weight, none for the embedding lookups.
    @Test func flopsScaleWithTheBatch() throws {
        let one = try #require(try NCF.graph(named: "ncf", batchSize: 1))
        let many = try #require(try NCF.graph(named: "ncf", batchSize: 1 << 16))
        let mlp = 256 * 256 + 256 * 128 + 128 * 64 + 128
        let perPair = Double(one.cost(mode: .infer).flops)
        #expect(perPair > Double(2 * mlp) && perPair < Double(2 * mlp) * 1.05)
        #expect(many.cost(mode: .infer).flops == one.cost(mode: .infer).flops << 16)
    }

    @Test func rejectsBadSizes() throws {
        #expect(throws: ModelGraphError.self) { try NCF.graph(named: "ncf", batchSize: 0) }
        var bad = try #require(NCF.configs["ncf"])
        bad.mlpLayers = [255, 64]
        #expect(throws: ModelGraphError.self) { try NCF.graph(bad) }
        #expect(try NCF.graph(named: "neumf") == nil)
    }
}
