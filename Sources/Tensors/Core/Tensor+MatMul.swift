import CBLAS

/// Pins OpenBLAS to one thread the first time a product runs (global `let`s initialize once,
/// thread-safely). Two threads made small products erratic on this machine (TOOLCHAIN.md).
private let blasSingleThread: Void = { openblas_set_num_threads(1) }()

extension Tensor {
    /// The matrix product `op(a) · op(b)` through `cblas_sgemm`, where `op` transposes when
    /// asked. Both operands must be rank 2.
    public static func matmul(
        _ a: Tensor, transposeA: Bool = false, _ b: Tensor, transposeB: Bool = false
    ) -> Tensor {
        _ = blasSingleThread
        precondition(a.rank == 2 && b.rank == 2, "matmul: needs matrices, got \(a.shape) · \(b.shape)")
        let m = transposeA ? a.shape[1] : a.shape[0]
        let k = transposeA ? a.shape[0] : a.shape[1]
        let kb = transposeB ? b.shape[1] : b.shape[0]
        let n = transposeB ? b.shape[0] : b.shape[1]
        precondition(k == kb, "matmul: inner extents differ, \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
        if m == 0 || n == 0 { return Tensor.zeros([m, n]) }
        if k == 0 { return Tensor.zeros([m, n]) }
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
