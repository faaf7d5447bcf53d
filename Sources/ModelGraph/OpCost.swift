/// Forward (inference) cost of one operator.
///
/// Conventions (see Sources/ModelGraph/README.md): one multiply-accumulate counts as
/// 2 FLOPs; `bytes` is what the operator reads plus what it writes, tensors counted whole
/// (weights included), views (Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout at
/// inference) count 0.
public struct OpCost: Codable, Sendable, Hashable {
    /// Floating-point operations of the forward pass.
    public var flops: Int
    /// Bytes read and written by the forward pass.
    public var bytes: Int
    /// Trainable parameters consumed by this operator (elements of its parameter inputs).
    public var parameters: Int
    /// Whether the cost model knows this operator type (false: FLOPs are 0 and bytes are
    /// the sizes of its tensors; see ``ModelGraph/uncostedOperators()``).
    public var isCosted: Bool

    /// Creates a cost.
    public init(flops: Int = 0, bytes: Int = 0, parameters: Int = 0, isCosted: Bool = true) {
        self.flops = flops
        self.bytes = bytes
        self.parameters = parameters
        self.isCosted = isCosted
    }

    /// Zero cost of a known operator.
    public static let zero = OpCost()
}
