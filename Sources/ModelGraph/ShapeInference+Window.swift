extension ShapeInference {
    /// Conv, ConvTranspose and pooling output shapes: `[N, C_out, spatial...]` with
    /// `out = ⌊(in + pad_begin + pad_end − dilation·(k−1) − 1) / stride⌋ + 1` (⌈⌉ with
    /// `ceil_mode`), `auto_pad` SAME_* giving `⌈in / stride⌉`, and ConvTranspose
    /// `stride·(in−1) + output_padding + dilation·(k−1) + 1 − pads` (ONNX Conv/ConvTranspose/MaxPool).
    static func windowed(type: String, attributes: [String: AttributeValue], shapes: [[Int]?]) -> [Int]? {
        guard let x = shapes.first ?? nil, x.count >= 3 else { return nil }
        let spatial = Array(x.dropFirst(2))
        let n = spatial.count
        if type == "GlobalAveragePool" || type == "GlobalMaxPool" {
            return [x[0], x[1]] + [Int](repeating: 1, count: n)
        }
        var channels = x[1]
        var kernel = attributes["kernel_shape"]?.intsValue ?? []
        if type == "Conv" || type == "ConvTranspose" {
            guard shapes.count > 1, let w = shapes[1], w.count == n + 2 else { return nil }
            let group = max(attributes["group"]?.intValue ?? 1, 1)
            channels = type == "Conv" ? w[0] : Saturating.mul(w[1], group)
            if kernel.isEmpty { kernel = Array(w.dropFirst(2)) }
        }
        guard kernel.count == n else { return nil }
        let strides = attributes["strides"]?.intsValue ?? [Int](repeating: 1, count: n)
        let dilations = attributes["dilations"]?.intsValue ?? [Int](repeating: 1, count: n)
        var pads = attributes["pads"]?.intsValue ?? [Int](repeating: 0, count: 2 * n)
        guard strides.count == n, dilations.count == n, pads.count == 2 * n,
            strides.allSatisfy({ $0 > 0 }), dilations.allSatisfy({ $0 > 0 }),
            (kernel + strides + dilations + pads + spatial).allSatisfy({ $0.magnitude < 1 << 31 })
        else { return nil }
        let autoPad = attributes["auto_pad"]?.stringValue ?? "NOTSET"
        let ceilMode = (attributes["ceil_mode"]?.intValue ?? 0) != 0
        var out = [Int]()
        for i in 0..<n {
            let k = dilations[i] * (kernel[i] - 1) + 1
            if type == "ConvTranspose" {
                if let shape = attributes["output_shape"]?.intsValue, shape.count == n {
                    out.append(shape[i]); continue
                }
                let outPad = attributes["output_padding"]?.intsValue ?? [Int](repeating: 0, count: n)
                if autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER" {
                    out.append(spatial[i] * strides[i])
                } else {
                    if autoPad == "VALID" { pads = [Int](repeating: 0, count: 2 * n) }
                    let o = strides[i] * (spatial[i] - 1) + (i < outPad.count ? outPad[i] : 0) + k
                        - pads[i] - pads[i + n]
                    out.append(o)
                }
                continue
            }
            switch autoPad {
            case "SAME_UPPER", "SAME_LOWER":
                out.append((spatial[i] + strides[i] - 1) / strides[i])
            case "VALID":
                out.append((spatial[i] - k) / strides[i] + 1)
            default:
                let span = spatial[i] + pads[i] + pads[i + n] - k
                guard span >= 0 else { return nil }
                var o = (ceilMode ? (span + strides[i] - 1) / strides[i] : span / strides[i]) + 1
                // ceil_mode: the last window must start inside the input or left padding.
                if ceilMode && (o - 1) * strides[i] >= spatial[i] + pads[i] { o -= 1 }
                out.append(o)
            }
        }
        guard out.allSatisfy({ $0 > 0 }) else { return nil }
        return [x[0], channels] + out
    }
}
