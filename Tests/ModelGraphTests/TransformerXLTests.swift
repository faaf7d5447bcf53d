import Foundation
import Testing
@testable import ModelGraph

/// The Swift-built Transformer-XL (``TransformerXL``) against the parameter count of
/// DeepLearningExamples' modules (`mem_transformer.py`, `proj_adaptive_softmax.py`), summed
/// here from their shapes.
@Suite struct TransformerXLTests {
    /// Sum of DLE's parameter shapes for a configuration.
    static func dleParameters(_ c: TransformerXL.Config) -> Int {
        let ends = [0] + c.cutoffs + [c.vocabulary]
        let d = c.dModel, hd = c.heads * c.headDim
        var total = 0
        if c.divVal == 1 {
            total += c.vocabulary * d  // emb_layers.0, tied with the softmax
        } else {
            for i in 0..<(ends.count - 1) {
                var w = d
                for _ in 0..<i { w /= c.divVal }
                total += (ends[i + 1] - ends[i]) * w + d * w  // emb_layers.i, emb_projs.i (tied)
            }
            total += d * d  // crit.out_projs.0 (tie_projs[0] = false)
        }
        let layer = d * 3 * hd + hd * d + d * hd + 2 * d  // qkv_net, o_net, r_net, layer_norm
            + (d * c.inner + c.inner) + (c.inner * d + d) + 2 * d  // CoreNet, layer_norm
        total += c.layers * layer + 2 * hd  // r_w_bias, r_r_bias
        total += (ends.count - 2) * (d + 1) + c.vocabulary  // cluster weight and bias, out_layers_biases
        return total
    }

    @Test func parameterCountsMatchDeepLearningExamples() throws {
        #expect(TransformerXL.names == ["transformer-xl-base", "transformer-xl-large"])
        let base = try #require(try TransformerXL.graph(named: "transformer-xl-base", batchSize: 2))
        let large = try #require(try TransformerXL.graph(named: "transformer-xl-large", batchSize: 2))
        #expect(base.parameterCount == Self.dleParameters(TransformerXL.configs["transformer-xl-base"]!))
        #expect(large.parameterCount == Self.dleParameters(TransformerXL.configs["transformer-xl-large"]!))
        #expect(base.parameterCount == 191_950_298)
        #expect(large.parameterCount == 285_167_482)
        #expect(base.uncostedOperators().isEmpty, "\(base.uncostedOperators())")
        #expect(large.uncostedOperators().isEmpty, "\(large.uncostedOperators())")
    }

    @Test func zipfSharesCoverTheVocabulary() {
        let shares = TransformerXL.clusterShares(vocabulary: 267_735, cutoffs: [19997, 39997, 199_997])
        #expect(abs(shares.reduce(0, +) - 1) < 1e-9)
        #expect(shares[0] > 0.75 && shares[0] < 0.85)
    }

    /// Per token, the layers cost about 2 FLOPs per layer weight plus the attention products
    /// over tgt_len + mem_len keys (AC, BD and the values: 6·L·(S+M)·d, BD against the
    /// relative positions), and the adaptive softmax 2·d per head row (20,000 + 3 clusters).
    @Test(arguments: ["transformer-xl-base", "transformer-xl-large"])
    func flopsPerTokenMatchTheLayerAccounting(_ name: String) throws {
        let c = try #require(TransformerXL.configs[name])
        let g = try #require(try TransformerXL.graph(named: name, batchSize: 4))
        let d = c.dModel, t = c.tgtLen + c.memLen
        // qkv_net runs over memory and segment: 3·d·hd per key position; o_net and FFN per token.
        let perTokenLayer = 2 * (3 * d * d * t / c.tgtLen + d * d + 2 * d * c.inner) + 6 * t * d
        let head = 2 * 20000 * (c.divVal == 1 ? d : d) + (c.divVal == 1 ? 0 : 2 * d * d)
        let expected = Double(c.layers * perTokenLayer + head)
        let perToken = Double(g.cost(mode: .infer).flops) / Double(4 * c.tgtLen)
        #expect(perToken / expected > 1.0 && perToken / expected < 1.2, "\(name): \(perToken / expected)")
    }

    @Test func scalesWithBatchAndSequence() throws {
        let f = { (g: ModelGraph) in Double(g.cost(mode: .infer).flops) }
        let one = try #require(try TransformerXL.graph(named: "transformer-xl-base", batchSize: 1))
        let two = try #require(try TransformerXL.graph(named: "transformer-xl-base", batchSize: 2))
        let eight = try #require(try TransformerXL.graph(named: "transformer-xl-base", batchSize: 8))
        // Linear in the batch; r_net over the relative positions is per segment, not per stream.
        #expect(abs((f(eight) - f(one)) / (f(two) - f(one)) - 7) < 0.01)
        #expect(f(eight) / f(one) > 7 && f(eight) / f(one) < 8)
        let long = try #require(try TransformerXL.graph(named: "transformer-xl-base", batchSize: 1, sequence: 384))
        #expect(f(long) / f(one) > 1.9)
        let c = TransformerXL.configs["transformer-xl-base"]!
        let noMemory = try TransformerXL.graph(c, batchSize: 1, memory: 0)
        #expect(f(noMemory) < f(one))
        #expect(noMemory.parameterCount == one.parameterCount)
    }

    @Test func rejectsBadSizes() throws {
        #expect(throws: ModelGraphError.self) { try TransformerXL.graph(named: "transformer-xl-base", batchSize: 0) }
        #expect(throws: ModelGraphError.self) { try TransformerXL.graph(named: "transformer-xl-large", sequence: 0) }
        let c = TransformerXL.configs["transformer-xl-base"]!
        #expect(throws: ModelGraphError.self) { try TransformerXL.graph(c, memory: -1) }
        var bad = c
        bad.cutoffs = [300_000]
        #expect(throws: ModelGraphError.self) { try TransformerXL.graph(bad) }
        #expect(try TransformerXL.graph(named: "transformer-xl") == nil)
    }
}
