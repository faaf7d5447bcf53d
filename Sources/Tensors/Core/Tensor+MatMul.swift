import CBLAS

/// Pins OpenBLAS to one thread the first time a product runs (global `let`s initialize once,
/// thread-safely). Two threads made small products erratic on this machine (TOOLCHAIN.md).
private let blasSingleThread: Void = { openblas_set_num_threads(1) }()

/// Which kernel computes a matrix product.
///
/// - `blas`: OpenBLAS `cblas_sgemm`, the fastest; its summation order (and so the last bits
///   of a result) depends on the kernel set OpenBLAS picks for the CPU (`OPENBLAS_CORETYPE`).
/// - `fixedOrder`: our own loops, which compute every element as
///   `((0 + a[i,0]·b[0,j]) + a[i,1]·b[1,j]) + …`, `k` ascending, each product and sum rounded
///   to `Float` (no fused multiply-add). The same bits on every CPU (IEEE arithmetic, default
///   rounding, no flush-to-zero) and every OpenBLAS build; as fast as sgemm on the GNNs' small
///   products, slower on large ones. Inference that must not depend on the machine (what the
///   simulator is told) uses it.
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
            let (x, y) = (transposeA ? a.transposed() : a, transposeB ? b.transposed() : b)
            // The same bits either way (FixedOrderProductTests). Unoptimized builds run the
            // plain loops: SIMD types there cost a call per operation, 4× slower end to end.
            #if DEBUG
            return fixedOrderProductLoops(x, y)
            #else
            return fixedOrderProduct(x, y)
            #endif
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
    /// promises. Blocks of 4 rows × 8 columns keep their sums in vector registers (`SIMD8`)
    /// while p runs 0, 1, …, k − 1: each lane is one element's own sum, so vectorizing across
    /// columns and rows reorders no sum (`+` and `*` on SIMD types are separate roundings,
    /// never fused). Leftover rows go one at a time, leftover columns through scalar loops in
    /// the same order.
    static func fixedOrderProduct(_ a: Tensor, _ b: Tensor) -> Tensor {
        let m = a.shape[0], k = a.shape[1], n = b.shape[1]
        let wide = n - n % 8
        return Tensor(shape: [m, n]) { out in
            a.data.withUnsafeBufferPointer { pa in
                b.data.withUnsafeBufferPointer { pb in
                    let o = UnsafeMutableRawPointer(out.baseAddress!), x = pa.baseAddress!, y = pb.baseAddress!
                    let rb = UnsafeRawPointer(y)
                    @inline(__always) func column8(_ p: Int, _ j: Int) -> SIMD8<Float> {
                        rb.loadUnaligned(fromByteOffset: (p * n + j) * 4, as: SIMD8<Float>.self)
                    }
                    @inline(__always) func store(_ v: SIMD8<Float>, _ i: Int, _ j: Int) {
                        o.storeBytes(of: v, toByteOffset: (i * n + j) * 4, as: SIMD8<Float>.self)
                    }
                    var i = 0
                    while i + 4 <= m {
                        let a0 = x + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k
                        for j in stride(from: 0, to: wide, by: 8) {
                            var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>(), c3 = SIMD8<Float>()
                            for p in 0..<k {
                                let bv = column8(p, j)
                                c0 = c0 + SIMD8(repeating: a0[p]) * bv
                                c1 = c1 + SIMD8(repeating: a1[p]) * bv
                                c2 = c2 + SIMD8(repeating: a2[p]) * bv
                                c3 = c3 + SIMD8(repeating: a3[p]) * bv
                            }
                            store(c0, i, j); store(c1, i + 1, j); store(c2, i + 2, j); store(c3, i + 3, j)
                        }
                        i += 4
                    }
                    while i < m {
                        let ai = x + i * k
                        for j in stride(from: 0, to: wide, by: 8) {
                            var c = SIMD8<Float>()
                            for p in 0..<k { c = c + SIMD8(repeating: ai[p]) * column8(p, j) }
                            store(c, i, j)
                        }
                        i += 1
                    }
                    let scalarOut = out.baseAddress!
                    for i in 0..<m where wide < n {
                        let ai = x + i * k
                        for j in wide..<n {
                            var s: Float = 0
                            for p in 0..<k { s = s + ai[p] * y[p * n + j] }
                            scalarOut[i * n + j] = s
                        }
                    }
                }
            }
        }
    }

    /// ``fixedOrderProduct(_:_:)`` as plain loops i–k–j over a row accumulator (each element
    /// still sums with p ascending): what debug builds run.
    static func fixedOrderProductLoops(_ a: Tensor, _ b: Tensor) -> Tensor {
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
