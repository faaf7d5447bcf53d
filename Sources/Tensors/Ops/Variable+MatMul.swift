// Matrix products (OpenBLAS sgemm or the fixed-order kernel) and transposition.

extension Variable {
    /// The matrix product `self · other` through `kernel` (its gradients too). Model code
    /// passes its tape's ``Tape/products``, so that whoever makes the tape chooses.
    public func matmul(_ other: Variable, using kernel: MatrixProducts = .blas) -> Variable {
        let a = value, b = other.value
        return Tape.record(Tensor.matmul(a, b, using: kernel), inputs: [self, other]) { g, needs in
            // dA = dY · Bᵀ, dB = Aᵀ · dY
            [needs[0] ? Tensor.matmul(g, b, transposeB: true, using: kernel) : nil,
             needs[1] ? Tensor.matmul(a, transposeA: true, g, using: kernel) : nil]
        }
    }

    /// The transpose of a matrix.
    public func transposed() -> Variable {
        Tape.record(value.transposed(), inputs: [self]) { g, _ in [g.transposed()] }
    }

    /// The same elements under another shape.
    public func reshaped(_ newShape: [Int]) -> Variable {
        let s = shape
        return Tape.record(value.reshaped(newShape), inputs: [self]) { g, _ in [g.reshaped(s)] }
    }
}
