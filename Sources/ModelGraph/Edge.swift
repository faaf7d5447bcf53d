/// A data dependency: `producer` writes tensor `tensor`, which `consumer` reads.
/// Node indices refer to ``ModelGraph/nodes``; the tensor id to ``ModelGraph/tensors``.
public struct Edge: Codable, Sendable, Hashable {
    /// Index of the producing node.
    public var producer: Int
    /// Index of the consuming node.
    public var consumer: Int
    /// Id of the tensor carried.
    public var tensor: Int

    /// Creates an edge.
    public init(producer: Int, consumer: Int, tensor: Int) {
        self.producer = producer
        self.consumer = consumer
        self.tensor = tensor
    }
}
