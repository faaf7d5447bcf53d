import Foundation

/// Transformer-XL (Dai, Yang, Yang, Carbonell, Le and Salakhutdinov, "Transformer-XL: Attentive
/// Language Models Beyond a Fixed-Length Context", ACL 2019) on WikiText-103 as NVIDIA
/// DeepLearningExamples trains it (`PyTorch/LanguageModeling/Transformer-XL/pytorch`:
/// `mem_transformer.py`, `utils/proj_adaptive_softmax.py`, `wt103_base.yaml`,
/// `wt103_large.yaml`): one training segment of `tgt_len` tokens attending over itself and
/// `mem_len` cached hidden states per layer (graph inputs `mems.L`).
///
/// Layers are post-norm with relative positional attention (`RelPartialLearnableMultiHeadAttn`):
/// a bias-free `qkv_net` over memory and segment, `r_net` over the sinusoidal embedding of the
/// `tgt_len + mem_len` relative positions, the learned global biases `r_w_bias`/`r_r_bias`,
/// the content (AC) and position (BD) score products, BD's relative shift (a Pad, Reshape and
/// Slice), a causal mask, `o_net`, residual Add and LayerNorm; then a ReLU FFN with biases,
/// residual Add and LayerNorm.
///
/// Vocabulary: 267,735 words, adaptive input embedding and adaptive softmax (Baevski and Auli
/// 2019; Grave et al. 2017) with cutoffs 19997, 39997, 199997 and tied weights. Base
/// (`div_val` 1, train.py's default): one 512-wide table, no projections. Large (`div_val` 4):
/// cluster widths 1024, 256, 64, 16, each with a projection to 1024, the softmax reusing the
/// embedding tables and the tail projections (`tie_projs` [false, true, true, true], so the
/// head has its own 1024×1024 projection).
///
/// Approximation: which tokens fall in which vocabulary cluster depends on the data; the graph
/// assumes Zipf's law with exponent 1 over the vocabulary ranks (the share of cluster
/// `[l, r)` is `(H_r − H_l)/H_V`, with `H` the harmonic numbers: 80% head, 5.3%, 12.3%, 2.3%),
/// so the tail embeddings and tail softmax products run on that many rows. The head softmax
/// runs on every token.
///
/// Sizes: base 16 layers, d_model 512, 8 heads of 64, d_inner 2048, tgt_len = mem_len = 192;
/// large 18 layers, d_model 1024, 16 heads of 64, d_inner 4096, tgt_len = mem_len = 256 (the
/// Lambda benchmark rows of the shared dataset; the current DLE `wt103_large.yaml` uses 384).
/// Parameters from DLE's modules: base 191,950,298, large 285,167,482 (the paper's 151 M base
/// is its own narrower d_model-410 model; its 257 M large counts fewer; tested against the sum
/// of DLE's parameter shapes).
public enum TransformerXL {
    /// A Transformer-XL configuration.
    public struct Config: Sendable, Hashable {
        public var layers: Int
        public var dModel: Int
        public var heads: Int
        public var headDim: Int
        public var inner: Int
        public var divVal: Int
        public var tgtLen: Int
        public var memLen: Int
        public var vocabulary: Int = 267_735
        public var cutoffs: [Int] = [19997, 39997, 199_997]
        public init(layers: Int, dModel: Int, heads: Int, headDim: Int, inner: Int, divVal: Int, tgtLen: Int, memLen: Int) {
            self.layers = layers
            self.dModel = dModel
            self.heads = heads
            self.headDim = headDim
            self.inner = inner
            self.divVal = divVal
            self.tgtLen = tgtLen
            self.memLen = memLen
        }
    }

    /// DeepLearningExamples' WikiText-103 configurations.
    public static let configs: [String: Config] = [
        "transformer-xl-base": Config(layers: 16, dModel: 512, heads: 8, headDim: 64, inner: 2048, divVal: 1, tgtLen: 192, memLen: 192),
        "transformer-xl-large": Config(layers: 18, dModel: 1024, heads: 16, headDim: 64, inner: 4096, divVal: 4, tgtLen: 256, memLen: 256),
    ]

    /// The zoo names.
    public static var names: [String] { configs.keys.sorted() }

    /// Share of the tokens in each vocabulary cluster under Zipf's law (exponent 1).
    public static func clusterShares(vocabulary: Int, cutoffs: [Int]) -> [Double] {
        func harmonic(_ n: Int) -> Double {
            n == 0 ? 0 : log(Double(n)) + 0.577_215_664_901_532_9 + 1 / (2 * Double(n))
        }
        let ends = [0] + cutoffs + [vocabulary]
        let total = harmonic(vocabulary)
        return (0..<(ends.count - 1)).map { (harmonic(ends[$0 + 1]) - harmonic(ends[$0])) / total }
    }

    /// The training-segment graph of `config` on `batchSize` streams of `sequence` (tgt_len)
    /// tokens with `memory` (mem_len) cached states; nil takes the configuration's.
    public static func graph(_ c: Config, batchSize: Int = 1, sequence: Int? = nil, memory: Int? = nil, name: String = "transformer-xl") throws -> ModelGraph {
        let s = sequence ?? c.tgtLen, m = memory ?? c.memLen, b = batchSize
        try GraphBuilder.checkSize(b, "batchSize", within: 1...(1 << 20), source: name)
        try GraphBuilder.checkSize(s, "sequence", within: 1...(1 << 16), source: name)
        try GraphBuilder.checkSize(m, "memory", within: 0...(1 << 16), source: name)
        let ends = [0] + c.cutoffs + [c.vocabulary]
        guard c.layers > 0, c.dModel > 0, c.heads > 0, c.headDim > 0, c.inner > 0, c.divVal > 0,
              zip(ends, ends.dropFirst()).allSatisfy({ $0 < $1 }),
              c.dModel / Int(pow(Double(c.divVal), Double(c.cutoffs.count))) > 0 else {
            throw ModelGraphError.invalidSpec(source: name, field: "config", reason: "sizes must be positive and cutoffs increasing below the vocabulary, with every cluster at least 1 wide")
        }
        let d = c.dModel, hd = c.heads * c.headDim, t = s + m, n = b * s
        let clusters = ends.count - 1
        let shares = clusterShares(vocabulary: c.vocabulary, cutoffs: c.cutoffs)
        var rows = shares.map { Int((Double(n) * $0).rounded()) }
        rows[0] = n - rows.dropFirst().reduce(0, +)
        let width = (0..<clusters).map { c.divVal == 1 ? d : d / Int(pow(Double(c.divVal), Double($0))) }

        var g = GraphBuilder(name: name)
        let ids = g.addInput("data", shape: [b, s], dtype: .int64)

        // Adaptive input embedding, scaled by √d_model.
        var tables: [Int] = [], projections: [Int] = []
        var h: Int
        if c.divVal == 1 {
            tables = [g.addParameter("word_emb.emb_layers.0.weight", shape: [c.vocabulary, d])]
            h = g.add("Gather", name: "word_emb", inputs: [tables[0], ids])
        } else {
            var pieces: [Int] = []
            for i in 0..<clusters {
                tables.append(g.addParameter("word_emb.emb_layers.\(i).weight", shape: [ends[i + 1] - ends[i], width[i]]))
                projections.append(g.addParameter("word_emb.emb_projs.\(i)", shape: [d, width[i]]))
                guard rows[i] > 0 else { continue }
                let tokens = g.addConstant("word_emb.tokens.\(i)", shape: [rows[i]], dtype: .int64)
                let e = g.add("Gather", name: "word_emb.emb_layers.\(i)", inputs: [tables[i], tokens])
                pieces.append(g.add("Gemm", name: "word_emb.proj.\(i)", inputs: [e, projections[i]], attributes: ["transB": .int(1)]))
            }
            let flat = pieces.count == 1 ? pieces[0] : g.add("Concat", name: "word_emb.index_copy", inputs: pieces, attributes: ["axis": .int(0)])
            h = g.reshape(flat, to: [b, s, d], name: "word_emb.view")
        }
        h = g.add("Mul", name: "word_emb.scale", inputs: [h, g.scalar(Double(d).squareRoot(), name: "word_emb.emb_scale")])

        let posEmb = g.addConstant("pos_emb", shape: [t, d], dtype: .float32)
        let mask = g.attentionMask(shape: [s, t], name: "dec_attn_mask")
        let rwBias = g.addParameter("r_w_bias", shape: [c.heads, c.headDim])
        let rrBias = g.addParameter("r_r_bias", shape: [c.heads, c.headDim])
        let scale = 1 / Double(c.headDim).squareRoot()

        for layer in 0..<c.layers {
            let p = "layers.\(layer)"
            let a = p + ".dec_attn"
            var cat = h
            if m > 0 {
                let mem = g.addInput("mems.\(layer)", shape: [b, m, d])
                cat = g.add("Concat", name: a + ".cat_mems", inputs: [mem, h], attributes: ["axis": .int(1)])
            }
            let wHeads = g.linear(cat, from: d, to: 3 * hd, bias: false, name: a + ".qkv_net")
            let rHeadK = g.linear(posEmb, from: d, to: hd, bias: false, name: a + ".r_net")
            let qkv = g.split(wHeads, parts: 3, axis: -1, name: a + ".chunk")
            var q = qkv[0]
            if m > 0 {
                q = g.add("Slice", name: a + ".q_last", inputs: [q], attributes: [
                    "starts": .ints([m]), "ends": .ints([t]), "axes": .ints([1]),
                ])
            }
            let q4 = g.reshape(q, to: [b, s, c.heads, c.headDim], name: a + ".q_view")
            let k4 = g.reshape(qkv[1], to: [b, t, c.heads, c.headDim], name: a + ".k_view")
            let v4 = g.reshape(qkv[2], to: [b, t, c.heads, c.headDim], name: a + ".v_view")
            let r3 = g.reshape(rHeadK, to: [t, c.heads, c.headDim], name: a + ".r_view")
            let rwq = g.add("Add", name: a + ".rw_head_q", inputs: [q4, rwBias])
            let rrq = g.add("Add", name: a + ".rr_head_q", inputs: [q4, rrBias])
            let ac = g.add("MatMul", name: a + ".AC", inputs: [
                g.transpose(rwq, [0, 2, 1, 3], name: a + ".rw_head_q.heads"),
                g.transpose(k4, [0, 2, 3, 1], name: a + ".k.heads"),
            ])
            var bd = g.add("MatMul", name: a + ".BD", inputs: [
                g.transpose(rrq, [0, 2, 1, 3], name: a + ".rr_head_q.heads"),
                g.transpose(r3, [1, 2, 0], name: a + ".r.heads"),
            ])
            // _rel_shift: zero-pad one column, view as [.., t+1, s], drop the first row, view back.
            bd = g.add("Pad", name: a + ".rel_shift.pad", inputs: [bd], attributes: ["pads": .ints([0, 0, 0, 1, 0, 0, 0, 0])])
            bd = g.reshape(bd, to: [b, c.heads, t + 1, s], name: a + ".rel_shift.view")
            bd = g.add("Slice", name: a + ".rel_shift.narrow", inputs: [bd], attributes: [
                "starts": .ints([1]), "ends": .ints([t + 1]), "axes": .ints([2]),
            ])
            bd = g.reshape(bd, to: [b, c.heads, s, t], name: a + ".rel_shift.view_as")
            var score = g.add("Add", name: a + ".AC_BD", inputs: [ac, bd])
            score = g.add("Mul", name: a + ".scale", inputs: [score, g.scalar(scale, name: a + ".scale_value")])
            let shape = GraphBuilder.AttentionShape(batch: b, queries: s, keys: t, heads: c.heads, kvHeads: c.heads, headDim: c.headDim)
            let vh = g.transpose(v4, [0, 2, 1, 3], name: a + ".v.heads")
            let context = g.attend(score, values: vh, bias: mask, shape, name: a)
            var out = g.linear(context, from: hd, to: d, bias: false, name: a + ".o_net")
            out = g.add("Add", name: a + ".residual", inputs: [h, out])
            out = g.layerNorm(out, width: d, name: a + ".layer_norm")
            var f = g.linear(out, from: d, to: c.inner, bias: true, name: p + ".pos_ff.CoreNet.0")
            f = g.add("Relu", name: p + ".pos_ff.CoreNet.1", inputs: [f])
            f = g.linear(f, from: c.inner, to: d, bias: true, name: p + ".pos_ff.CoreNet.3")
            f = g.add("Add", name: p + ".pos_ff.residual", inputs: [out, f])
            h = g.layerNorm(f, width: d, name: p + ".pos_ff.layer_norm")
        }

        // Projected adaptive log-softmax over the segment's tokens.
        let hidden = g.reshape(h, to: [n, d], name: "crit.hidden")
        let clusterWeight = g.addParameter("crit.cluster_weight", shape: [clusters - 1, width[0]])
        let clusterBias = g.addParameter("crit.cluster_bias", shape: [clusters - 1])
        var biases: [Int] = []
        if c.divVal == 1 {
            biases = [g.addParameter("crit.out_layers_biases.0", shape: [c.vocabulary])]
        } else {
            for i in 0..<clusters { biases.append(g.addParameter("crit.out_layers_biases.\(i)", shape: [ends[i + 1] - ends[i]])) }
        }
        /// Weight and bias rows of cluster `i` (a row selection of the shared table for div_val 1).
        func clusterWeights(_ g: inout GraphBuilder, _ i: Int) -> (weight: Int, bias: Int) {
            guard c.divVal == 1 else { return (tables[i], biases[i]) }
            let count = ends[i + 1] - ends[i]
            let index = g.addConstant("crit.rows.\(i)", shape: [count], dtype: .int64)
            return (g.add("Gather", name: "crit.weight.\(i)", inputs: [tables[0], index]),
                    g.add("Gather", name: "crit.bias.\(i)", inputs: [biases[0], index]))
        }
        var headInput = hidden
        if c.divVal != 1 {
            let headProjection = g.addParameter("crit.out_projs.0", shape: [d, width[0]])
            headInput = g.add("MatMul", name: "crit.head_proj", inputs: [hidden, headProjection])
        }
        let (w0, b0) = clusterWeights(&g, 0)
        let headWeight = g.add("Concat", name: "crit.head_weight", inputs: [w0, clusterWeight], attributes: ["axis": .int(0)])
        let headBias = g.add("Concat", name: "crit.head_bias", inputs: [b0, clusterBias], attributes: ["axis": .int(0)])
        let headLogit = g.add("Gemm", name: "crit.head_logit", inputs: [headInput, headWeight, headBias], attributes: ["transB": .int(1)])
        g.markOutput(g.add("LogSoftmax", name: "crit.head_logprob", inputs: [headLogit], attributes: ["axis": .int(-1)]))
        for i in 1..<clusters where rows[i] > 0 {
            let index = g.addConstant("crit.tokens.\(i)", shape: [rows[i]], dtype: .int64)
            var x = g.add("Gather", name: "crit.hidden.\(i)", inputs: [hidden, index], attributes: ["axis": .int(0)])
            if c.divVal != 1 { x = g.add("MatMul", name: "crit.proj.\(i)", inputs: [x, projections[i]]) }
            let (w, bias) = clusterWeights(&g, i)
            let logit = g.add("Gemm", name: "crit.tail_logit.\(i)", inputs: [x, w, bias], attributes: ["transB": .int(1)])
            g.markOutput(g.add("LogSoftmax", name: "crit.tail_logprob.\(i)", inputs: [logit], attributes: ["axis": .int(-1)]))
        }
        return try g.build()
    }

    /// The graph of a zoo Transformer-XL by name, or nil for another name. `sequence` is
    /// tgt_len (default the configuration's); mem_len stays the configuration's.
    public static func graph(named model: String, batchSize: Int = 1, sequence: Int? = nil) throws -> ModelGraph? {
        guard let config = configs[model] else { return nil }
        return try graph(config, batchSize: batchSize, sequence: sequence, name: model)
    }
}
