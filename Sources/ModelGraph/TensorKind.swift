/// The role of a tensor in a graph.
public enum TensorKind: String, Codable, Sendable {
    /// A graph input fed at run time (images, token ids).
    case input
    /// A trainable weight (ONNX initializer in a weight slot, torch `get_attr` `.weight`/`.bias`).
    case parameter
    /// A constant that is not trained: shape tensors, BatchNorm running statistics, buffers.
    case constant
    /// An intermediate value produced by an operator.
    case activation
}
