/// Gradient clipping by global norm (Pascanu, Mikolov & Bengio 2013, "On the difficulty of
/// training recurrent neural networks").
public enum GradientClipping {
    /// The L2 norm of all parameters' gradients taken together.
    public static func globalNorm(_ parameters: [Parameter]) -> Float {
        var s = 0.0
        for p in parameters {
            guard let g = p.grad else { continue }
            for x in g.data { s += Double(x) * Double(x) }
        }
        return Float(s.squareRoot())
    }

    /// Scales every gradient by `maxNorm / norm` when the global norm exceeds `maxNorm`, so the
    /// clipped norm equals `maxNorm`. Returns the norm before clipping.
    @discardableResult
    public static func clipByGlobalNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
        let norm = globalNorm(parameters)
        guard norm > maxNorm, norm > 0 else { return norm }
        let factor = maxNorm / norm
        for p in parameters where p.grad != nil {
            p.grad!.scale(by: factor)
        }
        return norm
    }
}
