#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Scalar math for the kernels. `fexp` and `ftanh` are branch-free polynomial versions (after
// Cephes, S. Moshier) that the compiler vectorizes; glibc's `tanhf` costs ~25 ns an element.

/// eˣ to about 2 ulp; inputs are clamped to [−87.3, 88] (so it never returns inf or 0).
@inline(__always) func fexp(_ x: Float) -> Float {
    let xc = min(max(x, -87.3), 88)
    let n = (xc * 1.442_695_04).rounded()
    let r = xc - n * 0.693_359_375 + n * 2.121_944_4e-4
    let z = r * r
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    p = p * z + r + 1
    return p * Float(bitPattern: UInt32(truncatingIfNeeded: Int32(n) + 127) << 23)
}

/// tanh x: a polynomial below |x| = 0.625, (1 − e^−2|x|) / (1 + e^−2|x|) above.
@inline(__always) func ftanh(_ x: Float) -> Float {
    let ax = abs(x)
    let z = x * x
    var s: Float = -5.704_988_72e-3
    s = s * z + 2.063_908_88e-2
    s = s * z - 5.373_971_55e-2
    s = s * z + 1.333_144_22e-1
    s = s * z - 3.333_328_19e-1
    let small = s * z * x + x
    let e = fexp(-2 * ax)
    let large = (1 - e) / (1 + e)
    return ax < 0.625 ? small : (x < 0 ? -large : large)
}

@inline(__always) func flog(_ x: Float) -> Float { logf(x) }
@inline(__always) func dlog(_ x: Double) -> Double { log(x) }
@inline(__always) func dcos(_ x: Double) -> Double { cos(x) }
