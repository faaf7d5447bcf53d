/// Decoder-only (GPT-style) language models: a generic pre-norm causal transformer and the
/// large models that MLPerf Training measures.
///
/// - `gpt3-175b`: GPT-3 (Brown et al., "Language Models are Few-Shot Learners", NeurIPS 2020,
///   Table 2.1: 96 layers, d_model 12288, 96 heads of 128, context 2048; the GPT-2 byte-pair
///   vocabulary of 50257 tokens, learned positions, LayerNorm and GELU with biases, tied
///   embeddings). 174,604,259,328 parameters (the "175B" of the paper; Narayanan et al. 2021
///   use the same 174.6 B; tested).
/// - `llama2-70b`: Llama 2 (Touvron et al. 2023, "Llama 2: Open Foundation and Fine-Tuned Chat
///   Models"; the model card's `config.json`: 80 layers, hidden 8192, 64 heads, 8 key/value
///   heads (GQA), SwiGLU FFN 28672, RMSNorm, rotary positions, vocabulary 32000, untied
///   output, 4096 context). 68,976,648,192 parameters (tested).
/// - `llama31-8b`: Llama 3.1 (Grattafiori et al. 2024, "The Llama 3 Herd of Models", Table 3;
///   `config.json`: 32 layers, hidden 4096, 32 heads, 8 key/value heads, FFN 14336, vocabulary
///   128256, untied output). 8,030,261,248 parameters (tested). Default sequence 8192, the
///   MLPerf Training llama31_8b benchmark's.
///
/// The graph is the forward pass to the logits (no loss); attention is dense (every score of
/// the causal mask computed), so attention FLOPs are 4·L·S²·d per sequence. With
/// ``Config/flashAttention`` (the default: Megatron/NeMo for MLPerf's GPT-3 and Llama 3.1,
/// llm-foundry for MPT, and PyTorch's `scaled_dot_product_attention` all run fused attention
/// kernels on GPUs) the scores, the causal mask and the probabilities are internal to one fused
/// kernel (``ModelGraph/fusedAttribute``): they move no bytes and are not kept for backward,
/// and the causal mask is the kernel's flag, not a tensor. The MLPerf LoRA benchmark fine-tunes `llama2-70b` at sequence 8192 with only the
/// adapters trained; this graph is the full model (pass the sequence explicitly).
public enum DecoderLM {
    /// How positions enter the model.
    public enum Positions: Sendable, Hashable {
        /// A learned table of `rows` positions (nil: one row per position of the sequence
        /// built, as llm-foundry sizes `wpe` by `max_seq_len`).
        case learned(rows: Int?)
        /// Rotary embeddings on queries and keys (no parameters).
        case rotary
    }

    /// A decoder configuration.
    public struct Config: Sendable, Hashable {
        public var layers: Int
        public var dModel: Int
        public var heads: Int
        public var kvHeads: Int
        public var ffn: Int
        public var vocabulary: Int
        public var positions: Positions
        /// RMSNorm and SwiGLU (Llama) instead of LayerNorm and GELU (GPT, MPT).
        public var llamaStyle: Bool
        /// Biases on the projections and layer norms.
        public var bias: Bool
        /// The output projection is the token embedding (weight tying).
        public var tiedEmbeddings: Bool
        /// Q, K and V from one fused projection (`Wqkv`, MPT) rather than three.
        public var fusedQKV: Bool
        public var defaultSequence: Int
        /// Attention as one fused kernel (FlashAttention, Dao et al. 2022): see ``DecoderLM``.
        public var flashAttention: Bool = true

        public init(layers: Int, dModel: Int, heads: Int, kvHeads: Int? = nil, ffn: Int, vocabulary: Int,
                    positions: Positions, llamaStyle: Bool, bias: Bool, tiedEmbeddings: Bool,
                    fusedQKV: Bool = false, defaultSequence: Int) {
            self.layers = layers
            self.dModel = dModel
            self.heads = heads
            self.kvHeads = kvHeads ?? heads
            self.ffn = ffn
            self.vocabulary = vocabulary
            self.positions = positions
            self.llamaStyle = llamaStyle
            self.bias = bias
            self.tiedEmbeddings = tiedEmbeddings
            self.fusedQKV = fusedQKV
            self.defaultSequence = defaultSequence
        }

        public var headDim: Int { dModel / heads }
    }

    /// The MLPerf large language models (see the type's documentation for sources).
    public static let configs: [String: Config] = [
        "gpt3-175b": Config(layers: 96, dModel: 12288, heads: 96, ffn: 4 * 12288, vocabulary: 50257,
                            positions: .learned(rows: 2048), llamaStyle: false, bias: true,
                            tiedEmbeddings: true, defaultSequence: 2048),
        "llama2-70b": Config(layers: 80, dModel: 8192, heads: 64, kvHeads: 8, ffn: 28672, vocabulary: 32000,
                             positions: .rotary, llamaStyle: true, bias: false, tiedEmbeddings: false,
                             defaultSequence: 4096),
        "llama31-8b": Config(layers: 32, dModel: 4096, heads: 32, kvHeads: 8, ffn: 14336, vocabulary: 128256,
                             positions: .rotary, llamaStyle: true, bias: false, tiedEmbeddings: false,
                             defaultSequence: 8192),
    ]

    /// The zoo names.
    public static var names: [String] { configs.keys.sorted() }

    /// The forward graph of `config` on `batchSize` sequences of `sequence` tokens.
    public static func graph(_ c: Config, batchSize: Int = 1, sequence: Int? = nil, name: String = "decoder") throws -> ModelGraph {
        let s = sequence ?? c.defaultSequence, b = batchSize
        try GraphBuilder.checkSize(b, "batchSize", within: 1...(1 << 20), source: name)
        var maxSequence = 1 << 20
        if case .learned(let rows?) = c.positions { maxSequence = rows }
        try GraphBuilder.checkSize(s, "sequence", within: 1...maxSequence, source: name)
        guard c.layers > 0, c.dModel > 0, c.heads > 0, c.kvHeads > 0, c.dModel % c.heads == 0,
              c.heads % c.kvHeads == 0, c.ffn > 0, c.vocabulary > 0,
              c.positions != .rotary || c.headDim % 2 == 0 else {
            throw ModelGraphError.invalidSpec(source: name, field: "config", reason: "sizes must be positive, d_model divisible by heads, heads by key/value heads (and the head size even for rotary positions)")
        }
        let d = c.dModel, dh = c.headDim
        let llama = c.llamaStyle
        var g = GraphBuilder(name: name)
        let ids = g.addInput("input_ids", shape: [b, s], dtype: .int64)
        let wte = g.addParameter(llama ? "model.embed_tokens.weight" : "transformer.wte.weight", shape: [c.vocabulary, d])
        var h = g.add("Gather", name: llama ? "model.embed_tokens" : "transformer.wte", inputs: [wte, ids])
        if case .learned(let rows) = c.positions {
            let wpe = g.addParameter("transformer.wpe.weight", shape: [rows ?? s, d])
            let positions = g.addConstant("position_ids", shape: [1, s], dtype: .int64)
            let p = g.add("Gather", name: "transformer.wpe", inputs: [wpe, positions])
            h = g.add("Add", name: "transformer.embed_add", inputs: [h, p])
        }
        let flash = c.flashAttention
        let mask: Int? = flash ? nil : g.attentionMask(shape: [s, s], name: "causal_mask")
        let shape = GraphBuilder.AttentionShape(batch: b, queries: s, keys: s, heads: c.heads, kvHeads: c.kvHeads, headDim: dh)
        func norm(_ g: inout GraphBuilder, _ x: Int, _ label: String) -> Int {
            llama ? g.rmsNorm(x, width: d, name: label) : g.layerNorm(x, width: d, bias: c.bias, name: label)
        }
        for layer in 0..<c.layers {
            let p = llama ? "model.layers.\(layer)" : "transformer.blocks.\(layer)"
            let a = norm(&g, h, p + (llama ? ".input_layernorm" : ".norm_1"))
            let attn = p + (llama ? ".self_attn" : ".attn")
            let q: Int, k: Int, v: Int
            if c.fusedQKV {
                let qkv = g.linear(a, from: d, to: (c.heads + 2 * c.kvHeads) * dh, bias: c.bias, name: attn + ".Wqkv")
                let parts = g.split(qkv, sizes: [c.heads * dh, c.kvHeads * dh, c.kvHeads * dh], name: attn + ".qkv_split")
                (q, k, v) = (parts[0], parts[1], parts[2])
            } else {
                q = g.linear(a, from: d, to: c.heads * dh, bias: c.bias, name: attn + ".q_proj")
                k = g.linear(a, from: d, to: c.kvHeads * dh, bias: c.bias, name: attn + ".k_proj")
                v = g.linear(a, from: d, to: c.kvHeads * dh, bias: c.bias, name: attn + ".v_proj")
            }
            let context: Int
            if c.positions == .rotary {
                var qh = g.splitHeads(q, shape, length: s, isQuery: true, transposeForKeys: false, name: attn + ".q")
                var kh = g.splitHeads(k, shape, length: s, isQuery: false, transposeForKeys: false, name: attn + ".k")
                let vh = g.splitHeads(v, shape, length: s, isQuery: false, transposeForKeys: false, name: attn + ".v")
                qh = g.rotary(qh, length: s, headDim: dh, name: attn + ".q_rotary")
                kh = g.rotary(kh, length: s, headDim: dh, name: attn + ".k_rotary")
                let kernel = g.nodeCount
                let rank = c.kvHeads == c.heads ? 4 : 5
                let kT = g.transpose(kh, Array(0..<(rank - 2)) + [rank - 1, rank - 2], name: attn + ".k_transpose")
                let scores = g.attentionScores(qh, kT, headDim: dh, name: attn)
                context = g.attend(scores, values: vh, bias: mask, shape, fusedFrom: flash ? kernel : nil, name: attn)
            } else {
                context = g.attention(q: q, k: k, v: v, shape, bias: mask, fused: flash, name: attn)
            }
            let o = g.linear(context, from: c.heads * dh, to: d, bias: c.bias, name: attn + (llama ? ".o_proj" : ".out_proj"))
            h = g.add("Add", name: p + ".attn_residual", inputs: [h, o])
            let x = norm(&g, h, p + (llama ? ".post_attention_layernorm" : ".norm_2"))
            let f: Int
            if llama {
                let gate = g.linear(x, from: d, to: c.ffn, bias: c.bias, name: p + ".mlp.gate_proj")
                let up = g.linear(x, from: d, to: c.ffn, bias: c.bias, name: p + ".mlp.up_proj")
                let act = g.add("Silu", name: p + ".mlp.act", inputs: [gate])
                let gated = g.add("Mul", name: p + ".mlp.gate_mul", inputs: [act, up])
                f = g.linear(gated, from: c.ffn, to: d, bias: c.bias, name: p + ".mlp.down_proj")
            } else {
                let up = g.linear(x, from: d, to: c.ffn, bias: c.bias, name: p + ".ffn.up_proj")
                let act = g.add("Gelu", name: p + ".ffn.act", inputs: [up])
                f = g.linear(act, from: c.ffn, to: d, bias: c.bias, name: p + ".ffn.down_proj")
            }
            h = g.add("Add", name: p + ".ffn_residual", inputs: [h, f])
        }
        h = norm(&g, h, llama ? "model.norm" : "transformer.norm_f")
        let flat = g.reshape(h, to: [b * s, d], name: "lm_head.flatten")
        let head = c.tiedEmbeddings ? wte : g.addParameter("lm_head.weight", shape: [c.vocabulary, d])
        let logits = g.add("Gemm", name: "lm_head", inputs: [flat, head], attributes: ["transB": .int(1)])
        g.markOutput(g.reshape(logits, to: [b, s, c.vocabulary], name: "logits"))
        return try g.build()
    }

    /// The graph of a zoo decoder by name (`gpt3-175b`, `llama2-70b`, `llama31-8b`), or nil
    /// for another name; `sequence` defaults to the model's (2048, 4096, 8192).
    public static func graph(named model: String, batchSize: Int = 1, sequence: Int? = nil) throws -> ModelGraph? {
        guard let config = configs[model] else { return nil }
        return try graph(config, batchSize: batchSize, sequence: sequence, name: model)
    }
}
