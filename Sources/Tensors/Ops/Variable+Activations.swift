// Elementwise nonlinearities. Each pullback is one fused loop over (gradient, input, output).

extension Variable {
    /// Records a unary op whose derivative is a function of input `x` and output `y`.
    @inline(__always)
    func unary(
        _ forward: (Float) -> Float, derivative: @escaping (Float, Float) -> Float
    ) -> Variable {
        let x = value
        let y = x.map(forward)
        return Tape.record(y, inputs: [self]) { g, _ in
            [Tensor.zip3(g, x, y) { gv, xv, yv in gv * derivative(xv, yv) }]
        }
    }

    /// Pseudo-Huber loss of a residual, δ²(√(1 + (x/δ)²) − 1) (Charbonnier et al. 1994): quadratic
    /// near 0, linear beyond δ, so a few damaged labels cannot dominate a fit.
    public func pseudoHuber(delta: Float = 1) -> Variable {
        let d2 = delta * delta
        return unary({ x in d2 * ((1 + x * x / d2).squareRoot() - 1) },
                     derivative: { x, _ in x / (1 + x * x / d2).squareRoot() })
    }

    /// max(x, 0) (Nair & Hinton 2010).
    public func relu() -> Variable {
        unary({ max($0, 0) }, derivative: { x, _ in x > 0 ? 1 : 0 })
    }

    /// x for x > 0, `slope`·x otherwise (Maas et al. 2013).
    public func leakyRelu(slope: Float = 0.01) -> Variable {
        unary({ $0 > 0 ? $0 : slope * $0 }, derivative: { x, _ in x > 0 ? 1 : slope })
    }

    /// x for x > 0, α(eˣ − 1) otherwise (Clevert et al. 2016).
    public func elu(alpha: Float = 1) -> Variable {
        unary({ $0 > 0 ? $0 : alpha * (fexp($0) - 1) }, derivative: { x, y in x > 0 ? 1 : y + alpha })
    }

    /// GELU with the tanh approximation, ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
    /// (Hendrycks & Gimpel 2016).
    public func gelu() -> Variable {
        let k: Float = 0.797_884_560_802_865_4  // √(2/π)
        return unary(
            { x in 0.5 * x * (1 + ftanh(k * (x + 0.044715 * x * x * x))) },
            derivative: { x, _ in
                let t = ftanh(k * (x + 0.044715 * x * x * x))
                return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * 0.044715 * x * x)
            })
    }

    /// 1 / (1 + e⁻ˣ).
    public func sigmoid() -> Variable {
        unary(
            { x in 1 / (1 + fexp(-x)) },
            derivative: { _, y in y * (1 - y) })
    }

    /// The hyperbolic tangent.
    public func tanh() -> Variable {
        unary({ ftanh($0) }, derivative: { _, y in 1 - y * y })
    }

    /// eˣ.
    public func exp() -> Variable {
        unary({ fexp($0) }, derivative: { _, y in y })
    }

    /// The natural logarithm (inputs must be positive).
    public func log() -> Variable {
        unary({ flog($0) }, derivative: { x, _ in 1 / x })
    }
}
