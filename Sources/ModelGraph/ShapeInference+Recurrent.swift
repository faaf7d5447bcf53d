extension ShapeInference {
    /// Gate count of the ONNX recurrent operators: LSTM 4 (i, o, f, c), GRU 3 (z, r, h), RNN 1.
    static func recurrentGates(_ type: String) -> Int? {
        switch type {
        case "LSTM": 4
        case "GRU": 3
        case "RNN": 1
        default: nil
        }
    }

    /// The sizes of an ONNX LSTM/GRU/RNN (https://onnx.ai/onnx/operators/onnx__LSTM.html):
    /// `X` is `[seq, batch, input]` (`[batch, seq, input]` with `layout` 1), `W`
    /// `[dirs, gates·H, input]`, `R` `[dirs, gates·H, H]`; `hidden_size` defaults to `R`'s last
    /// dimension and the direction count to `W`'s first (`direction` "bidirectional" gives 2).
    static func recurrentSizes(
        type: String, attributes: [String: AttributeValue], shapes: [[Int]?]
    ) -> (seq: Int, batch: Int, input: Int, hidden: Int, dirs: Int, layout: Int)? {
        guard recurrentGates(type) != nil, let x = shapes.first ?? nil, x.count == 3 else { return nil }
        let layout = attributes["layout"]?.intValue ?? 0
        let w = shapes.count > 1 ? shapes[1] : nil
        let r = shapes.count > 2 ? shapes[2] : nil
        guard let hidden = attributes["hidden_size"]?.intValue ?? r?.last, hidden > 0 else { return nil }
        let direction = attributes["direction"]?.stringValue ?? "forward"
        let dirs = w?.first ?? (direction == "bidirectional" ? 2 : 1)
        guard dirs == 1 || dirs == 2 else { return nil }
        let (seq, batch) = layout == 0 ? (x[0], x[1]) : (x[1], x[0])
        return (seq, batch, x[2], hidden, dirs, layout)
    }

    /// Outputs of LSTM/GRU/RNN: `Y` `[seq, dirs, batch, H]`, `Y_h` (and LSTM's `Y_c`)
    /// `[dirs, batch, H]`; with `layout` 1, `[batch, seq, dirs, H]` and `[batch, dirs, H]`.
    static func recurrent(
        type: String, attributes: [String: AttributeValue], shapes: [[Int]?], outputCount: Int
    ) -> [[Int]?] {
        var result = [[Int]?](repeating: nil, count: outputCount)
        guard let s = recurrentSizes(type: type, attributes: attributes, shapes: shapes) else { return result }
        let y = s.layout == 0 ? [s.seq, s.dirs, s.batch, s.hidden] : [s.batch, s.seq, s.dirs, s.hidden]
        let state = s.layout == 0 ? [s.dirs, s.batch, s.hidden] : [s.batch, s.dirs, s.hidden]
        for i in 0..<outputCount { result[i] = i == 0 ? y : (i <= (type == "LSTM" ? 2 : 1) ? state : nil) }
        return result
    }
}
