extension OpCostModel {
    /// Element-wise FLOPs per hidden unit per step of the recurrent cells, with the
    /// activations costed as in ``elementwiseFLOPs`` (Sigmoid 4, Tanh 5, Add/Mul 1): LSTM
    /// 3 sigmoids + 2 tanh + `c = f⊙c + i⊙g` (3) + `h = o⊙tanh(c)` (1) = 26; GRU 2 sigmoids +
    /// 1 tanh + `r⊙(R_h h)` (1) + `h = (1−z)⊙n + z⊙h` (3) = 17; RNN one tanh, 5.
    public static let recurrentCellFLOPs: [String: Int] = ["LSTM": 26, "GRU": 17, "RNN": 5]

    /// LSTM/GRU/RNN (ONNX semantics): per step, batch row and direction, the input and
    /// recurrent products `2·gates·H·(input + H)`, the two bias adds `2·gates·H` when `B`
    /// is given, and the cell's element-wise work (``recurrentCellFLOPs``·H).
    static func recurrentFLOPs(type: String, inputs: [TensorInfo?], attributes: [String: AttributeValue]) -> Int {
        guard let gates = ShapeInference.recurrentGates(type),
            let s = ShapeInference.recurrentSizes(type: type, attributes: attributes, shapes: inputs.map { $0?.shape })
        else { return 0 }
        let gh = Saturating.mul(gates, s.hidden)
        let products = Saturating.product([2, gh, Saturating.add(s.input, s.hidden)])
        let bias = inputs.count > 3 && inputs[3] != nil ? Saturating.mul(2, gh) : 0
        let cell = Saturating.mul(recurrentCellFLOPs[type] ?? 0, s.hidden)
        let perStep = Saturating.add(Saturating.add(products, bias), cell)
        return Saturating.product([s.seq, s.batch, s.dirs, perStep])
    }
}

extension OpCostModel {
    /// RoiAlign (ONNX; He et al. 2017, Mask R-CNN §3): every output element averages
    /// `sampling_ratio²` bilinear samples (2² where the ratio is 0, "adaptive", the value
    /// Mask R-CNN implementations use), each 4 weighted reads: 8 FLOPs per sample. Bytes:
    /// the RoIs, their batch indices and the output, plus the feature-map elements the
    /// samples read (4 per sample), at most the whole map.
    static func roiAlignCost(
        inputs: [TensorInfo?], outputs: [TensorInfo], attributes: [String: AttributeValue]
    ) -> (flops: Int, bytes: Int) {
        let ratio = attributes["sampling_ratio"]?.intValue ?? 0
        let samples = ratio > 0 ? ratio * ratio : 4
        let out = outputs.first?.elementCount ?? 0
        let flops = Saturating.product([8, samples, out])
        let x = inputs.first ?? nil
        let reads = min(x?.byteCount ?? 0, Saturating.product([4, samples, out, x?.dtype.byteSize ?? 4]))
        let rest = inputs.dropFirst().reduce(0) { Saturating.add($0, $1?.byteCount ?? 0) }
        return (flops, Saturating.add(Saturating.add(reads, rest), outputs.reduce(0) { Saturating.add($0, $1.byteCount) }))
    }
}
