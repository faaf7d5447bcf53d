/// A trainable tensor owned by a model. Optimizers update `value` in place from `grad`, which
/// `Tape.backward` accumulates into (clear it with `zeroGrad()` between steps).
public final class Parameter {
    /// A name for checkpoints and diagnostics (for example `"gnn.layer0.weight"`).
    public let name: String
    /// The current value.
    public var value: Tensor
    /// The accumulated gradient of the last backward passes, or nil when none has run.
    public var grad: Tensor?

    /// A parameter with an initial value.
    public init(_ value: Tensor, name: String = "") {
        self.value = value
        self.name = name
    }

    /// Forgets the accumulated gradient.
    public func zeroGrad() { grad = nil }
}
