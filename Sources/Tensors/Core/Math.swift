#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Thin wrappers over the C math library, so kernels do not depend on Foundation.

@inline(__always) func fexp(_ x: Float) -> Float { expf(x) }
@inline(__always) func flog(_ x: Float) -> Float { logf(x) }
@inline(__always) func ftanh(_ x: Float) -> Float { tanhf(x) }
@inline(__always) func dlog(_ x: Double) -> Double { log(x) }
@inline(__always) func dcos(_ x: Double) -> Double { cos(x) }
