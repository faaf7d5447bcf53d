import Testing
@testable import Tensors

/// A deterministic tensor with entries uniform in ±`scale`, at least `margin` away from 0 (so
/// kinks at 0 stay farther than the finite-difference step).
func randomTensor(
    _ shape: [Int], seed: UInt64, scale: Float = 1, margin: Float = 0.05
) -> Tensor {
    var g = SeededGenerator(seed: seed)
    var t = Tensor.zeros(shape)
    for i in 0..<t.count {
        let u = Float(g.nextUniform(Double(margin), Double(scale)))
        t.data[i] = g.next() & 1 == 0 ? u : -u
    }
    return t
}

/// A tensor with positive entries in [lower, upper).
func positiveTensor(_ shape: [Int], seed: UInt64, lower: Float = 0.5, upper: Float = 2) -> Tensor {
    var g = SeededGenerator(seed: seed)
    return Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in
        Float(g.nextUniform(Double(lower), Double(upper)))
    })
}

/// Distinct values spaced by 0.1 in a shuffled order (no ties for max, even after ±h).
func distinctTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    var g = SeededGenerator(seed: seed)
    let n = shape.reduce(1, *)
    var values = (0..<n).map { Float($0) * 0.1 - Float(n) * 0.05 }
    values.shuffle(using: &g)
    return Tensor(shape: shape, data: values)
}

/// Records a failed expectation with the check's description when the gradients disagree.
func expectGradient(
    _ inputs: [Tensor], tolerance: Double = 1e-2, epsilon: Float = 1e-2,
    sourceLocation: SourceLocation = #_sourceLocation, _ f: ([Variable]) -> Variable
) {
    let result = gradientCheck(inputs, epsilon: epsilon, tolerance: tolerance, f)
    #expect(result.passed, "\(result)", sourceLocation: sourceLocation)
}

/// A naive triple-loop product for comparison with BLAS.
func naiveMatmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    let m = a.shape[0], k = a.shape[1], n = b.shape[1]
    var c = Tensor.zeros([m, n])
    for i in 0..<m {
        for j in 0..<n {
            var s: Double = 0
            for p in 0..<k { s += Double(a[i, p]) * Double(b[p, j]) }
            c[i, j] = Float(s)
        }
    }
    return c
}

func close(_ a: Tensor, _ b: Tensor, tolerance: Float = 1e-5) -> Bool {
    a.shape == b.shape && zip(a.data, b.data).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
}
