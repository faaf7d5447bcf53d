// Row gathers and segment reductions: the message-passing kernels of graph networks over a
// batch of graphs stored as one disjoint graph (rows grouped by an integer segment id).

extension Tensor {
    /// Rows `indices[i]` of a matrix, stacked: `[indices.count, cols]`.
    public func gatherRows(_ indices: [Int]) -> Tensor {
        let r = rows, c = cols
        return Tensor(shape: [indices.count, c]) { out in
            data.withUnsafeBufferPointer { p in
                guard c > 0, let base = p.baseAddress, let dst = out.baseAddress else { return }
                for (i, src) in indices.enumerated() {
                    precondition(src >= 0 && src < r, "gather: index \(src) outside 0..<\(r)")
                    (dst + i * c).update(from: base + src * c, count: c)
                }
            }
        }
    }

    /// Sums the rows with equal segment id: row `s` of the `[count, cols]` result is the sum of
    /// the rows `i` with `segments[i] == s`; empty segments give zeros.
    public func segmentSum(_ segments: [Int], count: Int) -> Tensor {
        let r = rows, c = cols
        precondition(segments.count == r, "segmentSum: \(segments.count) ids for \(r) rows")
        var out = [Float](repeating: 0, count: count * c)
        out.withUnsafeMutableBufferPointer { o in
            data.withUnsafeBufferPointer { p in
                for i in 0..<r {
                    let s = segments[i]
                    precondition(s >= 0 && s < count, "segment id \(s) outside 0..<\(count)")
                    let ob = s * c, ib = i * c
                    for j in 0..<c { o[ob + j] += p[ib + j] }
                }
            }
        }
        return Tensor(shape: [count, c], data: out)
    }

    /// The number of rows in each segment.
    static func segmentCounts(_ segments: [Int], count: Int) -> [Int] {
        var n = [Int](repeating: 0, count: count)
        for s in segments {
            precondition(s >= 0 && s < count, "segment id \(s) outside 0..<\(count)")
            n[s] += 1
        }
        return n
    }

    /// The mean of the rows of each segment; empty segments give zeros.
    public func segmentMean(_ segments: [Int], count: Int) -> Tensor {
        var out = segmentSum(segments, count: count)
        let n = Tensor.segmentCounts(segments, count: count)
        let c = cols
        out.data.withUnsafeMutableBufferPointer { o in
            for s in 0..<count where n[s] > 1 {
                let inv = 1 / Float(n[s])
                for j in 0..<c { o[s * c + j] *= inv }
            }
        }
        return out
    }

    /// The columnwise maximum of the rows of each segment; empty segments give zeros.
    public func segmentMax(_ segments: [Int], count: Int) -> Tensor {
        let r = rows, c = cols
        precondition(segments.count == r, "segmentMax: \(segments.count) ids for \(r) rows")
        var out = [Float](repeating: -.infinity, count: count * c)
        out.withUnsafeMutableBufferPointer { o in
            data.withUnsafeBufferPointer { p in
                for i in 0..<r {
                    let s = segments[i]
                    precondition(s >= 0 && s < count, "segment id \(s) outside 0..<\(count)")
                    let ob = s * c, ib = i * c
                    for j in 0..<c { o[ob + j] = max(o[ob + j], p[ib + j]) }
                }
            }
        }
        for (s, n) in Tensor.segmentCounts(segments, count: count).enumerated() where n == 0 {
            for j in 0..<c { out[s * c + j] = 0 }
        }
        return Tensor(shape: [count, c], data: out)
    }

    /// For each element of `segmentMax(segments, count:)` (here `maxima`), the first row that
    /// attains it, or -1 for empty segments; laid out like `maxima`.
    func segmentArgmax(_ segments: [Int], maxima: Tensor) -> [Int] {
        let r = rows, c = cols
        var arg = [Int](repeating: -1, count: maxima.count)
        arg.withUnsafeMutableBufferPointer { a in
            maxima.data.withUnsafeBufferPointer { m in
                data.withUnsafeBufferPointer { p in
                    for i in 0..<r {
                        let ob = segments[i] * c, ib = i * c
                        for j in 0..<c where a[ob + j] < 0 && p[ib + j] == m[ob + j] {
                            a[ob + j] = i
                        }
                    }
                }
            }
        }
        return arg
    }

    /// Softmax of each column within each segment (numerically stable: the segment's maximum is
    /// subtracted before exponentiating). The result has this tensor's shape.
    public func segmentSoftmax(_ segments: [Int], count: Int) -> Tensor {
        let r = rows, c = cols
        let maxima = segmentMax(segments, count: count)
        var sums = [Float](repeating: 0, count: count * c)
        var out = Tensor(shape: shape) { o in
            data.withUnsafeBufferPointer { p in
                maxima.data.withUnsafeBufferPointer { m in
                    sums.withUnsafeMutableBufferPointer { z in
                        for i in 0..<r {
                            let sb = segments[i] * c, ib = i * c
                            for j in 0..<c {
                                let e = fexp(p[ib + j] - m[sb + j])
                                o[ib + j] = e
                                z[sb + j] += e
                            }
                        }
                    }
                }
            }
        }
        for k in 0..<sums.count where sums[k] > 0 { sums[k] = 1 / sums[k] }
        out.data.withUnsafeMutableBufferPointer { o in
            sums.withUnsafeBufferPointer { z in
                for i in 0..<r {
                    let sb = segments[i] * c, ib = i * c
                    for j in 0..<c { o[ib + j] *= z[sb + j] }
                }
            }
        }
        return out
    }
}
