// Layer normalization over the columns of each row (Ba, Kiros & Hinton 2016).

extension Variable {
    /// Normalizes each row to zero mean and unit variance, then applies a learnable gain and
    /// bias: `y = (x − μ) / √(σ² + ε) · gain + bias` with `gain` and `bias` of shape `[1, F]`
    /// or `[F]` (Ba, Kiros & Hinton 2016, "Layer Normalization").
    public func layerNorm(gain: Variable, bias: Variable, epsilon: Float = 1e-5) -> Variable {
        let x = value, r = rows, c = cols
        precondition(gain.value.count == c && bias.value.count == c, "layerNorm: gain/bias need \(c) elements")
        var xhat = Tensor.zeros(x.shape)
        var invStd = [Float](repeating: 0, count: r)
        let gv = gain.value, bv = bias.value
        let y = Tensor(shape: x.shape) { out in
            x.data.withUnsafeBufferPointer { p in
                xhat.data.withUnsafeMutableBufferPointer { h in
                    gv.data.withUnsafeBufferPointer { gp in
                        bv.data.withUnsafeBufferPointer { bp in
                            for i in 0..<r {
                                let base = i * c
                                var mean: Float = 0
                                for j in 0..<c { mean += p[base + j] }
                                mean /= Float(c)
                                var v: Float = 0
                                for j in 0..<c {
                                    let d = p[base + j] - mean
                                    v += d * d
                                }
                                let s = 1 / (v / Float(c) + epsilon).squareRoot()
                                invStd[i] = s
                                for j in 0..<c {
                                    let n = (p[base + j] - mean) * s
                                    h[base + j] = n
                                    out[base + j] = n * gp[j] + bp[j]
                                }
                            }
                        }
                    }
                }
            }
        }
        let gs = gain.shape, bs = bias.shape
        return Tape.record(y, inputs: [self, gain, bias]) { g, needs in
            var dx: Tensor?
            if needs[0] {
                // dx = s · (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂)), with ĝ = dy ⊙ gain.
                dx = Tensor(shape: x.shape) { out in
                    g.data.withUnsafeBufferPointer { gp in
                        xhat.data.withUnsafeBufferPointer { h in
                            gv.data.withUnsafeBufferPointer { w in
                                for i in 0..<r {
                                    let base = i * c
                                    var m1: Float = 0, m2: Float = 0
                                    for j in 0..<c {
                                        let gh = gp[base + j] * w[j]
                                        m1 += gh
                                        m2 += gh * h[base + j]
                                    }
                                    m1 /= Float(c)
                                    m2 /= Float(c)
                                    let s = invStd[i]
                                    for j in 0..<c {
                                        out[base + j] = s * (gp[base + j] * w[j] - m1 - h[base + j] * m2)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            let dGain = needs[1] ? Tensor.zip(g, xhat) { $0 * $1 }.sum(axis: 0).reshaped(gs) : nil
            let dBias = needs[2] ? g.sum(axis: 0).reshaped(bs) : nil
            return [dx, dGain, dBias]
        }
    }
}
