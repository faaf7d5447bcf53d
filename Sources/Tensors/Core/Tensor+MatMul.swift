import CBLAS

/// Pins OpenBLAS to one thread the first time a product runs (global `let`s initialize once,
/// thread-safely). Two threads made small products erratic on this machine (TOOLCHAIN.md).
private let blasSingleThread: Void = { openblas_set_num_threads(1) }()

/// Which kernel computes a matrix product.
///
/// - `blas`: OpenBLAS `cblas_sgemm`, the fastest; its summation order (and so the last bits
///   of a result) depends on the kernel set OpenBLAS picks for the CPU (`OPENBLAS_CORETYPE`).
/// - `fixedOrder`: plain loops that compute every element as
///   `((0 + a[i,0]·b[0,j]) + a[i,1]·b[1,j]) + …`, `k` ascending, each product and sum rounded
///   to `Float` (no fused multiply-add). The same bits on every x86-64 or ARM CPU and every
///   OpenBLAS build; slower than sgemm on large products. Inference that must not depend on the
///   machine (what the simulator is told) uses it.
public enum MatrixProducts: String, Sendable, CaseIterable {
    case blas
    case fixedOrder = "fixed-order"
}

extension Tensor {
    /// The matrix product `op(a) · op(b)`, where `op` transposes when asked, through `kernel`
    /// (``MatrixProducts``). Both operands must be rank 2.
    public static func matmul(
        _ a: Tensor, transposeA: Bool = false, _ b: Tensor, transposeB: Bool = false, using kernel: MatrixProducts = .blas
    ) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2, "matmul: needs matrices, got \(a.shape) · \(b.shape)")
        let m = transposeA ? a.shape[1] : a.shape[0]
        let k = transposeA ? a.shape[0] : a.shape[1]
        let kb = transposeB ? b.shape[1] : b.shape[0]
        let n = transposeB ? b.shape[0] : b.shape[1]
        precondition(k == kb, "matmul: inner extents differ, \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
        if m == 0 || n == 0 { return Tensor.zeros([m, n]) }
        if k == 0 { return Tensor.zeros([m, n]) }
        switch kernel {
        case .fixedOrder:
            // Transposing first moves elements without arithmetic, so the sums are unchanged.
            return fixedOrderProduct(transposeA ? a.transposed() : a, transposeB ? b.transposed() : b)
        case .blas:
            _ = blasSingleThread
            return Tensor(shape: [m, n]) { out in
                a.data.withUnsafeBufferPointer { pa in
                    b.data.withUnsafeBufferPointer { pb in
                        cblas_sgemm(
                            CblasRowMajor,
                            transposeA ? CblasTrans : CblasNoTrans,
                            transposeB ? CblasTrans : CblasNoTrans,
                            Int32(m), Int32(n), Int32(k), 1,
                            pa.baseAddress, Int32(a.shape[1]),
                            pb.baseAddress, Int32(b.shape[1]),
                            0, out.baseAddress, Int32(n))
                    }
                }
            }
        }
    }

    /// `a · b` (`[m, k] · [k, n]`, both non-empty) in the order ``MatrixProducts/fixedOrder``
    /// promises. Loops i–k–j: row i of the result is an accumulator that each row of `b`,
    /// scaled by `a[i, p]`, is added to for p = 0, 1, …, so every element still sums its
    /// products with p ascending, while the innermost loop runs along contiguous rows (the
    /// compiler vectorizes it across j, which reorders no sum).
    static func fixedOrderProduct(_ a: Tensor, _ b: Tensor) -> Tensor {
        let m = a.shape[0], k = a.shape[1], n = b.shape[1]
        return Tensor(shape: [m, n]) { out in
            a.data.withUnsafeBufferPointer { pa in
                b.data.withUnsafeBufferPointer { pb in
                    let o = out.baseAddress!, x = pa.baseAddress!, y = pb.baseAddress!
                    for i in 0..<m {
                        let row = o + i * n, ai = x + i * k
                        for j in 0..<n { row[j] = 0 }
                        for p in 0..<k {
                            let s = ai[p], bp = y + p * n
                            for j in 0..<n { row[j] = row[j] + s * bp[j] }
                        }
                    }
                }
            }
        }
    }

    /// The transpose of a matrix.
    public func transposed() -> Tensor {
        let r = rows, c = cols
        return Tensor(shape: [c, r]) { out in
            data.withUnsafeBufferPointer { p in
                for i in 0..<r {
                    for j in 0..<c { out[j * r + i] = p[i * c + j] }
                }
            }
        }
    }
}
