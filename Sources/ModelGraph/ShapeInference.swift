/// Output shapes (and small integer values) of operators from their input shapes and
/// attributes, following the ONNX operator specifications (https://onnx.ai/onnx/operators/).
///
/// Inference never throws: an operator it does not know, or inputs it cannot read, give
/// `nil` (unknown) shapes, which the cost model treats as zero.
public enum ShapeInference {
    /// Unary operators whose output has the input's shape.
    static let sameShapeOps: Set<String> = [
        "Relu", "LeakyRelu", "Clip", "Abs", "Neg", "Sign", "Sigmoid", "Tanh", "Gelu", "Erf",
        "HardSigmoid", "HardSwish", "Silu", "Swish", "Mish", "Softplus", "Softsign", "Elu",
        "Selu", "Celu", "ThresholdedRelu", "Exp", "Log", "Sqrt", "Reciprocal", "Floor", "Ceil",
        "Round", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh",
        "Atanh", "Not", "IsNaN", "IsInf", "Softmax", "LogSoftmax", "Hardmax", "Identity",
        "Dropout", "Cast", "CastLike", "BatchNormalization", "LayerNormalization",
        "InstanceNormalization", "GroupNormalization", "LRN", "BitwiseNot", "Contiguous",
        "FastGelu", "BiasGelu", "Trilu", "CumSum", "Shrink", "MeanVarianceNormalization",
    ]

    /// Operators whose output is the multidirectional broadcast of their inputs.
    static let broadcastOps: Set<String> = [
        "Add", "Sub", "Mul", "Div", "Pow", "Mod", "Max", "Min", "Sum", "Mean", "Equal",
        "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor", "Where",
        "PRelu", "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor",
    ]

    /// Output shapes of one operator; `inputs[i]` is `nil` for an omitted optional input.
    public static func outputShapes(
        type: String, attributes: [String: AttributeValue], inputs: [TensorInfo?],
        outputCount: Int
    ) -> [[Int]?] {
        var result = [[Int]?](repeating: nil, count: outputCount)
        guard outputCount > 0 else { return result }
        let shapes = inputs.map { $0?.shape }
        let first = shapes.first ?? nil
        if sameShapeOps.contains(type) {
            result[0] = first
            if type == "Dropout" && outputCount > 1 { result[1] = first }
            return result
        }
        if broadcastOps.contains(type) {
            result[0] = broadcast(shapes.compactMap { $0 }, expected: inputs.compactMap { $0 }.count)
            return result
        }
        switch type {
        case "Conv", "ConvTranspose", "MaxPool", "AveragePool", "LpPool",
            "GlobalAveragePool", "GlobalMaxPool":
            result[0] = windowed(type: type, attributes: attributes, shapes: shapes)
            if type == "MaxPool" && outputCount > 1 { result[1] = result[0] }
        case "Gemm": result[0] = gemm(attributes: attributes, shapes: shapes)
        case "MatMul": result[0] = matmul(shapes.first ?? nil, shapes.count > 1 ? shapes[1] : nil)
        case "RoiAlign":
            // X [N, C, H, W], rois [R, 4] → [R, C, output_height, output_width].
            guard let x = first, x.count == 4, shapes.count > 1, let rois = shapes[1], rois.count == 2 else { break }
            result[0] = [rois[0], x[1], attributes["output_height"]?.intValue ?? 1, attributes["output_width"]?.intValue ?? 1]
        case "LSTM", "GRU", "RNN":
            return recurrent(type: type, attributes: attributes, shapes: shapes, outputCount: outputCount)
        default:
            let other = tensorOp(type: type, attributes: attributes, inputs: inputs, outputCount: outputCount)
            for i in 0..<min(other.count, outputCount) { result[i] = other[i] }
        }
        return result
    }

    /// Multidirectional (numpy) broadcasting of shapes; `nil` when they are incompatible
    /// or when fewer than `expected` shapes are known.
    public static func broadcast(_ shapes: [[Int]], expected: Int) -> [Int]? {
        guard !shapes.isEmpty, shapes.count == expected else { return nil }
        let rank = shapes.map(\.count).max()!
        var out = [Int](repeating: 1, count: rank)
        for s in shapes {
            let offset = rank - s.count
            for (i, d) in s.enumerated() {
                let j = i + offset
                if out[j] == 1 { out[j] = d }
                else if d != 1 && d != out[j] { return nil }
            }
        }
        return out
    }

    /// numpy `matmul` shape: 1-D operands are promoted and the added dim removed.
    public static func matmul(_ a: [Int]?, _ b: [Int]?) -> [Int]? {
        guard var a, var b, !a.isEmpty, !b.isEmpty else { return nil }
        let aVector = a.count == 1, bVector = b.count == 1
        if aVector { a = [1] + a }
        if bVector { b = b + [1] }
        guard a[a.count - 1] == b[b.count - 2] else { return nil }
        guard let batch = broadcast([Array(a.dropLast(2)), Array(b.dropLast(2))], expected: 2)
        else { return nil }
        var out = batch
        if !aVector { out.append(a[a.count - 2]) }
        if !bVector { out.append(b[b.count - 1]) }
        return out
    }

    static func gemm(attributes: [String: AttributeValue], shapes: [[Int]?]) -> [Int]? {
        guard shapes.count >= 2, let a = shapes[0], let b = shapes[1], a.count == 2, b.count == 2
        else { return nil }
        let transA = attributes["transA"]?.intValue ?? 0, transB = attributes["transB"]?.intValue ?? 0
        let (m, ka) = transA != 0 ? (a[1], a[0]) : (a[0], a[1])
        let (kb, n) = transB != 0 ? (b[1], b[0]) : (b[0], b[1])
        guard ka == kb else { return nil }
        return [m, n]
    }

    /// Normalizes a possibly negative axis against `rank`; `nil` when out of range.
    static func axis(_ a: Int, rank: Int) -> Int? {
        let v = a < 0 ? a + rank : a
        return v >= 0 && v < rank ? v : nil
    }
}
