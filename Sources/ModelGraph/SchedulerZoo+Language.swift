/// Language jobs: Gavel's translation Transformer and word-level LSTM language model (both
/// also Lucid workloads), and Lucid's BERT-base question answering.
extension SchedulerZoo {
    /// Multi-head attention of `query` (`[batch, lq, d]`) over `memory` (`[batch, lk, d]`):
    /// projections with bias, scaled dot products per head, softmax, the weighted sum and
    /// the output projection (returned, before any residual).
    static func attention(
        _ n: inout ZooNet, query: Int, memory: Int, batch: Int, lq: Int, lk: Int, d: Int, heads: Int,
        names: (q: String, k: String, v: String, out: String), name: String
    ) -> Int {
        let dh = d / heads
        func split(_ n: inout ZooNet, _ x: Int, _ len: Int, _ perm: [Int], _ tag: String) -> Int {
            let r = n.reshape(x, [batch, len, heads, dh], name: name + "." + tag + ".split")
            return n.op("Transpose", [r], ["perm": .ints(perm)], name: name + "." + tag + ".heads")
        }
        let pq = n.dense(query, d, d, name: names.q)
        let pk = n.dense(memory, d, d, name: names.k)
        let pv = n.dense(memory, d, d, name: names.v)
        let q = split(&n, pq, lq, [0, 2, 1, 3], "q")
        let k = split(&n, pk, lk, [0, 2, 3, 1], "k")
        let v = split(&n, pv, lk, [0, 2, 1, 3], "v")
        var s = n.op("MatMul", [q, k], name: name + ".scores")
        let scale = n.constant("attention.scale.\(dh)", [1])
        s = n.op("Mul", [s, scale], name: name + ".scale")
        s = n.op("Softmax", [s], ["axis": .int(-1)], name: name + ".softmax")
        var c = n.op("MatMul", [s, v], name: name + ".context")
        c = n.op("Transpose", [c], ["perm": .ints([0, 2, 1, 3])], name: name + ".merge")
        c = n.reshape(c, [batch, lq, d], name: name + ".concat")
        return n.dense(c, d, d, name: names.out)
    }

    /// Layer normalization over the last dimension with a learned scale and bias.
    static func layerNorm(_ n: inout ZooNet, _ x: Int, _ d: Int, eps: Double, name: String) -> Int {
        n.op("LayerNormalization", [x, n.param(name + ".weight", [d]), n.param(name + ".bias", [d])],
             ["axis": .int(-1), "epsilon": .float(eps)], name: name)
    }

    /// `LayerNorm(x + y)` (post-norm residual).
    static func addNorm(_ n: inout ZooNet, _ x: Int, _ y: Int, _ d: Int, eps: Double, name: String) -> Int {
        layerNorm(&n, n.op("Add", [x, y], name: name + ".residual"), d, eps: eps, name: name)
    }

    /// Gavel's `transformer-multi30k` (job table "Transformer", `workloads/pytorch/translation`,
    /// jadore801120/attention-is-all-you-need-pytorch as Gavel vendors it, run with
    /// `-proj_share_weight` on `multi30k.atok.low.pt`): train.py's defaults d_model 512,
    /// d_inner 2048, 8 heads of d_k = d_v = 64, 6 encoder and 6 decoder post-norm layers
    /// (attention projections with bias; the feed-forward as two kernel-1 convolutions), fixed
    /// sinusoid position tables (constants), no shared source/target embedding, and the target
    /// embedding reused by the bias-free output projection (scaled by d_model^-1/2).
    ///
    /// Assumed: vocabularies of 2,911 source (English) and 3,149 target (German) words, recalled
    /// figures for jadore's `preprocess.py` on tokenized, lower-cased Multi30k (words seen more
    /// than 5 times, plus 4 specials); neither Gavel's nor Lucid's data file is public, so they
    /// are not verified, and the embeddings' share of the count moves with them. Parameters: 44,138,496 +
    /// 512·(source + target vocabulary) = 47,241,216 with those sizes. `size` is the padded
    /// source length (52 by default: `max_token_seq_len`, 50 words + BOS/EOS; 2...4096); the
    /// decoder reads `size − 1` target tokens, as the model drops the last one.
    ///
    /// Lucid's copy (`workloads/translation/profile_transformer.py`) builds the same model on
    /// the same data file but without `-proj_share_weight`: its projection is a separate
    /// bias-free 512 × target-vocabulary weight (+1,612,288 parameters, the same FLOPs), which
    /// `shareProjection: false` builds; the registered name follows Gavel.
    static func transformerMulti30k(
        batch: Int, size: Int?, sourceVocabulary: Int = 2911, targetVocabulary: Int = 3149, shareProjection: Bool = true
    ) throws -> ModelGraph {
        let name = "transformer-multi30k"
        let ls = try resolve(size, default: 52, range: 2...4096, field: "sequenceLength", model: name)
        let lt = ls - 1, d = 512, inner = 2048, heads = 8
        var n = ZooNet(name)
        let src = n.g.addInput("src_seq", shape: [batch, ls], dtype: .int64)
        let srcPos = n.g.addInput("src_pos", shape: [batch, ls], dtype: .int64)
        let tgt = n.g.addInput("tgt_seq", shape: [batch, lt], dtype: .int64)
        let tgtPos = n.g.addInput("tgt_pos", shape: [batch, lt], dtype: .int64)
        let srcTable = n.param("encoder.src_word_emb.weight", [sourceVocabulary, d])
        let tgtTable = n.param("decoder.tgt_word_emb.weight", [targetVocabulary, d])
        let posTable = n.constant("position_enc.weight", [ls + 1, d])

        func feedForward(_ n: inout ZooNet, _ x: Int, len: Int, name p: String) -> Int {
            var h = n.op("Transpose", [x], ["perm": .ints([0, 2, 1])], name: p + ".to_channels")
            h = n.act(n.conv1x1(h, d, inner, name: p + ".w_1"), "Relu", name: p + ".relu")
            h = n.conv1x1(h, inner, d, name: p + ".w_2")
            h = n.op("Transpose", [h], ["perm": .ints([0, 2, 1])], name: p + ".to_tokens")
            return addNorm(&n, x, h, d, eps: 1e-6, name: p + ".layer_norm")
        }
        func mha(_ n: inout ZooNet, _ q: Int, _ kv: Int, lq: Int, lk: Int, name p: String) -> Int {
            let y = attention(&n, query: q, memory: kv, batch: batch, lq: lq, lk: lk, d: d, heads: heads,
                              names: (p + ".w_qs", p + ".w_ks", p + ".w_vs", p + ".fc"), name: p)
            return addNorm(&n, q, y, d, eps: 1e-6, name: p + ".layer_norm")
        }

        var e = n.op("Gather", [srcTable, src], name: "encoder.src_word_emb")
        e = n.op("Add", [e, n.op("Gather", [posTable, srcPos], name: "encoder.position_enc")], name: "encoder.add_position")
        for i in 0..<6 {
            let p = "encoder.layer_stack.\(i)"
            e = mha(&n, e, e, lq: ls, lk: ls, name: p + ".slf_attn")
            e = feedForward(&n, e, len: ls, name: p + ".pos_ffn")
        }
        var y = n.op("Gather", [tgtTable, tgt], name: "decoder.tgt_word_emb")
        y = n.op("Add", [y, n.op("Gather", [posTable, tgtPos], name: "decoder.position_enc")], name: "decoder.add_position")
        for i in 0..<6 {
            let p = "decoder.layer_stack.\(i)"
            y = mha(&n, y, y, lq: lt, lk: lt, name: p + ".slf_attn")
            y = mha(&n, y, e, lq: lt, lk: ls, name: p + ".enc_attn")
            y = feedForward(&n, y, len: lt, name: p + ".pos_ffn")
        }
        y = n.reshape(y, [batch * lt, d], name: "tgt_word_prj.flatten")
        let projection = shareProjection ? tgtTable : n.param("tgt_word_prj.weight", [targetVocabulary, d])
        var logits = n.op("Gemm", [y, projection], ["transB": .int(1)], name: "tgt_word_prj")
        if shareProjection { logits = n.op("Mul", [logits, n.constant("x_logit_scale", [1])], name: "x_logit_scale") }
        return try n.build(outputs: [logits])
    }

    /// Gavel's `lstm-wikitext2` (job table "LM", `workloads/pytorch/language_modeling`, the
    /// PyTorch word_language_model example run with its defaults; Lucid's
    /// `workloads/lstm/profile_lstm.py` has the same defaults): embedding 33,278 × 200
    /// (WikiText-2's vocabulary), a 2-layer LSTM of 200 units, a 200 → 33,278 decoder, untied.
    /// 13,987,678 parameters (6,655,600 + 2 × 321,600 + 6,688,878). `size` is bptt (35;
    /// 1...4096).
    static func lstmWikiText2(batch: Int, size: Int?) throws -> ModelGraph {
        let name = "lstm-wikitext2"
        let t = try resolve(size, default: 35, range: 1...4096, field: "sequenceLength", model: name)
        let vocabulary = 33_278, hidden = 200
        var n = ZooNet(name)
        let tokens = n.g.addInput("input", shape: [t, batch], dtype: .int64)
        var h = n.op("Gather", [n.param("encoder.weight", [vocabulary, hidden]), tokens], name: "encoder")
        for layer in 0..<2 {
            h = n.g.lstm(h, seq: t, batch: batch, input: hidden, hidden: hidden, name: "rnn.l\(layer)")
        }
        return try n.build(outputs: [n.dense(h, hidden, vocabulary, name: "decoder")])
    }

    /// Lucid's `bert-squad`: BERT-base (Devlin et al., NAACL 2019) with a span head, as Lucid's
    /// `workloads/bert/profile_bert.py` loads it (Hugging Face `AutoModelForQuestionAnswering`
    /// from `bert-base-uncased`, SQuAD v1.1, `max_seq_length` 384): 30,522
    /// WordPieces, 512 positions, 2 token types, 12 post-norm layers of 768 with 12 heads and
    /// a GELU feed-forward of 3072, no pooler, `qa_outputs` 768 → 2. 108,893,186 parameters.
    /// The attention mask is left out (it adds one broadcast `Add` per layer). `size` is the
    /// sequence length (384; 1...512).
    static func bertSQuAD(batch: Int, size: Int?) throws -> ModelGraph {
        let name = "bert-squad"
        let l = try resolve(size, default: 384, range: 1...512, field: "sequenceLength", model: name)
        let d = 768, heads = 12, inner = 3072
        var n = ZooNet(name)
        let ids = n.g.addInput("input_ids", shape: [batch, l], dtype: .int64)
        let types = n.g.addInput("token_type_ids", shape: [batch, l], dtype: .int64)
        let positions = n.g.addConstant("position_ids", shape: [1, l], dtype: .int64)
        let p = "bert.embeddings"
        var h = n.op("Gather", [n.param(p + ".word_embeddings.weight", [30_522, d]), ids], name: p + ".word_embeddings")
        let t = n.op("Gather", [n.param(p + ".token_type_embeddings.weight", [2, d]), types], name: p + ".token_type_embeddings")
        let pos = n.op("Gather", [n.param(p + ".position_embeddings.weight", [512, d]), positions], name: p + ".position_embeddings")
        h = n.op("Add", [n.op("Add", [h, t], name: p + ".add_types"), pos], name: p + ".add_positions")
        h = layerNorm(&n, h, d, eps: 1e-12, name: p + ".LayerNorm")
        for i in 0..<12 {
            let q = "bert.encoder.layer.\(i)"
            let a = attention(&n, query: h, memory: h, batch: batch, lq: l, lk: l, d: d, heads: heads,
                              names: (q + ".attention.self.query", q + ".attention.self.key", q + ".attention.self.value", q + ".attention.output.dense"),
                              name: q + ".attention")
            h = addNorm(&n, h, a, d, eps: 1e-12, name: q + ".attention.output.LayerNorm")
            var f = n.act(n.dense(h, d, inner, name: q + ".intermediate.dense"), "Gelu", name: q + ".intermediate.gelu")
            f = n.dense(f, inner, d, name: q + ".output.dense")
            h = addNorm(&n, h, f, d, eps: 1e-12, name: q + ".output.LayerNorm")
        }
        return try n.build(outputs: [n.dense(h, d, 2, name: "qa_outputs")])
    }
}
