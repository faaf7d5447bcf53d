/// Tacotron 2 (Shen et al., "Natural TTS Synthesis by Conditioning WaveNet on Mel
/// Spectrogram Predictions", ICASSP 2018) as NVIDIA DeepLearningExamples builds it
/// (PyTorch/SpeechSynthesis/Tacotron2, `tacotron2/model.py` and its default arguments), in
/// training form (teacher-forced decoder), at any batch size, text length and mel length.
///
/// - Encoder: 148 symbols embedded in 512; three Conv1d 512 → 512, kernel 5 (with bias),
///   batch norm and ReLU; a bidirectional LSTM 512 → 256 each way.
/// - Decoder, per mel frame (unrolled: one set of operators per frame, as the model runs):
///   the prenet (Linear 80 → 256 → 256, no bias, ReLU; applied to all frames at once as
///   NVIDIA does), the attention LSTM cell `[prenet, context]` 768 → 1024, location-sensitive
///   attention (query 1024 → 128, memory 512 → 128 precomputed once, location Conv1d 2 → 32
///   kernel 31 on the previous and cumulative weights, then 32 → 128, energies
///   `vᵀ tanh(·)` with `v` 128, softmax over the text, context = weighted memory), the
///   decoder LSTM cell `[h_att, context]` 1536 → 1024, and the mel projection 1536 → 80 and
///   gate 1536 → 1 (with bias).
/// - Postnet: five Conv1d kernel 5 (80 → 512, three 512 → 512, 512 → 80; with bias) with
///   batch norm, tanh on all but the last, added to the decoder's mel output.
///
/// Parameters: 28,193,153 (exact for this layer list with PyTorch's two LSTM biases;
/// NVIDIA quotes 28.2 M; dropout and the loss are not part of the graph). The LSTM cells are
/// ONNX `LSTM` operators of one step carrying their states.
///
/// Sizes: `size` sets the number of mel frames (800 when nil, ≈ 9.3 s at NVIDIA's 256-sample
/// hop at 22,050 Hz, about the longest LJSpeech clips); the text length is 150 symbols
/// unless `textLength` says otherwise. Build time grows linearly with the frames.
public enum Tacotron2 {
    /// The zoo's names.
    public static let names = ["tacotron2"]

    /// The graph at `batchSize` for `textLength` symbols and `melFrames` decoder steps.
    public static func graph(
        batchSize: Int = 1, textLength: Int = 150, melFrames: Int = 800, symbols: Int = 148,
        name: String = "tacotron2"
    ) throws -> ModelGraph {
        try GraphBuilder.checkSize(batchSize, "batchSize", within: 1...1048576, source: name)
        try GraphBuilder.checkSize(textLength, "textLength", within: 1...4096, source: name)
        try GraphBuilder.checkSize(melFrames, "melFrames", within: 1...8192, source: name)
        try GraphBuilder.checkSize(symbols, "symbols", within: 1...1048576, source: name)
        let (b, l, t) = (batchSize, textLength, melFrames)
        let (emb, att, rnn, mels, loc) = (512, 128, 1024, 80, 32)
        var g = GraphBuilder(name: name)
        let text = g.addInput("text", shape: [b, l], dtype: .int64)
        let melsIn = g.addInput("mels", shape: [t, b, mels])

        // Encoder.
        let table = g.addParameter("embedding.weight", shape: [symbols, emb])
        var x = g.add("Gather", name: "embedding", inputs: [table, text])
        x = g.add("Transpose", name: "encoder.to_channels", inputs: [x], attributes: ["perm": .ints([0, 2, 1])])
        for i in 0..<3 {
            x = g.conv(x, from: emb, to: emb, kernel: [5], bias: true, name: "encoder.convolutions.\(i).0")
            x = g.batchNorm(x, channels: emb, name: "encoder.convolutions.\(i).1")
            x = g.add("Relu", name: "encoder.convolutions.\(i).relu", inputs: [x])
        }
        x = g.add("Transpose", name: "encoder.to_time", inputs: [x], attributes: ["perm": .ints([2, 0, 1])])
        let encoded = g.lstm(x, seq: l, batch: b, input: emb, hidden: emb / 2, bidirectional: true, name: "encoder.lstm")
        let memory = g.add("Transpose", name: "memory", inputs: [encoded], attributes: ["perm": .ints([1, 0, 2])])  // [b, l, 512]
        let processed = g.linear(memory, from: emb, to: att, bias: false, name: "decoder.attention_layer.memory_layer.linear_layer")

        // Prenet over all frames (the previous frame's target; a go frame first).
        var p = g.linear(melsIn, from: mels, to: 256, bias: false, name: "decoder.prenet.layers.0.linear_layer")
        p = g.add("Relu", name: "decoder.prenet.relu.0", inputs: [p])
        p = g.linear(p, from: 256, to: 256, bias: false, name: "decoder.prenet.layers.1.linear_layer")
        p = g.add("Relu", name: "decoder.prenet.relu.1", inputs: [p])
        let frames = t == 1 ? [p] : g.addNode("Split", name: "decoder.frames", inputs: [p], attributes: [
            "axis": .int(0), "split": .ints([Int](repeating: 1, count: t)),
        ], outputNames: (0..<t).map { "decoder.frames:\($0)" })

        // Shared decoder weights.
        func cell(_ prefix: String, input: Int) -> [Int] {
            [g.addParameter(prefix + ".weight_ih", shape: [1, 4 * rnn, input]),
             g.addParameter(prefix + ".weight_hh", shape: [1, 4 * rnn, rnn]),
             g.addParameter(prefix + ".bias", shape: [1, 8 * rnn])]
        }
        let attCell = cell("decoder.attention_rnn", input: 256 + emb)
        let decCell = cell("decoder.decoder_rnn", input: rnn + emb)
        let wq = g.addParameter("decoder.attention_layer.query_layer.linear_layer.weight", shape: [rnn, att])
        let wLocConv = g.addParameter("decoder.attention_layer.location_layer.location_conv.conv.weight", shape: [loc, 2, 31])
        let wLocDense = g.addParameter("decoder.attention_layer.location_layer.location_dense.linear_layer.weight", shape: [loc, att])
        let v = g.addParameter("decoder.attention_layer.v.linear_layer.weight", shape: [att, 1])
        let wProj = g.addParameter("decoder.linear_projection.linear_layer.weight", shape: [rnn + emb, mels])
        let bProj = g.addParameter("decoder.linear_projection.linear_layer.bias", shape: [mels])
        let wGate = g.addParameter("decoder.gate_layer.linear_layer.weight", shape: [rnn + emb, 1])
        let bGate = g.addParameter("decoder.gate_layer.linear_layer.bias", shape: [1])

        var context = g.addConstant("decoder.attention_context.init", shape: [1, b, emb], dtype: .float32)
        var weights = g.addConstant("decoder.attention_weights.init", shape: [b, 1, l], dtype: .float32)
        var cumulative = g.addConstant("decoder.attention_weights_cum.init", shape: [b, 1, l], dtype: .float32)
        var attState: (Int, Int)? = nil, decState: (Int, Int)? = nil
        var melFrames: [Int] = [], gates: [Int] = []
        for step in 0..<t {
            let s = "decoder.step\(step)"
            func lstmStep(_ x: Int, _ w: [Int], _ state: (Int, Int)?, _ label: String) -> (Int, Int) {
                let outs = g.addNode("LSTM", name: label, inputs: [x, w[0], w[1], w[2], nil, state?.0, state?.1],
                                     attributes: ["hidden_size": .int(rnn)],
                                     outputNames: [label + ":Y", label + ":Y_h", label + ":Y_c"])
                return (outs[1], outs[2])  // [1, b, rnn] each
            }
            let attIn = g.add("Concat", name: s + ".cell_input", inputs: [frames[step], context], attributes: ["axis": .int(2)])
            attState = lstmStep(attIn, attCell, attState, s + ".attention_rnn")
            let hAtt = attState!.0
            // Location-sensitive attention.
            let query = g.add("MatMul", name: s + ".query_layer", inputs: [g.reshape(hAtt, to: [b, 1, rnn], name: s + ".query_view"), wq])
            let cat = g.add("Concat", name: s + ".attention_weights_cat", inputs: [weights, cumulative], attributes: ["axis": .int(1)])
            var lc = g.add("Conv", name: s + ".location_conv", inputs: [cat, wLocConv], attributes: [
                "kernel_shape": .ints([31]), "strides": .ints([1]), "pads": .ints([15, 15]),
                "dilations": .ints([1]), "group": .int(1),
            ])
            lc = g.add("Transpose", name: s + ".location_perm", inputs: [lc], attributes: ["perm": .ints([0, 2, 1])])
            let ld = g.add("MatMul", name: s + ".location_dense", inputs: [lc, wLocDense])
            var e = g.add("Add", name: s + ".energy_sum", inputs: [query, ld])
            e = g.add("Add", name: s + ".energy_memory", inputs: [e, processed])
            e = g.add("Tanh", name: s + ".energy_tanh", inputs: [e])
            e = g.add("MatMul", name: s + ".v", inputs: [e, v])  // [b, l, 1]
            e = g.reshape(e, to: [b, 1, l], name: s + ".energies")
            weights = g.add("Softmax", name: s + ".attention_weights", inputs: [e], attributes: ["axis": .int(-1)])
            cumulative = g.add("Add", name: s + ".attention_weights_cum", inputs: [cumulative, weights])
            let ctx = g.add("MatMul", name: s + ".attention_context", inputs: [weights, memory])  // [b, 1, emb]
            context = g.add("Transpose", name: s + ".context_perm", inputs: [ctx], attributes: ["perm": .ints([1, 0, 2])])
            // Decoder cell and projections.
            let decIn = g.add("Concat", name: s + ".decoder_input", inputs: [hAtt, context], attributes: ["axis": .int(2)])
            decState = lstmStep(decIn, decCell, decState, s + ".decoder_rnn")
            let hc = g.add("Concat", name: s + ".hidden_context", inputs: [decState!.0, context], attributes: ["axis": .int(2)])
            let mel = g.add("MatMul", name: s + ".linear_projection", inputs: [hc, wProj])
            melFrames.append(g.add("Add", name: s + ".linear_projection.add_bias", inputs: [mel, bProj]))
            let gate = g.add("MatMul", name: s + ".gate_layer", inputs: [hc, wGate])
            gates.append(g.add("Add", name: s + ".gate_layer.add_bias", inputs: [gate, bGate]))
        }
        let melOut = t == 1 ? melFrames[0] : g.add("Concat", name: "decoder.mel_outputs", inputs: melFrames, attributes: ["axis": .int(0)])
        let gateOut = t == 1 ? gates[0] : g.add("Concat", name: "decoder.gate_outputs", inputs: gates, attributes: ["axis": .int(0)])
        let melChannels = g.add("Transpose", name: "decoder.mel_perm", inputs: [melOut], attributes: ["perm": .ints([1, 2, 0])])  // [b, 80, t]

        // Postnet.
        var y = melChannels
        let widths = [mels, 512, 512, 512, 512, mels]
        for i in 0..<5 {
            y = g.conv(y, from: widths[i], to: widths[i + 1], kernel: [5], bias: true, name: "postnet.convolutions.\(i).0")
            y = g.batchNorm(y, channels: widths[i + 1], name: "postnet.convolutions.\(i).1")
            if i < 4 { y = g.add("Tanh", name: "postnet.convolutions.\(i).tanh", inputs: [y]) }
        }
        let postnet = g.add("Add", name: "mel_outputs_postnet", inputs: [melChannels, y])
        g.markOutput(melChannels)
        g.markOutput(postnet)
        g.markOutput(gateOut)
        return try g.build()
    }

    /// The graph by zoo name; `size` is the number of mel frames (800 when nil).
    public static func graph(named model: String, batchSize: Int = 1, size: Int? = nil) throws -> ModelGraph? {
        guard names.contains(model) else { return nil }
        return try graph(batchSize: batchSize, melFrames: size ?? 800, name: model)
    }
}
