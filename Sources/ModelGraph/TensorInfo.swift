/// A tensor of a ``ModelGraph``: an edge of the graph with its shape and element type.
///
/// Weights are never stored; only their shape. Small integer constants (shape tensors,
/// axes, pads) keep their values in ``intValues`` so that shape inference can use them.
public struct TensorInfo: Codable, Sendable, Hashable {
    /// Index of the tensor in ``ModelGraph/tensors``.
    public var id: Int
    /// Name in the source (ONNX value name, torch.fx node name).
    public var name: String
    /// Dimensions, or `nil` where neither the source nor shape inference knows them.
    public var shape: [Int]?
    /// Element type.
    public var dtype: DType
    /// Role of the tensor.
    public var kind: TensorKind
    /// Values of a small integer constant (at most 64 elements), where known.
    public var intValues: [Int]?
    /// Values of a small floating-point constant (at most 64 elements), where known
    /// (Resize scales).
    public var floatValues: [Double]?

    /// Creates a tensor description.
    public init(
        id: Int, name: String, shape: [Int]?, dtype: DType, kind: TensorKind,
        intValues: [Int]? = nil, floatValues: [Double]? = nil
    ) {
        self.floatValues = floatValues
        self.id = id
        self.name = name
        self.shape = shape
        self.dtype = dtype
        self.kind = kind
        self.intValues = intValues
    }

    /// Number of elements (0 when the shape is unknown; 1 for a scalar).
    public var elementCount: Int {
        guard let shape else { return 0 }
        return Saturating.product(shape.lazy.map { max($0, 0) })
    }

    /// Size in bytes (`elementCount × dtype.byteSize`; 0 when the shape is unknown).
    public var byteCount: Int { Saturating.mul(elementCount, dtype.byteSize) }
}
