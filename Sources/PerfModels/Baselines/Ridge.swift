/// Ridge regression's linear algebra (Hoerl and Kennard 1970): the normal equations
/// `(XᵀX + λI) w = Xᵀy` solved by Cholesky. Small problems only (dense, `n²` memory).
enum Ridge {
    /// Solves `a w = b` for symmetric positive definite `a` (`n × n`, row-major, `n = b.count`).
    static func solve(normal a: [Double], rhs b: [Double]) -> [Double] {
        let n = b.count
        var a = a
        // a = L Lᵀ, L in the lower triangle of a.
        for j in 0..<n {
            var d = a[j * n + j]
            for k in 0..<j { d -= a[j * n + k] * a[j * n + k] }
            let l = d.squareRoot()
            a[j * n + j] = l
            for i in (j + 1)..<n {
                var s = a[i * n + j]
                for k in 0..<j { s -= a[i * n + k] * a[j * n + k] }
                a[i * n + j] = s / l
            }
        }
        var z = b
        for i in 0..<n {
            for k in 0..<i { z[i] -= a[i * n + k] * z[k] }
            z[i] /= a[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<n { z[i] -= a[k * n + i] * z[k] }
            z[i] /= a[i * n + i]
        }
        return z
    }

    /// Weights of `y ≈ w₀ + Σ wₖ xₖ` with `λ‖w₁…‖²` (the intercept is not penalized); each row
    /// counted `weights[i]` times where given.
    static func fit(rows: [[Double]], target: [Double], lambda: Double, weights: [Double]? = nil) -> [Double] {
        let n = (rows.first?.count ?? 0) + 1
        var a = [Double](repeating: 0, count: n * n), b = [Double](repeating: 0, count: n)
        for (r, (row, y)) in zip(rows, target).enumerated() {
            let x = [1] + row
            let w = weights?[r] ?? 1
            for i in 0..<n {
                b[i] += w * x[i] * y
                for j in 0..<n { a[i * n + j] += w * x[i] * x[j] }
            }
        }
        for i in 1..<n { a[i * n + i] += lambda }
        a[0] += 1e-9  // keeps the system definite when every row is empty
        return solve(normal: a, rhs: b)
    }
}
