/// The per-parameter state and update rule shared by `Adam` and `AdamW`.
struct AdamMoments {
    var first: [[Float]]
    var second: [[Float]]
    var step = 0

    init(_ parameters: [Parameter]) {
        first = parameters.map { [Float](repeating: 0, count: $0.value.count) }
        second = first
    }

    /// One Adam update of every parameter with a gradient. `l2` adds `l2·θ` to the gradient
    /// (coupled decay, Adam); `decoupled` shrinks θ by `lr·decoupled` first (AdamW).
    mutating func update(
        _ parameters: [Parameter], lr: Float, beta1: Float, beta2: Float, epsilon: Float,
        l2: Float, decoupled: Float
    ) {
        step += 1
        let c1 = 1 - Float(Double(beta1).power(step))
        let c2 = 1 - Float(Double(beta2).power(step))
        let shrink = 1 - lr * decoupled
        for (k, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            precondition(g.count == p.value.count, "Adam: gradient of \(p.name) has the wrong size")
            p.value.data.withUnsafeMutableBufferPointer { w in
                g.data.withUnsafeBufferPointer { gp in
                    first[k].withUnsafeMutableBufferPointer { m in
                        second[k].withUnsafeMutableBufferPointer { v in
                            for i in 0..<w.count {
                                let gi = gp[i] + l2 * w[i]
                                m[i] = beta1 * m[i] + (1 - beta1) * gi
                                v[i] = beta2 * v[i] + (1 - beta2) * gi * gi
                                let mh = m[i] / c1, vh = v[i] / c2
                                w[i] = w[i] * shrink - lr * mh / (vh.squareRoot() + epsilon)
                            }
                        }
                    }
                }
            }
        }
    }
}

extension Double {
    /// `self` raised to a non-negative integer power.
    func power(_ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<n { r *= self }
        return r
    }
}
