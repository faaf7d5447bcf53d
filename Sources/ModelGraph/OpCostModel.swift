/// Per-operator forward cost: FLOPs, bytes moved and parameters.
///
/// Conventions (documented with sources in Sources/ModelGraph/README.md):
/// - a multiply-accumulate is 2 FLOPs (so ResNet-50's 4.1 GMACs are ≈ 8.2 GFLOPs);
/// - convolution and matrix products count `2·MACs` plus one add per output for a bias;
/// - element-wise operators count a fixed number of FLOPs per output element
///   (``OpCostModel/elementwiseFLOPs``);
/// - bytes = bytes of all present inputs (weights included) + bytes of all outputs, except
///   views (Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout), which move nothing,
///   zero-cost ops (Shape, Constant, Cast, …), and Gather, which reads only the rows it gathers.
public enum OpCostModel {
    /// FLOPs per output element of the element-wise operators (unary and broadcasting binary).
    public static let elementwiseFLOPs: [String: Int] = [
        "Relu": 1, "LeakyRelu": 2, "PRelu": 2, "Clip": 2, "Abs": 1, "Neg": 1, "Sign": 1,
        "Sigmoid": 4, "Tanh": 5, "Gelu": 8, "FastGelu": 8, "BiasGelu": 9, "Erf": 8,
        "HardSigmoid": 3, "HardSwish": 4, "Silu": 5, "Swish": 5, "Mish": 9,
        "Softplus": 3, "Softsign": 3, "Elu": 3, "Selu": 4, "Celu": 4, "ThresholdedRelu": 1,
        "Exp": 1, "Log": 1, "Sqrt": 1, "Reciprocal": 1, "Floor": 1, "Ceil": 1, "Round": 1,
        "Sin": 1, "Cos": 1, "Tan": 1, "Asin": 1, "Acos": 1, "Atan": 1, "Sinh": 1, "Cosh": 1,
        "Asinh": 1, "Acosh": 1, "Atanh": 1, "Not": 1, "IsNaN": 1, "IsInf": 1,
        "Add": 1, "Sub": 1, "Mul": 1, "Div": 1, "Pow": 1, "Mod": 1, "Max": 1, "Min": 1,
        "Sum": 1, "Mean": 1, "Equal": 1, "Less": 1, "Greater": 1, "LessOrEqual": 1,
        "GreaterOrEqual": 1, "And": 1, "Or": 1, "Xor": 1, "Where": 1, "BitShift": 1,
        "BitwiseAnd": 1, "BitwiseOr": 1, "BitwiseXor": 1, "BitwiseNot": 1,
    ]

    /// Operators that only re-label memory (views): no FLOPs and no bytes.
    public static let viewOps: Set<String> = [
        "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Dropout",
    ]

    /// Operators that cost nothing (metadata or constants).
    public static let zeroCostOps: Set<String> = [
        "Shape", "Size", "Constant", "ConstantOfShape", "Cast", "CastLike", "Range", "EyeLike",
    ]

    /// Operators that copy data: no FLOPs, bytes = inputs + outputs.
    public static let copyOps: Set<String> = [
        "Concat", "Transpose", "Pad", "Slice", "Split", "Expand", "Tile", "Contiguous",
        "DepthToSpace", "SpaceToDepth", "ScatterND", "ScatterElements", "GatherElements",
        "GatherND", "Compress", "ReverseSequence", "Trilu", "OneHot",
    ]

    /// Operators whose inputs a training step does not keep for the backward pass (views,
    /// zero-cost and pure data movement); one set, so a lookup hashes the type once.
    public static let keepsNoActivations: Set<String> = viewOps.union(zeroCostOps).union(copyOps)

    /// What an operator's gradient needs from the forward pass (PyTorch autograd's saved tensors).
    public enum SavedTensors: Sendable {
        /// Nothing but shapes: sums, differences, means, average pooling, views, copies.
        case nothing
        /// Its result (the derivative is a function of it).
        case output
        /// Each operand of a product or quotient, where the other operand is trained or computed.
        case operandsOfProduct
        /// Its inputs.
        case inputs
    }

    static let keepsNothing: Set<String> = keepsNoActivations.union([
        "Add", "Sub", "Neg", "Sum", "Mean", "ReduceMean", "ReduceSum", "AveragePool", "GlobalAveragePool",
    ])
    static let keepsOutput: Set<String> = ["Relu", "Sigmoid", "Tanh", "Exp", "Sqrt", "Softmax", "LogSoftmax", "Reciprocal"]

    /// What a training step keeps for `type`'s backward pass (``ModelGraph/savedActivationBytes()``).
    public static func savedTensors(_ type: String) -> SavedTensors {
        if keepsNothing.contains(type) { return .nothing }
        if keepsOutput.contains(type) { return .output }
        if type == "Mul" || type == "Div" { return .operandsOfProduct }
        return .inputs
    }

    /// Every operator type with a cost rule (unknown types are kept with ``OpCost/isCosted`` false).
    public static var knownOps: Set<String> {
        Set(elementwiseFLOPs.keys).union(viewOps).union(zeroCostOps).union(copyOps).union([
            "Conv", "ConvTranspose", "Gemm", "MatMul", "BatchNormalization",
            "LayerNormalization", "InstanceNormalization", "GroupNormalization",
            "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "LpPool",
            "Softmax", "LogSoftmax", "Hardmax", "ReduceMean", "ReduceSum", "ReduceMax",
            "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceSumSquare",
            "ReduceLogSum", "ReduceLogSumExp", "ArgMax", "ArgMin", "Gather", "Resize",
            "Upsample", "LRN", "Einsum", "LSTM", "GRU", "RNN", "RoiAlign",
        ])
    }

    /// Whether input `index` of an operator of type `type` holds trainable weights when it
    /// is an initializer: floating-point, in a weight slot of a weight-bearing op (Conv,
    /// Gemm, normalizations: any index ≥ 1, except BatchNormalization's running mean and
    /// variance, inputs 3 and 4), or with more than one element anywhere else (exported
    /// graphs keep weights as float initializers, also behind Transpose, Slice or Add),
    /// except the scale/size/pad/bound inputs of Resize, Upsample, Pad and Clip and the
    /// initial states of the recurrent operators (LSTM/GRU/RNN: only W, R and B).
    public static func isParameterSlot(type: String, index: Int, tensor: TensorInfo) -> Bool {
        guard tensor.dtype.isFloatingPoint else { return false }
        switch type {
        case "Conv", "ConvTranspose", "Gemm", "LayerNormalization", "InstanceNormalization",
            "GroupNormalization", "PRelu":
            return index >= 1
        case "BatchNormalization":
            return index == 1 || index == 2
        case "LSTM", "GRU", "RNN":
            // W, R, B and LSTM's peepholes P; not sequence_lens or the initial states.
            return (index >= 1 && index <= 3) || (type == "LSTM" && index == 7)
        case "Resize", "Upsample", "Pad", "Clip", "ConstantOfShape", "Range":
            return index == 0 && tensor.elementCount > 1
        default:
            return tensor.elementCount > 1
        }
    }

    /// The forward cost of one operator. `inputs[i]` is `nil` for an omitted optional input.
    /// Missing shapes give zero FLOPs rather than an error.
    public static func cost(
        type: String, attributes: [String: AttributeValue],
        inputs: [TensorInfo?], outputs: [TensorInfo]
    ) -> OpCost {
        let present = inputs.compactMap { $0 }
        let parameters = present.filter { $0.kind == .parameter }.reduce(0) { Saturating.add($0, $1.elementCount) }
        let ioBytes = Saturating.add(
            present.reduce(0) { Saturating.add($0, $1.byteCount) },
            outputs.reduce(0) { Saturating.add($0, $1.byteCount) })
        let outElements = outputs.first?.elementCount ?? 0
        if viewOps.contains(type) || zeroCostOps.contains(type) {
            return OpCost(parameters: parameters)
        }
        if copyOps.contains(type) {
            return OpCost(bytes: ioBytes, parameters: parameters)
        }
        if let perElement = elementwiseFLOPs[type] {
            return OpCost(flops: Saturating.mul(perElement, outElements), bytes: ioBytes, parameters: parameters)
        }
        let flops: Int
        var bytes = ioBytes
        switch type {
        case "Conv": flops = convFLOPs(inputs: inputs, outputs: outputs, attributes: attributes)
        case "ConvTranspose":
            flops = convTransposeFLOPs(inputs: inputs, outputs: outputs, attributes: attributes)
        case "RoiAlign":
            (flops, bytes) = roiAlignCost(inputs: inputs, outputs: outputs, attributes: attributes)
        case "LSTM", "GRU", "RNN":
            flops = recurrentFLOPs(type: type, inputs: inputs, attributes: attributes)
        case "Gemm", "MatMul", "Einsum": flops = matmulFLOPs(type: type, inputs: inputs, outputs: outputs)
        case "BatchNormalization": flops = Saturating.mul(2, outElements)
        case "LayerNormalization", "InstanceNormalization", "GroupNormalization", "LRN":
            flops = Saturating.mul(5, outElements)
        case "MaxPool", "AveragePool", "LpPool":
            let kernel = attributes["kernel_shape"]?.intsValue ?? []
            flops = Saturating.mul(outElements, Saturating.product(kernel))
        case "GlobalAveragePool", "GlobalMaxPool":
            flops = present.first?.elementCount ?? 0
        case "Softmax", "LogSoftmax", "Hardmax": flops = Saturating.mul(5, outElements)
        case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
            "ReduceL2", "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp", "ArgMax", "ArgMin":
            flops = present.first?.elementCount ?? 0
        case "Gather":
            flops = 0
            let indices = inputs.count > 1 ? inputs[1]?.byteCount ?? 0 : 0
            bytes = Saturating.add(indices, Saturating.mul(2, outputs.reduce(0) { Saturating.add($0, $1.byteCount) }))
        case "Resize", "Upsample":
            let mode = attributes["mode"]?.stringValue ?? "nearest"
            flops = mode == "nearest" ? 0 : Saturating.mul(mode == "cubic" ? 16 : 4, outElements)
            bytes = Saturating.add(present.first?.byteCount ?? 0, outputs.reduce(0) { Saturating.add($0, $1.byteCount) })
        default:
            return OpCost(flops: 0, bytes: ioBytes, parameters: parameters, isCosted: false)
        }
        return OpCost(flops: flops, bytes: bytes, parameters: parameters)
    }
}
