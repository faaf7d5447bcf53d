/// WaveGlow (Prenger, Valle and Catanzaro, "WaveGlow: A Flow-based Generative Network for
/// Speech Synthesis", ICASSP 2019) as NVIDIA DeepLearningExamples builds it
/// (PyTorch/SpeechSynthesis/Tacotron2, `waveglow/model.py` and its default arguments), in
/// training form (audio → latent, the direction training runs), at any batch size and
/// segment length.
///
/// - Mel conditioning: 80 channels, `segment/256 + 1` frames (the STFT of the segment, hop
///   256), upsampled by ConvTranspose1d 80 → 80, kernel 1024, stride 256 (with bias), trimmed
///   to the segment and folded with the audio into groups of 8: `[N, 640, segment/8]`.
/// - 12 flows; before flows 4 and 8 two channels leave early (`n_early_every` 4,
///   `n_early_size` 2), so the flows see 8, 6 and 4 channels. Each flow: an invertible 1×1
///   convolution (`c × c`, no bias) and an affine coupling whose WN network takes half the
///   channels: start Conv1d `c/2 → C`, a conditioning Conv1d `640 → 2·C·8`, 8 layers of
///   dilated (2^i) Conv1d `C → 2C` kernel 3 with the gated `tanh ⊙ sigmoid` unit and a
///   1×1 res/skip Conv1d (`C → 2C`, the last `C → C`), and an end Conv1d `C → c`; then
///   `audio_1 · exp(log_s) + t`.
///
/// Channels `C`: 256, NVIDIA's released configuration (DLE's `--wn-channels` default and
/// NVIDIA/waveglow's `config.json`; the paper says 512, which gives 267,999,848 parameters
/// with this layer list). Parameters at 256: 87,731,816 — the 87.73 M NVIDIA quotes — with
/// every convolution a plain weight and bias. NVIDIA trains the WN convolutions under weight
/// normalization, whose gains `g` (one per output channel, 12,288 per flow, 147,456 in all;
/// 87,879,272 with them) the graph does not model: the weight `g·v/‖v‖` is a per-channel
/// rescale whose cost is negligible next to the convolutions.
///
/// `size` is the segment length in samples (16,000 by default, NVIDIA's `--segment-length`;
/// a multiple of 8, at least 1,024).
public enum WaveGlow {
    /// The zoo's names.
    public static let names = ["waveglow"]

    /// The graph at `batchSize` on `segmentLength` audio samples with `channels` WN channels.
    public static func graph(
        batchSize: Int = 1, segmentLength: Int = 16_000, channels: Int = 256, name: String = "waveglow"
    ) throws -> ModelGraph {
        try GraphBuilder.checkSize(batchSize, "batchSize", within: 1...1048576, source: name)
        guard segmentLength >= 1024, segmentLength <= 1 << 24, segmentLength % 8 == 0 else {
            throw ModelGraphError.invalidSpec(
                source: name, field: "segmentLength", reason: "must be a multiple of 8 within 1024...16777216, got \(segmentLength)")
        }
        guard channels >= 2, channels <= 4096, channels % 2 == 0 else {
            throw ModelGraphError.invalidSpec(source: name, field: "channels", reason: "must be even, within 2...4096, got \(channels)")
        }
        let (b, seg, nch) = (batchSize, segmentLength, channels)
        let (mels, group, layers, flows) = (80, 8, 8, 12)
        let steps = seg / group, frames = seg / 256 + 1
        var g = GraphBuilder(name: name)
        let spect = g.addInput("mel", shape: [b, mels, frames])
        let audioIn = g.addInput("audio", shape: [b, seg])

        func slice(_ x: Int, axis: Int, _ start: Int, _ end: Int, _ label: String) -> Int {
            let c = { (n: String, v: Int) in g.addConstant(label + "." + n, shape: [1], dtype: .int64, intValues: [v]) }
            return g.add("Slice", name: label, inputs: [x, c("starts", start), c("ends", end), c("axes", axis)])
        }

        // Conditioning: upsample, trim, fold into groups.
        let wUp = g.addParameter("upsample.weight", shape: [mels, mels, 1024])
        let bUp = g.addParameter("upsample.bias", shape: [mels])
        var cond = g.add("ConvTranspose", name: "upsample", inputs: [spect, wUp, bUp], attributes: [
            "kernel_shape": .ints([1024]), "strides": .ints([256]), "pads": .ints([0, 0]),
        ])
        cond = slice(cond, axis: 2, 0, seg, "upsample.trim")
        cond = g.reshape(cond, to: [b, mels, steps, group], name: "spect.unfold")
        cond = g.add("Transpose", name: "spect.permute", inputs: [cond], attributes: ["perm": .ints([0, 1, 3, 2])])
        cond = g.reshape(cond, to: [b, mels * group, steps], name: "spect.fold")
        var audio = g.reshape(audioIn, to: [b, steps, group], name: "audio.unfold")
        audio = g.add("Transpose", name: "audio.permute", inputs: [audio], attributes: ["perm": .ints([0, 2, 1])])

        var remaining = group
        var early: [Int] = []
        for k in 0..<flows {
            let f = "flow\(k)"
            if k % 4 == 0 && k > 0 {
                early.append(slice(audio, axis: 1, 0, 2, f + ".early"))
                audio = slice(audio, axis: 1, 2, remaining, f + ".remaining")
                remaining -= 2
            }
            let half = remaining / 2
            audio = g.conv(audio, from: remaining, to: remaining, kernel: [1], bias: false, name: "convinv.\(k).conv")
            let a0 = slice(audio, axis: 1, 0, half, f + ".audio_0")
            let a1 = slice(audio, axis: 1, half, remaining, f + ".audio_1")
            // WN.
            let w = "WN.\(k)"
            var h = g.conv(a0, from: half, to: nch, kernel: [1], bias: true, name: w + ".start")
            let c = g.conv(cond, from: mels * group, to: 2 * nch * layers, kernel: [1], bias: true, name: w + ".cond_layer")
            var output: Int? = nil
            for i in 0..<layers {
                let d = 1 << i
                let l = "\(w).layer\(i)"
                let inAct = g.conv(h, from: nch, to: 2 * nch, kernel: [3], pad: [d], dilation: [d], bias: true, name: "\(w).in_layers.\(i)")
                let offset = slice(c, axis: 1, 2 * nch * i, 2 * nch * (i + 1), l + ".cond_slice")
                let acts = g.add("Add", name: l + ".add", inputs: [inAct, offset])
                let t = g.add("Tanh", name: l + ".tanh", inputs: [slice(acts, axis: 1, 0, nch, l + ".t_half")])
                let s = g.add("Sigmoid", name: l + ".sigmoid", inputs: [slice(acts, axis: 1, nch, 2 * nch, l + ".s_half")])
                let gated = g.add("Mul", name: l + ".gate", inputs: [t, s])
                let last = i == layers - 1
                let rs = g.conv(gated, from: nch, to: last ? nch : 2 * nch, kernel: [1], bias: true, name: "\(w).res_skip_layers.\(i)")
                var skip = rs
                if !last {
                    h = g.add("Add", name: l + ".residual", inputs: [h, slice(rs, axis: 1, 0, nch, l + ".res")])
                    skip = slice(rs, axis: 1, nch, 2 * nch, l + ".skip")
                }
                output = output.map { g.add("Add", name: l + ".skip_sum", inputs: [$0, skip]) } ?? skip
            }
            let st = g.conv(output!, from: nch, to: 2 * half, kernel: [1], bias: true, name: w + ".end")
            // Affine coupling.
            let logS = slice(st, axis: 1, 0, half, f + ".log_s")
            let shift = slice(st, axis: 1, half, 2 * half, f + ".b")
            var y = g.add("Mul", name: f + ".scale", inputs: [g.add("Exp", name: f + ".exp", inputs: [logS]), a1])
            y = g.add("Add", name: f + ".shift", inputs: [y, shift])
            audio = g.add("Concat", name: f + ".concat", inputs: [a0, y], attributes: ["axis": .int(1)])
        }
        let z = g.add("Concat", name: "output_z", inputs: early + [audio], attributes: ["axis": .int(1)])
        g.markOutput(z)
        return try g.build()
    }

    /// The graph by zoo name; `size` is the segment length in samples (16,000 when nil).
    public static func graph(named model: String, batchSize: Int = 1, size: Int? = nil) throws -> ModelGraph? {
        guard names.contains(model) else { return nil }
        return try graph(batchSize: batchSize, segmentLength: size ?? 16_000, name: model)
    }
}
