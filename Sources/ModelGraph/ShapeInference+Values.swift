extension ShapeInference {
    /// The values of `Shape(x)` (opset 15 `start`/`end` included).
    static func shapeValues(of x: TensorInfo, attributes: [String: AttributeValue]) -> [Int]? {
        guard let shape = x.shape else { return nil }
        let r = shape.count
        func clamp(_ v: Int) -> Int { min(max(v < 0 ? v + r : v, 0), r) }
        let s = clamp(attributes["start"]?.intValue ?? 0)
        let e = clamp(attributes["end"]?.intValue ?? r)
        return s < e ? Array(shape[s..<e]) : []
    }

    /// Integer values of small outputs that shape computations need (torch exports build
    /// Reshape targets with Shape → Gather → Unsqueeze → Concat chains).
    public static func outputIntValues(
        type: String, attributes: [String: AttributeValue], inputs: [TensorInfo?]
    ) -> [Int]? {
        let v = inputs.map { $0?.intValues }
        switch type {
        case "Shape": return inputs.first.flatMap { $0 }.flatMap { shapeValues(of: $0, attributes: attributes) }
        case "Size": return inputs.first.flatMap { $0?.shape }.map { [Saturating.product($0)] }
        case "Constant":
            if let i = attributes["value_int"]?.intValue { return [i] }
            return attributes["value_ints"]?.intsValue ?? attributes["value.ints"]?.intsValue
        case "Identity", "Cast", "Squeeze", "Unsqueeze", "Flatten", "Reshape":
            return v.first ?? nil
        case "Concat":
            guard !v.isEmpty, v.allSatisfy({ $0 != nil }) else { return nil }
            return v.flatMap { $0! }
        case "Gather":
            guard v.count == 2, let data = v[0], let idx = v[1],
                (inputs[0]?.shape?.count ?? 0) <= 1 else { return nil }
            var out: [Int] = []
            for i in idx {
                let j = i < 0 ? i + data.count : i
                guard j >= 0 && j < data.count else { return nil }
                out.append(data[j])
            }
            return out
        case "Slice":
            guard let data = v.first ?? nil, (inputs[0]?.shape?.count ?? 0) == 1,
                let out = slice([data.count], attributes: attributes, inputs: inputs),
                let s = ints("starts", attributes, inputs, 1)?.first
            else { return nil }
            let start = min(max(s < 0 ? s + data.count : s, 0), data.count)
            let steps = (inputs.count > 4 ? inputs[4]?.intValues?.first : nil) ?? 1
            guard steps == 1, start + out[0] <= data.count else { return nil }
            return Array(data[start..<(start + out[0])])
        case "Add", "Sub", "Mul", "Div":
            guard v.count == 2, let a = v[0], let b = v[1] else { return nil }
            let n = max(a.count, b.count)
            guard a.count == n || a.count == 1, b.count == n || b.count == 1 else { return nil }
            var out: [Int] = []
            for i in 0..<n {
                let x = a[a.count == 1 ? 0 : i], y = b[b.count == 1 ? 0 : i]
                switch type {
                case "Add": out.append(x &+ y)
                case "Sub": out.append(x &- y)
                case "Mul": out.append(x &* y)
                default:
                    guard y != 0, !(x == Int.min && y == -1) else { return nil }
                    out.append(x / y)
                }
            }
            return out
        case "ConstantOfShape":
            // torch's `expand(n, -1, -1)` builds its target with ConstantOfShape → Equal → Where.
            guard let dims = v.first ?? nil, dims.count == 1, let n = dims.first, n >= 0, n <= 64,
                  let fill = attributes["value.ints"]?.intsValue?.first ?? (attributes["value.dims"] == nil ? 0 : nil)
            else { return nil }
            return [Int](repeating: fill, count: n)
        case "Equal":
            guard v.count == 2, let a = v[0], let b = v[1] else { return nil }
            let n = max(a.count, b.count)
            guard a.count == n || a.count == 1, b.count == n || b.count == 1 else { return nil }
            return (0..<n).map { a[a.count == 1 ? 0 : $0] == b[b.count == 1 ? 0 : $0] ? 1 : 0 }
        case "Where":
            guard v.count == 3, let c = v[0], let x = v[1], let y = v[2] else { return nil }
            let n = max(c.count, x.count, y.count)
            guard [c, x, y].allSatisfy({ $0.count == n || $0.count == 1 }) else { return nil }
            return (0..<n).map { i in
                c[c.count == 1 ? 0 : i] != 0 ? x[x.count == 1 ? 0 : i] : y[y.count == 1 ? 0 : i]
            }
        default: return nil
        }
    }

    /// Element type of an operator's output `index`.
    public static func outputDType(
        type: String, attributes: [String: AttributeValue], inputs: [TensorInfo?], index: Int
    ) -> DType {
        switch type {
        case "Shape", "Size", "ArgMax", "ArgMin", "NonZero": return .int64
        case "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor",
            "Not", "IsNaN", "IsInf":
            return .bool
        case "Cast": if let to = attributes["to"]?.intValue { return DType(onnxCode: to) }
        case "Constant":
            if let code = attributes["value.dtype"]?.intValue { return DType(onnxCode: code) }
            if attributes["value_int"] != nil || attributes["value_ints"] != nil { return .int64 }
            return .float32
        case "ConstantOfShape":
            if let code = attributes["value.dtype"]?.intValue { return DType(onnxCode: code) }
            return .float32
        case "Dropout" where index == 1: return .bool
        case "MaxPool" where index == 1: return .int64
        case "Where": return inputs.count > 1 ? inputs[1]?.dtype ?? .float32 : .float32
        case "CastLike": return inputs.count > 1 ? inputs[1]?.dtype ?? .float32 : .float32
        default: break
        }
        return inputs.compactMap { $0 }.first?.dtype ?? .float32
    }
}
