import Testing
@testable import Tensors

/// The fixed-order kernel (`MatrixProducts.fixedOrder`) computes exactly the sum it documents.
@Suite struct FixedOrderProductTests {
    /// Every element is `((0 + a[i,0]·b[0,j]) + a[i,1]·b[1,j]) + …` in Float, k ascending, with
    /// no fused multiply-add: bit for bit, for every transposition, and within rounding of BLAS.
    @Test(arguments: [(1, 1, 1), (3, 5, 4), (6, 19, 5), (17, 9, 33), (64, 32, 96), (83, 4, 96)])
    func everyElementIsTheAscendingFloatSum(m: Int, n: Int, k: Int) {
        let a = randomTensor([m, k], seed: UInt64(m + 7), margin: 0)
        let b = randomTensor([k, n], seed: UInt64(n + 300), margin: 0)
        var expected = Tensor.zeros([m, n])
        for i in 0..<m {
            for j in 0..<n {
                var s: Float = 0
                for p in 0..<k {
                    let product = a[i, p] * b[p, j]
                    s = s + product
                }
                expected[i, j] = s
            }
        }
        let fixed = Tensor.matmul(a, b, using: .fixedOrder)
        #expect(fixed.data.map(\.bitPattern) == expected.data.map(\.bitPattern))
        // Both implementations, whichever this build's configuration runs.
        #expect(Tensor.fixedOrderProduct(a, b).data.map(\.bitPattern) == expected.data.map(\.bitPattern))
        #expect(Tensor.fixedOrderProductLoops(a, b).data.map(\.bitPattern) == expected.data.map(\.bitPattern))
        #expect(Tensor.matmul(a.transposed(), transposeA: true, b, using: .fixedOrder) == fixed)
        #expect(Tensor.matmul(a, b.transposed(), transposeB: true, using: .fixedOrder) == fixed)
        #expect(close(fixed, Tensor.matmul(a, b, using: .blas), tolerance: 1e-4))
    }

    @Test func emptyExtentsAndGradients() {
        #expect(Tensor.matmul(Tensor.zeros([0, 3]), Tensor.ones([3, 2]), using: .fixedOrder).shape == [0, 2])
        #expect(Tensor.matmul(Tensor.zeros([2, 0]), Tensor.ones([0, 2]), using: .fixedOrder) == Tensor.zeros([2, 2]))
        expectGradient([randomTensor([4, 3], seed: 3), randomTensor([3, 5], seed: 4)]) { v in
            v[0].matmul(v[1], using: .fixedOrder)
        }
    }

    /// A tape carries its kernel to the model code that reads it; the default is BLAS.
    @Test func tapeCarriesItsKernel() {
        #expect(Tape().products == .blas && Tape(recording: false).products == .blas)
        #expect(Tape(recording: false, products: .fixedOrder).products == .fixedOrder)
    }
}
