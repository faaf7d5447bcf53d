/// A dense, row-major tensor of `Float` with value semantics.
///
/// Storage is one flat array; `shape` lists the extents, outermost first. Most operations view a
/// tensor as a matrix: rank 0 is `[1, 1]`, rank 1 `[n]` is a row `[1, n]`, rank 2 is itself.
/// Ranks above 2 are storable (for example in safetensors files) but the operations reject them.
public struct Tensor: Equatable, Sendable {
    /// The extents, outermost first. `[]` is a scalar.
    public var shape: [Int]
    /// The elements in row-major order; `data.count` equals the product of `shape`.
    public var data: [Float]

    /// A tensor from a shape and its row-major elements.
    public init(shape: [Int], data: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative extent in \(shape)")
        precondition(
            shape.reduce(1, *) == data.count,
            "Tensor: shape \(shape) needs \(shape.reduce(1, *)) elements, got \(data.count)")
        self.shape = shape
        self.data = data
    }

    /// A tensor whose elements all equal `value`.
    public init(shape: [Int], repeating value: Float) {
        self.init(shape: shape, data: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// A rank-0 tensor holding one value.
    public init(scalar: Float) {
        self.init(shape: [], data: [scalar])
    }

    /// A matrix from its rows; every row must have the same length.
    public init(_ rows: [[Float]]) {
        let cols = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == cols }, "Tensor: ragged rows")
        self.init(shape: [rows.count, cols], data: rows.flatMap { $0 })
    }

    /// A tensor filled by `body`, which must initialize every element of the buffer it is given.
    @inlinable @inline(__always)
    public init(
        shape: [Int], unsafeUninitialized body: (UnsafeMutableBufferPointer<Float>) -> Void
    ) {
        let count = shape.reduce(1, *)
        self.shape = shape
        self.data = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            body(buffer)
            initialized = count
        }
    }

    /// All zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }

    /// All ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }

    /// The number of elements.
    @inlinable public var count: Int { data.count }

    /// The number of dimensions.
    @inlinable public var rank: Int { shape.count }

    /// Rows of the matrix view (1 for ranks 0 and 1).
    @inlinable public var rows: Int {
        switch shape.count {
        case 0, 1: return 1
        case 2: return shape[0]
        default: preconditionFailure("Tensor: rank \(shape.count) has no matrix view")
        }
    }

    /// Columns of the matrix view (1 for rank 0, `n` for rank 1).
    @inlinable public var cols: Int {
        switch shape.count {
        case 0: return 1
        case 1: return shape[0]
        case 2: return shape[1]
        default: preconditionFailure("Tensor: rank \(shape.count) has no matrix view")
        }
    }

    /// The single element of a one-element tensor.
    public var scalar: Float {
        precondition(count == 1, "Tensor.scalar: shape \(shape) has \(count) elements")
        return data[0]
    }

    /// The element at (row, column) of the matrix view.
    public subscript(row: Int, col: Int) -> Float {
        get { data[row * cols + col] }
        set { data[row * cols + col] = newValue }
    }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(
            newShape.reduce(1, *) == count, "Tensor.reshaped: \(shape) to \(newShape)")
        var t = self
        t.shape = newShape
        return t
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = data.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(\(shape): [\(shown)\(count > 8 ? ", …" : "")])"
    }
}
