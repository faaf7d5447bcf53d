/// GNMT v2 (Wu et al., "Google's Neural Machine Translation System: Bridging the Gap between
/// Human and Machine Translation", 2016) as NVIDIA DeepLearningExamples builds it
/// (PyTorch/Translation/GNMT, `seq2seq/models/gnmt.py`, the MLPerf Training reference), in
/// training form (teacher forcing), at any batch size and sequence length.
///
/// - Shared source/target vocabulary: 32,317 BPE tokens padded to a multiple of 8, 32,320;
///   one embedding table (1024) shared by encoder and decoder.
/// - Encoder: a bidirectional LSTM (1024 each way), an LSTM 2048 → 1024, and two LSTMs
///   1024 → 1024 with residual connections around them.
/// - Decoder: an LSTM 1024 → 1024 whose outputs query normalized Bahdanau attention
///   (query and key projections 1024 × 1024 without bias, score vector `v` 1024 scaled by
///   `g/‖v‖` with a learned scalar `g` and bias 1024: `vᵀ tanh(W_q q + W_k k + b)`), then
///   three LSTMs 2048 → 1024 fed `[h, context]` (residual around the last two) and a
///   classifier 1024 → 32,320.
///
/// All LSTMs carry PyTorch's two biases. Parameters: 160,671,297 — the count MLPerf's and
/// NVIDIA's GNMT report ("MLPerf GNMT has 160671297 parameters"). Dropout is a view and
/// the loss is not part of the graph. The attention is computed for all target steps at
/// once, as NVIDIA's implementation does (`[batch, target, source, 1024]` scores).
///
/// `size` is the sequence length of both the source and the target (50 by default: NVIDIA's
/// `--max-length-train` is 50).
public enum GNMT {
    /// The zoo's names.
    public static let names = ["gnmt"]

    /// The vocabulary (32,317 padded to 32,320).
    public static let vocabulary = 32_320

    /// The graph at `batchSize` for `sourceLength` source and `targetLength` target tokens.
    public static func graph(
        batchSize: Int = 1, sourceLength: Int = 50, targetLength: Int = 50, hidden: Int = 1024,
        vocabulary: Int = vocabulary, name: String = "gnmt"
    ) throws -> ModelGraph {
        try GraphBuilder.checkSize(batchSize, "batchSize", within: 1...1048576, source: name)
        guard sourceLength >= 1, sourceLength <= 4096, targetLength >= 1, targetLength <= 4096 else {
            throw ModelGraphError.invalidSpec(
                source: name, field: "sequenceLength", reason: "must be within 1...4096, got \(sourceLength) and \(targetLength)")
        }
        guard hidden >= 1, hidden <= 1 << 16, vocabulary >= 2, vocabulary <= 1 << 24 else {
            throw ModelGraphError.invalidSpec(source: name, field: "hidden", reason: "hidden must be within 1...65536 and vocabulary 2...16777216")
        }
        let (b, s, t, h) = (batchSize, sourceLength, targetLength, hidden)
        var g = GraphBuilder(name: name)
        let src = g.addInput("source", shape: [s, b], dtype: .int64)
        let tgt = g.addInput("target", shape: [t, b], dtype: .int64)
        let table = g.addParameter("embedder.weight", shape: [vocabulary, h])

        // Encoder.
        var x = g.add("Gather", name: "encoder.embedder", inputs: [table, src])
        x = g.lstm(x, seq: s, batch: b, input: h, hidden: h, bidirectional: true, name: "encoder.rnn_layers.0")
        x = g.lstm(x, seq: s, batch: b, input: 2 * h, hidden: h, name: "encoder.rnn_layers.1")
        for i in 2..<4 {
            let y = g.lstm(x, seq: s, batch: b, input: h, hidden: h, name: "encoder.rnn_layers.\(i)")
            x = g.add("Add", name: "encoder.residual.\(i)", inputs: [y, x])
        }
        let keys = x  // [s, b, h]

        // Decoder: attention LSTM and normalized Bahdanau attention over all steps.
        let e = g.add("Gather", name: "decoder.embedder", inputs: [table, tgt])
        let q = g.lstm(e, seq: t, batch: b, input: h, hidden: h, name: "decoder.att_rnn.rnn")
        let pq = g.linear(q, from: h, to: h, bias: false, name: "decoder.att_rnn.attn.linear_q")
        let pk = g.linear(keys, from: h, to: h, bias: false, name: "decoder.att_rnn.attn.linear_k")
        let qb = g.add("Transpose", name: "attn.q_perm", inputs: [pq], attributes: ["perm": .ints([1, 0, 2])])
        let kb = g.add("Transpose", name: "attn.k_perm", inputs: [pk], attributes: ["perm": .ints([1, 0, 2])])
        let q4 = g.reshape(qb, to: [b, t, 1, h], name: "attn.q_expand")
        let k4 = g.reshape(kb, to: [b, 1, s, h], name: "attn.k_expand")
        var sum = g.add("Add", name: "attn.sum", inputs: [q4, k4])
        let nb = g.addParameter("decoder.att_rnn.attn.normalize_bias", shape: [h])
        sum = g.add("Add", name: "attn.add_bias", inputs: [sum, nb])
        let act = g.add("Tanh", name: "attn.tanh", inputs: [sum])
        let v = g.addParameter("decoder.att_rnn.attn.linear_att", shape: [h])
        let scalar = g.addParameter("decoder.att_rnn.attn.normalize_scalar", shape: [1])
        let norm = g.add("ReduceL2", name: "attn.v_norm", inputs: [v], attributes: ["keepdims": .int(1)])
        var vn = g.add("Div", name: "attn.v_div", inputs: [v, norm])
        vn = g.add("Mul", name: "attn.v_scale", inputs: [vn, scalar])
        vn = g.reshape(vn, to: [h, 1], name: "attn.v_column")
        var scores = g.add("MatMul", name: "attn.score", inputs: [act, vn])
        scores = g.reshape(scores, to: [b, t, s], name: "attn.scores")
        let weights = g.add("Softmax", name: "attn.softmax", inputs: [scores], attributes: ["axis": .int(-1)])
        var context = g.add("MatMul", name: "attn.context", inputs: [weights, kb])  // [b, t, h]
        context = g.add("Transpose", name: "attn.context_perm", inputs: [context], attributes: ["perm": .ints([1, 0, 2])])

        // Decoder LSTMs fed [h, context].
        var y = q
        for i in 1..<4 {
            let input = g.add("Concat", name: "decoder.concat.\(i)", inputs: [y, context], attributes: ["axis": .int(2)])
            let out = g.lstm(input, seq: t, batch: b, input: 2 * h, hidden: h, name: "decoder.rnn_layers.\(i - 1)")
            y = i >= 2 ? g.add("Add", name: "decoder.residual.\(i)", inputs: [out, y]) : out
        }
        let logits = g.linear(y, from: h, to: vocabulary, bias: true, name: "decoder.classifier.classifier")
        g.markOutput(logits)
        return try g.build()
    }

    /// The graph by zoo name; `size` is the source and target length (50 when nil).
    public static func graph(named model: String, batchSize: Int = 1, size: Int? = nil) throws -> ModelGraph? {
        guard names.contains(model) else { return nil }
        return try graph(batchSize: batchSize, sourceLength: size ?? 50, targetLength: size ?? 50, name: model)
    }
}
