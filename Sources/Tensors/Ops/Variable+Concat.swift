// Concatenation along rows or columns, and column slices.

extension Variable {
    /// Matrices joined along `axis` (0: rows, 1: columns).
    public static func concat(_ parts: [Variable], axis: Int) -> Variable {
        let extents = parts.map { axis == 0 ? $0.rows : $0.cols }
        return Tape.record(Tensor.concat(parts.map(\.value), axis: axis), inputs: parts) { g, needs in
            var out = [Tensor?]()
            var offset = 0
            for (k, e) in extents.enumerated() {
                let range = offset..<(offset + e)
                out.append(needs[k] ? (axis == 0 ? g.rows(range) : g.columns(range)) : nil)
                offset += e
            }
            return out
        }
    }

    /// Columns `range` of a matrix.
    public func columns(_ range: Range<Int>) -> Variable {
        let r = rows, c = cols
        return Tape.record(value.columns(range), inputs: [self]) { g, _ in
            var full = Tensor.zeros([r, c])
            let w = range.count
            full.data.withUnsafeMutableBufferPointer { o in
                g.data.withUnsafeBufferPointer { p in
                    for i in 0..<r {
                        for j in 0..<w { o[i * c + range.lowerBound + j] = p[i * w + j] }
                    }
                }
            }
            return [full]
        }
    }
}
