// Joining matrices along rows or columns, and cutting column ranges back out.

extension Tensor {
    /// Matrices joined along `axis`: 0 stacks rows (equal column counts), 1 places columns side
    /// by side (equal row counts).
    public static func concat(_ parts: [Tensor], axis: Int) -> Tensor {
        precondition(!parts.isEmpty, "concat: no tensors")
        switch axis {
        case 0:
            let c = parts[0].cols
            precondition(parts.allSatisfy { $0.cols == c }, "concat rows: column counts differ")
            var data = [Float]()
            data.reserveCapacity(parts.reduce(0) { $0 + $1.count })
            for p in parts { data.append(contentsOf: p.data) }
            return Tensor(shape: [parts.reduce(0) { $0 + $1.rows }, c], data: data)
        case 1:
            let r = parts[0].rows
            precondition(parts.allSatisfy { $0.rows == r }, "concat columns: row counts differ")
            let total = parts.reduce(0) { $0 + $1.cols }
            return Tensor(shape: [r, total]) { out in
                var offset = 0
                for part in parts {
                    let c = part.cols
                    part.data.withUnsafeBufferPointer { p in
                        guard c > 0, let src = p.baseAddress, let dst = out.baseAddress else { return }
                        for i in 0..<r { (dst + i * total + offset).update(from: src + i * c, count: c) }
                    }
                    offset += c
                }
            }
        default:
            preconditionFailure("concat: axis \(axis) is not 0 or 1")
        }
    }

    /// Columns `range` of a matrix.
    public func columns(_ range: Range<Int>) -> Tensor {
        let r = rows, c = cols, w = range.count
        precondition(range.lowerBound >= 0 && range.upperBound <= c, "columns: \(range) outside 0..<\(c)")
        return Tensor(shape: [r, w]) { out in
            data.withUnsafeBufferPointer { p in
                for i in 0..<r {
                    let o = i * w, s = i * c + range.lowerBound
                    for j in 0..<w { out[o + j] = p[s + j] }
                }
            }
        }
    }

    /// Rows `range` of a matrix.
    public func rows(_ range: Range<Int>) -> Tensor {
        let c = cols
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows: \(range) outside 0..<\(rows)")
        return Tensor(shape: [range.count, c], data: Array(data[(range.lowerBound * c)..<(range.upperBound * c)]))
    }
}
