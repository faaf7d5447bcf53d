/// A value in a computation: a tensor plus, when it is being differentiated, its node on a
/// `Tape`. Operations on variables return new variables and record on the tape only when an
/// input is recorded, so the same model code runs for training and (tape-free) inference.
public struct Variable {
    /// The value computed by the forward pass.
    public let value: Tensor
    /// The tape recording this variable, or nil for a constant.
    let tape: Tape?
    /// The node index on `tape` (meaningless for constants).
    let id: Int

    init(value: Tensor, tape: Tape?, id: Int) {
        self.value = value
        self.tape = tape
        self.id = id
    }

    /// A constant: no gradient flows into it.
    public init(_ value: Tensor) {
        self.init(value: value, tape: nil, id: -1)
    }

    /// Whether gradients flow to this variable (it is recorded on a tape).
    public var isRecorded: Bool { tape != nil }

    /// The value's shape.
    public var shape: [Int] { value.shape }
    /// Rows of the value's matrix view.
    public var rows: Int { value.rows }
    /// Columns of the value's matrix view.
    public var cols: Int { value.cols }
}
