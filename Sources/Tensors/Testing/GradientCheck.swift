/// The outcome of `gradientCheck`: the worst disagreement between the tape's gradients and
/// central finite differences.
public struct GradientCheckResult: CustomStringConvertible, Sendable {
    /// The largest `|analytic − numeric| / max(|analytic|, |numeric|, floor)` over all elements.
    public var maxRelativeError: Double
    /// The largest `|analytic − numeric|`.
    public var maxAbsoluteError: Double
    /// Where the worst relative error occurred: (input, element).
    public var worst: (input: Int, element: Int)
    /// The analytic and numeric derivative at the worst element.
    public var worstPair: (analytic: Double, numeric: Double)
    /// Whether `maxRelativeError` is within the tolerance.
    public var passed: Bool

    public var description: String {
        "gradient check \(passed ? "passed" : "FAILED"): max relative error \(maxRelativeError) at input \(worst.input) element \(worst.element) (analytic \(worstPair.analytic), numeric \(worstPair.numeric)); max absolute error \(maxAbsoluteError)"
    }
}

/// Compares reverse-mode gradients of `f` with central finite differences.
///
/// The scalar checked is `L = Σᵢ rᵢ · f(inputs)ᵢ` with fixed pseudo-random weights `r` in
/// [0.5, 1.5) (from `seed`), so every output element matters and symmetric errors do not cancel.
/// The analytic gradient comes from one backward pass seeded with `r`; the numeric one from
/// `(L(x + h) − L(x − h)) / 2h` per input element, where `f` runs in `Float` and the sums and
/// differences are taken in `Double`. Keep inputs away from kinks (ReLU at 0, ties in a max)
/// by more than `epsilon`.
///
/// - Parameters:
///   - inputs: The tensors to differentiate with respect to.
///   - epsilon: The finite-difference step `h`.
///   - tolerance: The largest relative error that passes.
///   - floor: The denominator's lower bound, so tiny gradients are compared absolutely.
///   - f: The computation, from leaf variables of `inputs` to any-shaped output.
public func gradientCheck(
    _ inputs: [Tensor], epsilon: Float = 1e-2, tolerance: Double = 1e-2, floor: Double = 1e-1,
    seed: UInt64 = 0x5EED, _ f: ([Variable]) -> Variable
) -> GradientCheckResult {
    let tape = Tape()
    let leaves = inputs.map { tape.leaf($0) }
    let output = f(leaves)
    var generator = SeededGenerator(seed: seed)
    let weights = Tensor(shape: output.shape, data: (0..<output.value.count).map { _ in
        Float(generator.nextUniform(0.5, 1.5))
    })
    func loss(_ xs: [Tensor]) -> Double {
        let y = f(xs.map { Variable($0) }).value
        var s = 0.0
        for i in 0..<y.count { s += Double(y.data[i]) * Double(weights.data[i]) }
        return s
    }
    var analytic: [Tensor] = inputs.map { Tensor.zeros($0.shape) }
    if output.isRecorded {
        let grads = tape.backward(output, seed: weights)
        for (k, v) in leaves.enumerated() {
            if let g = grads[v] { analytic[k] = g }
        }
    }
    var result = GradientCheckResult(
        maxRelativeError: 0, maxAbsoluteError: 0, worst: (0, 0), worstPair: (0, 0), passed: true)
    var xs = inputs
    for k in 0..<inputs.count {
        for i in 0..<inputs[k].count {
            let x0 = inputs[k].data[i]
            xs[k].data[i] = x0 + epsilon
            let up = loss(xs)
            xs[k].data[i] = x0 - epsilon
            let down = loss(xs)
            xs[k].data[i] = x0
            let h = (Double(x0 + epsilon) - Double(x0 - epsilon))
            let numeric = (up - down) / h
            let a = Double(analytic[k].data[i])
            let absError = abs(a - numeric)
            let relError = absError / max(abs(a), abs(numeric), floor)
            result.maxAbsoluteError = max(result.maxAbsoluteError, absError)
            if relError > result.maxRelativeError {
                result.maxRelativeError = relError
                result.worst = (k, i)
                result.worstPair = (a, numeric)
            }
        }
    }
    result.passed = result.maxRelativeError <= tolerance
    return result
}
