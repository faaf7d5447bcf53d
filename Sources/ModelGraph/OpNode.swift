/// An operator of a ``ModelGraph``.
///
/// Operator types use the ONNX operator names (https://onnx.ai/onnx/operators/) whatever
/// the source, so that ONNX, NAS-Bench-201 and NeuSight graphs share one vocabulary.
public struct OpNode: Codable, Sendable, Hashable {
    /// Name in the source (may be empty in ONNX files).
    public var name: String
    /// Operator type, e.g. `Conv`, `MatMul`, `Relu`.
    public var type: String
    /// Attributes (ONNX attributes, or builder hyper-parameters with the same names).
    public var attributes: [String: AttributeValue]
    /// Input tensor ids, in operator argument order; `nil` marks an omitted optional input.
    public var inputs: [Int?]
    /// Output tensor ids.
    public var outputs: [Int]
    /// Forward cost (FLOPs, bytes, parameters); see ``ModelGraph/cost(mode:)`` for training.
    public var cost: OpCost
    /// Measured latency, where the source has one (NeuSight).
    public var measured: MeasuredLatency?

    /// Creates an operator; `cost` is usually filled in by ``ModelGraph``'s builders.
    public init(
        name: String, type: String, attributes: [String: AttributeValue] = [:],
        inputs: [Int?], outputs: [Int], cost: OpCost = .zero, measured: MeasuredLatency? = nil
    ) {
        self.name = name
        self.type = type
        self.attributes = attributes
        self.inputs = inputs
        self.outputs = outputs
        self.cost = cost
        self.measured = measured
    }

    /// Floating-point operations of the forward pass.
    public var flops: Int { cost.flops }
    /// Bytes moved by the forward pass.
    public var bytes: Int { cost.bytes }
    /// Trainable parameters of this operator.
    public var parameters: Int { cost.parameters }

    /// The ids of the inputs that are present.
    public var presentInputs: [Int] { inputs.compactMap { $0 } }
}
