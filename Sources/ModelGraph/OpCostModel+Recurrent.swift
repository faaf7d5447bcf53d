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
