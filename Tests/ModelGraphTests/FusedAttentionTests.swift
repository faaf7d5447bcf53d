import Foundation
import Testing
@testable import ModelGraph

/// Fused kernels (``ModelGraph/fusedAttribute``) and the decoders' FlashAttention
/// (``DecoderLM/Config/flashAttention``): internal tensors move no bytes and are not kept for
/// backward; FLOPs and parameters do not change.
@Suite struct FusedAttentionTests {
    /// x → Exp → Relu → Neg with Exp and Relu fused: Exp's result never leaves the kernel;
    /// Relu's does (Neg reads it), so it is written once.
    @Test func internalTensorsMoveNoBytes() throws {
        func chain(fused: Bool) throws -> ModelGraph {
            var g = GraphBuilder(name: "chain")
            let x = g.addInput("x", shape: [1000])
            let start = g.nodeCount
            let e = g.add("Exp", name: "exp", inputs: [x])
            let r = g.add("Relu", name: "relu", inputs: [e])
            if fused { g.fuse(since: start, kernel: "test") }
            g.markOutput(g.add("Neg", name: "neg", inputs: [r]))
            return try g.build()
        }
        let plain = try chain(fused: false), fused = try chain(fused: true)
        #expect(fused.fusedInternalTensors.filter { $0 }.count == 1)
        #expect(plain.nodes.map(\.bytes) == [8000, 8000, 8000])
        #expect(fused.nodes.map(\.bytes) == [4000, 4000, 8000])
        #expect(fused.nodes.map(\.flops) == plain.nodes.map(\.flops))
        // Exp's and ReLU's outputs are kept for backward unfused; fused, only ReLU's.
        #expect(plain.savedActivationBytes() == 8000)
        #expect(fused.savedActivationBytes() == 4000)
        // The costs survive the JSON form.
        let back = try ModelGraph(json: fused.jsonData())
        #expect(back.nodes.map(\.bytes) == fused.nodes.map(\.bytes))
        #expect(back.savedActivationBytes() == fused.savedActivationBytes())
    }

    /// A fused group's output that is also a graph output is written, never internal.
    @Test func graphOutputsAreNeverInternal() throws {
        var g = GraphBuilder(name: "out")
        let x = g.addInput("x", shape: [10])
        let start = g.nodeCount
        let e = g.add("Exp", name: "exp", inputs: [x])
        g.fuse(since: start, kernel: "test")
        g.markOutput(e)
        let graph = try g.build()
        #expect(!graph.fusedInternalTensors.contains(true))
        #expect(graph.nodes[0].bytes == 80)
    }

    /// Llama 3.1 8B (rotary, grouped-query attention) and MPT-125M (learned positions) with and
    /// without FlashAttention: the `L×L` scores and probabilities are internal, so the
    /// iteration moves at least their bytes less and keeps at least the probabilities less; the
    /// FLOPs differ only by the causal mask's addition, the parameters not at all.
    @Test(arguments: ["llama31-8b", "mpt-125m"])
    func flashAttentionKeepsScoresOnChip(_ name: String) throws {
        var config = try #require(DecoderLM.configs[name] ?? MPT.config(named: name))
        let s = 512, b = 2
        let fused = try DecoderLM.graph(config, batchSize: b, sequence: s, name: name)
        config.flashAttention = false
        let plain = try DecoderLM.graph(config, batchSize: b, sequence: s, name: name)
        #expect(fused.parameterCount == plain.parameterCount)
        let scoreBytes = b * config.heads * s * s * 4
        let layers = config.layers
        let f = fused.cost(mode: .infer), p = plain.cost(mode: .infer)
        #expect(p.forwardFLOPs - f.forwardFLOPs == layers * b * config.heads * s * s, "the mask's additions")
        // Unfused, each layer writes and reads the scores, the scaled scores and the
        // probabilities (and reads the mask); fused, none of them.
        #expect(p.forwardBytes - f.forwardBytes >= layers * 6 * scoreBytes)
        let internalIDs = fused.fusedInternalTensors.indices.filter { fused.fusedInternalTensors[$0] }
        let perLayer = config.positions == .rotary ? 4 : 3  // (kᵀ,) scores, scaled scores, probabilities
        #expect(internalIDs.count == layers * perLayer)
        #expect(plain.savedActivationBytes() - fused.savedActivationBytes() >= layers * scoreBytes)
        // The second product reads V and writes the output: no probabilities.
        let av = try #require(fused.nodes.first { $0.name.hasSuffix(".av") })
        let v = fused.tensors[try #require(av.inputs[1])], o = fused.tensors[av.outputs[0]]
        #expect(av.bytes == v.byteCount + o.byteCount)
        #expect(fused.uncostedOperators().isEmpty)
    }
}
