// Elementwise binary kernels with matrix broadcasting (NumPy rules restricted to rank ≤ 2):
// along each of the two matrix dimensions the extents must match or one of them must be 1.

extension Tensor {
    /// The shape of `op(a, b)` under broadcasting, or nil when the shapes are incompatible.
    public static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
        if a == b { return a }
        guard a.count <= 2, b.count <= 2 else { return nil }
        let ta = Tensor.matrixExtents(a), tb = Tensor.matrixExtents(b)
        guard ta.0 == tb.0 || ta.0 == 1 || tb.0 == 1,
            ta.1 == tb.1 || ta.1 == 1 || tb.1 == 1
        else { return nil }
        let r = max(ta.0, tb.0), c = max(ta.1, tb.1)
        switch max(a.count, b.count) {
        case 0: return []
        case 1: return [c]
        default: return [r, c]
        }
    }

    /// (rows, cols) of the matrix view of a shape.
    @inlinable
    static func matrixExtents(_ s: [Int]) -> (Int, Int) {
        switch s.count {
        case 0: return (1, 1)
        case 1: return (1, s[0])
        default: return (s[0], s[1])
        }
    }

    /// `op` applied elementwise with broadcasting. Inlined so that `op` is too.
    @inline(__always)
    static func broadcast(_ a: Tensor, _ b: Tensor, _ op: (Float, Float) -> Float) -> Tensor {
        guard let shape = broadcastShape(a.shape, b.shape) else {
            preconditionFailure("Tensor: cannot broadcast \(a.shape) with \(b.shape)")
        }
        if a.shape == b.shape {
            return Tensor(shape: shape) { out in
                a.data.withUnsafeBufferPointer { pa in
                    b.data.withUnsafeBufferPointer { pb in
                        for i in 0..<out.count { out[i] = op(pa[i], pb[i]) }
                    }
                }
            }
        }
        let (ar, ac) = matrixExtents(a.shape), (br, bc) = matrixExtents(b.shape)
        let (r, c) = matrixExtents(shape)
        let aRow = ar == 1 ? 0 : ac, bRow = br == 1 ? 0 : bc
        return Tensor(shape: shape) { out in
            a.data.withUnsafeBufferPointer { pa in
                b.data.withUnsafeBufferPointer { pb in
                    for i in 0..<r {
                        let o = i * c, ia = i * aRow, ib = i * bRow
                        switch (ac == c, bc == c) {
                        case (true, true):
                            for j in 0..<c { out[o + j] = op(pa[ia + j], pb[ib + j]) }
                        case (true, false):
                            let y = pb[ib]
                            for j in 0..<c { out[o + j] = op(pa[ia + j], y) }
                        case (false, true):
                            let x = pa[ia]
                            for j in 0..<c { out[o + j] = op(x, pb[ib + j]) }
                        case (false, false):
                            let v = op(pa[ia], pb[ib])
                            for j in 0..<c { out[o + j] = v }
                        }
                    }
                }
            }
        }
    }

    /// `op` applied to every element.
    @inline(__always)
    func map(_ op: (Float) -> Float) -> Tensor {
        Tensor(shape: shape) { out in
            data.withUnsafeBufferPointer { p in
                for i in 0..<out.count { out[i] = op(p[i]) }
            }
        }
    }

    /// `op` applied to matching elements of two same-shaped tensors.
    @inline(__always)
    static func zip(_ a: Tensor, _ b: Tensor, _ op: (Float, Float) -> Float) -> Tensor {
        precondition(a.count == b.count, "Tensor.zip: \(a.shape) vs \(b.shape)")
        return Tensor(shape: a.shape) { out in
            a.data.withUnsafeBufferPointer { pa in
                b.data.withUnsafeBufferPointer { pb in
                    for i in 0..<out.count { out[i] = op(pa[i], pb[i]) }
                }
            }
        }
    }

    /// `op` applied to matching elements of three same-shaped tensors.
    @inline(__always)
    static func zip3(
        _ a: Tensor, _ b: Tensor, _ c: Tensor, _ op: (Float, Float, Float) -> Float
    ) -> Tensor {
        precondition(a.count == b.count && b.count == c.count, "Tensor.zip3: shape mismatch")
        return Tensor(shape: a.shape) { out in
            a.data.withUnsafeBufferPointer { pa in
                b.data.withUnsafeBufferPointer { pb in
                    c.data.withUnsafeBufferPointer { pc in
                        for i in 0..<out.count { out[i] = op(pa[i], pb[i], pc[i]) }
                    }
                }
            }
        }
    }

    /// Sums a broadcast result back down to `target` (the inverse of broadcasting, used by
    /// gradients of broadcasting operations).
    func reduced(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        let (tr, tc) = Tensor.matrixExtents(target)
        var t = self
        if rows != tr {
            precondition(tr == 1, "Tensor.reduced: \(shape) to \(target)")
            t = t.sum(axis: 0)
        }
        if t.cols != tc {
            precondition(tc == 1, "Tensor.reduced: \(shape) to \(target)")
            t = t.sum(axis: 1)
        }
        return t.reshaped(target)
    }

    /// Adds `other` (same element count) into this tensor in place.
    public mutating func add(_ other: Tensor) {
        precondition(count == other.count, "Tensor.add: \(shape) vs \(other.shape)")
        data.withUnsafeMutableBufferPointer { p in
            other.data.withUnsafeBufferPointer { q in
                for i in 0..<p.count { p[i] += q[i] }
            }
        }
    }

    /// Multiplies every element by `factor` in place.
    public mutating func scale(by factor: Float) {
        data.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] *= factor }
        }
    }
}

extension Tensor {
    /// Elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) -> Tensor { broadcast(a, b) { $0 + $1 } }
    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor { broadcast(a, b) { $0 - $1 } }
    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor { broadcast(a, b) { $0 * $1 } }
    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor { broadcast(a, b) { $0 / $1 } }
    /// Every element times `s`.
    public static func * (a: Tensor, s: Float) -> Tensor { a.map { $0 * s } }
}
