/// What a roofline needs to know of a graph, without the graph: each operator's forward FLOPs
/// and bytes and its training multiplier (forward + backward), the optimizer's totals and the
/// memory figures. Small enough to keep beside a graph's features, so a prior for any device
/// can be computed long after the graph itself is gone.
public struct CostProfile: Sendable, Hashable {
    /// Forward FLOPs and bytes of each operator.
    public var flops: [Int]
    public var bytes: [Int]
    /// `1 + backwardMultiplier(ofNode:)`: what training multiplies an operator's cost by.
    public var trainMultiplier: [Int]
    /// One optimizer update (``Optimizer/adam``) over all distinct parameters.
    public var optimizerFLOPs: Int
    public var optimizerBytes: Int
    public var parameterBytes: Int
    /// The largest forward working set of one operator (bytes).
    public var largestWorkingSet: Int
    /// Weights, gradients, optimizer states and saved activations (bytes).
    public var trainingMemoryBytes: Int
    /// The saved activations alone (bytes, at the graph's data types; part of
    /// ``trainingMemoryBytes``).
    public var savedActivationBytes: Int
    /// Operators that compute or move data (each one a kernel launch).
    public var launches: Int
    /// Which library runs each operator's math on tensor cores, if any (what TF32 applies to).
    public var tensorMath: [TensorMath]

    /// Operator `index`'s FLOPs and bytes in `mode` (as ``ModelGraph/nodeCost(_:mode:)``).
    public func cost(_ index: Int, mode: Mode) -> (flops: Int, bytes: Int) {
        guard mode == .train else { return (flops[index], bytes[index]) }
        let m = trainMultiplier[index]
        return (Saturating.mul(flops[index], m), Saturating.mul(bytes[index], m))
    }

    /// Operators.
    public var count: Int { flops.count }
}

extension ModelGraph {
    /// The graph's ``CostProfile``; `train` is `cost(mode: .train)` where the caller has it.
    public func costProfile(train: CostTotals? = nil) -> CostProfile {
        let train = train ?? cost(mode: .train)
        return CostProfile(
            flops: nodes.map(\.cost.flops), bytes: nodes.map(\.cost.bytes),
            trainMultiplier: nodes.indices.map { 1 + backwardMultiplier(ofNode: $0) },
            optimizerFLOPs: train.optimizerFLOPs, optimizerBytes: train.optimizerBytes,
            parameterBytes: tensors.lazy.filter { $0.kind == .parameter }.reduce(0) { $0 + $1.byteCount },
            largestWorkingSet: nodes.map(\.cost.bytes).max() ?? 0,
            trainingMemoryBytes: trainingMemoryBytes(savedActivationBytes: train.savedActivationBytes),
            savedActivationBytes: train.savedActivationBytes,
            launches: nodes.lazy.filter { $0.cost.flops > 0 || $0.cost.bytes > 0 }.count,
            tensorMath: nodes.map { TensorMath(operatorType: $0.type) })
    }
}

/// The operators whose FP32 math can run in TF32 on tensor cores, by the switch that allows it
/// in PyTorch: cuDNN's (convolutions and recurrent cells, `torch.backends.cudnn.allow_tf32`)
/// and cuBLAS's (matrix products, `torch.backends.cuda.matmul.allow_tf32`).
public enum TensorMath: UInt8, Sendable, Hashable {
    case none, cudnn, cublas

    public init(operatorType: String) {
        switch operatorType {
        case "Conv", "ConvTranspose", "LSTM", "GRU", "RNN": self = .cudnn
        case "Gemm", "MatMul", "Einsum": self = .cublas
        default: self = .none
        }
    }
}
