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

/// ``ModelGraph/fusingAttention()``: finding unfused attention by its pattern.
@Suite struct AttentionPatternTests {
    /// BERT-base as DeepLearningExamples runs it (unfused): one kernel per layer, each with the
    /// scores' product, scale, mask, softmax and the values' product; FLOPs and parameters kept.
    @Test func findsEveryLayerOfBERT() throws {
        let g = try #require(try BERT.graph(named: "bert-base", batchSize: 2, sequence: 128))
        let fused = g.fusingAttention()
        #expect(fused.fusedKernelCount - g.fusedKernelCount == 12)
        #expect(fused.fusedKernelCount == 12)
        #expect(fused.cost(mode: .train).flops == g.cost(mode: .train).flops)
        #expect(fused.parameterCount == g.parameterCount)
        #expect(fused.cost(mode: .infer).forwardBytes < g.cost(mode: .infer).forwardBytes)
        #expect(fused.savedActivationBytes() < g.savedActivationBytes())
        let types = fused.nodes.filter { $0.attributes[ModelGraph.fusedAttribute] != nil }.map(\.type)
        #expect(types.filter { $0 == "Softmax" }.count == 12)
        #expect(types.filter { $0 == "MatMul" }.count == 24)
        // Fusing again finds nothing; a decoder is fused by its builder already.
        #expect(fused.fusingAttention().fusedKernelCount == fused.fusedKernelCount)
        let llama = try #require(try DecoderLM.graph(named: "llama31-8b", batchSize: 1, sequence: 64))
        #expect(llama.fusingAttention().fusedKernelCount == llama.fusedKernelCount)
        #expect(llama.fusedKernelCount == 32)
    }

    /// torchvision's ViT-B/16 as exported (PyTorch 1.13 spells attention out): the zoo name loads
    /// it fused, twelve kernels; the file itself loads unfused.
    @Test func zooViTLoadsFused() throws {
        let file = try ONNXImporter.load(path: GraphSource.zooDirectory + "/vit_b_16.onnx", batchSize: 2)
        #expect(file.fusedKernelCount == 0)
        let zoo = try GraphSource.load("vit_b_16", batchSize: 2)
        #expect(zoo.fusedKernelCount == 12)
        #expect(zoo.cost(mode: .train).flops == file.cost(mode: .train).flops)
        #expect(zoo.cost(mode: .train).forwardBytes < file.cost(mode: .train).forwardBytes)
        // Swin computes windowed attention by hand: not in the fused zoo.
        #expect(!GraphSource.fusedAttentionZoo.contains("swin_b"))
    }

    /// Attention whose probabilities are also a graph output (returned weights) is left alone.
    @Test func returnedProbabilitiesAreNotFused() throws {
        var g = GraphBuilder(name: "weights")
        let q = g.addInput("q", shape: [1, 4, 8])
        let k = g.addInput("kT", shape: [1, 8, 4])
        let v = g.addInput("v", shape: [1, 4, 8])
        let scores = g.add("MatMul", name: "qk", inputs: [q, k])
        let p = g.add("Softmax", name: "softmax", inputs: [scores], attributes: ["axis": .int(-1)])
        g.markOutput(g.add("MatMul", name: "av", inputs: [p, v]))
        g.markOutput(p)
        let graph = try g.build()
        #expect(graph.fusingAttention().fusedKernelCount == 0)
        // Without the returned weights it is one kernel: scores and probabilities internal.
        var h = GraphBuilder(name: "plain")
        let q2 = h.addInput("q", shape: [1, 4, 8]), k2 = h.addInput("kT", shape: [1, 8, 4]), v2 = h.addInput("v", shape: [1, 4, 8])
        let s2 = h.add("MatMul", name: "qk", inputs: [q2, k2])
        let p2 = h.add("Softmax", name: "softmax", inputs: [s2], attributes: ["axis": .int(-1)])
        h.markOutput(h.add("MatMul", name: "av", inputs: [p2, v2]))
        let fused = try h.build().fusingAttention()
        #expect(fused.fusedKernelCount == 1)
        #expect(fused.fusedInternalTensors.filter { $0 }.count == 2)
        #expect(fused.nodes.map(\.bytes) == [2 * 32 * 4, 0, 2 * 32 * 4])  // reads Q, Kᵀ; nothing; reads V, writes the output
    }
}
