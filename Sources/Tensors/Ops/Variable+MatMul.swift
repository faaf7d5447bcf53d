// Matrix products (through OpenBLAS sgemm) and transposition.

extension Variable {
    /// The matrix product `self · other`.
    public func matmul(_ other: Variable) -> Variable {
        let a = value, b = other.value
        return Tape.record(Tensor.matmul(a, b), inputs: [self, other]) { g, needs in
            // dA = dY · Bᵀ, dB = Aᵀ · dY
            [needs[0] ? Tensor.matmul(g, b, transposeB: true) : nil,
             needs[1] ? Tensor.matmul(a, transposeA: true, g) : nil]
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
