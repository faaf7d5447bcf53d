// Gathers and segment reductions for message passing over a disjoint batch of graphs
// (as in jraph: `x.gather(senders)` for messages, `m.segmentSum(receivers, count: nodes)` to
// aggregate them, `h.segmentMean(nodeGraph, count: graphs)` to read out per graph).

extension Variable {
    /// Rows `indices[i]` of a matrix, stacked. The gradient scatter-adds back to the rows.
    public func gather(_ indices: [Int]) -> Variable {
        let r = rows
        return Tape.record(value.gatherRows(indices), inputs: [self]) { g, _ in
            [g.segmentSum(indices, count: r)]
        }
    }

    /// Per-segment row sums, `[count, cols]`; empty segments give zeros.
    public func segmentSum(_ segments: [Int], count: Int) -> Variable {
        Tape.record(value.segmentSum(segments, count: count), inputs: [self]) { g, _ in
            [g.gatherRows(segments)]
        }
    }

    /// Per-segment row means, `[count, cols]`; empty segments give zeros.
    public func segmentMean(_ segments: [Int], count: Int) -> Variable {
        let n = Tensor.segmentCounts(segments, count: count)
        return Tape.record(value.segmentMean(segments, count: count), inputs: [self]) { g, _ in
            var dx = g.gatherRows(segments)
            let c = dx.cols
            dx.data.withUnsafeMutableBufferPointer { p in
                for (i, s) in segments.enumerated() where n[s] > 1 {
                    let inv = 1 / Float(n[s])
                    for j in 0..<c { p[i * c + j] *= inv }
                }
            }
            return [dx]
        }
    }

    /// Per-segment columnwise maxima, `[count, cols]`; empty segments give zeros. The gradient
    /// of each maximum flows to the row it came from.
    public func segmentMax(_ segments: [Int], count: Int) -> Variable {
        let x = value
        let values = x.segmentMax(segments, count: count)
        let r = rows, c = cols
        return Tape.record(values, inputs: [self]) { g, _ in
            let argmax = x.segmentArgmax(segments, maxima: values)
            var dx = Tensor.zeros([r, c])
            dx.data.withUnsafeMutableBufferPointer { o in
                g.data.withUnsafeBufferPointer { gp in
                    for k in 0..<argmax.count where argmax[k] >= 0 {
                        o[argmax[k] * c + k % c] += gp[k]
                    }
                }
            }
            return [dx]
        }
    }

    /// Softmax of each column within each segment (for example attention scores `[E, heads]`
    /// over the incoming edges of each receiver), numerically stable. Same shape as the input.
    public func segmentSoftmax(_ segments: [Int], count: Int) -> Variable {
        let y = value.segmentSoftmax(segments, count: count)
        return Tape.record(y, inputs: [self]) { g, _ in
            // dx = y ⊙ (dy − Σ_segment dy ⊙ y)
            let gy = Tensor.zip(g, y) { $0 * $1 }
            let sums = gy.segmentSum(segments, count: count).gatherRows(segments)
            return [Tensor.zip3(gy, y, sums) { a, b, s in a - b * s }]
        }
    }
}
