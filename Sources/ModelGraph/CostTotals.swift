/// Whole-graph cost of one iteration (see ``ModelGraph/cost(mode:optimizer:)``).
public struct CostTotals: Codable, Sendable, Hashable {
    /// The mode these totals describe.
    public var mode: Mode
    /// Forward FLOPs (multiply-accumulate = 2).
    public var forwardFLOPs: Int
    /// Backward FLOPs (0 for `.infer`).
    public var backwardFLOPs: Int
    /// Optimizer-update FLOPs (0 for `.infer`).
    public var optimizerFLOPs: Int
    /// Forward bytes moved.
    public var forwardBytes: Int
    /// Backward bytes moved (0 for `.infer`).
    public var backwardBytes: Int
    /// Optimizer bytes moved (0 for `.infer`).
    public var optimizerBytes: Int
    /// Distinct trainable parameters.
    public var parameters: Int
    /// Bytes of activations saved for the backward pass (0 for `.infer`).
    public var savedActivationBytes: Int

    /// Total FLOPs of the iteration.
    public var flops: Int { forwardFLOPs + backwardFLOPs + optimizerFLOPs }
    /// Total bytes moved in the iteration.
    public var bytes: Int { forwardBytes + backwardBytes + optimizerBytes }
}
