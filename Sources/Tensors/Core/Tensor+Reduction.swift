// Reductions over all elements or along one axis of the matrix view.

extension Tensor {
    /// The sum of all elements, accumulated in `Double`.
    public func sumAll() -> Float {
        data.withUnsafeBufferPointer { p in
            var s = 0.0
            for x in p { s += Double(x) }
            return Float(s)
        }
    }

    /// Sums along `axis` of the matrix view: axis 0 gives `[1, cols]`, axis 1 gives `[rows, 1]`.
    public func sum(axis: Int) -> Tensor {
        let r = rows, c = cols
        switch axis {
        case 0:
            var out = [Float](repeating: 0, count: c)
            out.withUnsafeMutableBufferPointer { o in
                data.withUnsafeBufferPointer { p in
                    for i in 0..<r {
                        let base = i * c
                        for j in 0..<c { o[j] += p[base + j] }
                    }
                }
            }
            return Tensor(shape: [1, c], data: out)
        case 1:
            return Tensor(shape: [r, 1]) { o in
                data.withUnsafeBufferPointer { p in
                    for i in 0..<r {
                        var s: Float = 0
                        let base = i * c
                        for j in 0..<c { s += p[base + j] }
                        o[i] = s
                    }
                }
            }
        default:
            preconditionFailure("Tensor.sum: axis \(axis) is not 0 or 1")
        }
    }

    /// Repeats a `[1, c]` row `r` times or a `[r, 1]` column `c` times (broadcasts to `[r, c]`).
    func expanded(rows r: Int, cols c: Int) -> Tensor {
        Tensor.broadcast(Tensor.zeros([r, c]), self) { _, y in y }
    }
}
