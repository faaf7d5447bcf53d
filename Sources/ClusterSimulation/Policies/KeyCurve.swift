import ClusterKit

/// A queued job's priority key as a function of time while it waits, for policies whose keys
/// move with time (finish-time fairness's ρ grows linearly with the wait; a share of service
/// falls as one over age): `key(t) = (a·τ + b) / (c·τ + d)` with `τ = max(minimumAge, (t − origin))`
/// in seconds, and `c·τ + d > 0` for every such τ. Two such keys swap order at most twice, at
/// the roots of a quadratic, so the engine keeps a waiting queue in order kinetically
/// (`KineticHeaps`) instead of re-sorting it at every pass.
public struct KeyCurve: Sendable, Equatable {
    public var origin: SimTime
    public var a: Double, b: Double, c: Double, d: Double
    public var minimumAge: Double

    public init(origin: SimTime, a: Double, b: Double, c: Double, d: Double, minimumAge: Double = -.infinity) {
        self.origin = origin
        self.a = a
        self.b = b
        self.c = c
        self.d = d
        self.minimumAge = minimumAge
    }

    /// A key that does not move.
    public static func constant(_ k: Double) -> KeyCurve { KeyCurve(origin: .zero, a: 0, b: k, c: 0, d: 1) }

    /// Whether the key is `b` at every time, exactly in doubles too: a zero numerator (a share
    /// of service for a job that has not run) or `constant(_:)`.
    var isConstant: Bool { a == 0 && (b == 0 || (c == 0 && d == 1)) }

    /// The key at `t`: a policy's `priorityKey` for a queued job must return exactly this.
    @inlinable public func value(at t: SimTime) -> Double {
        let tau = max(minimumAge, (t - origin).seconds)
        return (a * tau + b) / (c * tau + d)
    }

    /// The times after `t0` (seconds from `t0`, ascending) at which this key and
    /// `other` may swap order: where the curves' unclamped forms cross, and where either leaves
    /// its clamp. Estimates only: `KineticHeaps` finds the exact microsecond by evaluating both.
    func crossings(with other: KeyCurve, after t0: SimTime) -> Crossings {
        let tp = (t0 - origin).seconds, tc = (t0 - other.origin).seconds
        let np = a * tp + b, dp = c * tp + d
        let nc = other.a * tc + other.b, dc = other.c * tc + other.d
        // sign(key − other) = sign((np + a·x)(dc + c'·x) − (nc + a'·x)(dp + c·x)) for positive denominators.
        let qa = a * other.c - other.a * c
        let qb = a * dc + np * other.c - other.a * dp - nc * c
        let qc = np * dc - nc * dp
        var found = Crossings()
        if qa == 0 {
            if qb != 0 { found.add(-qc / qb) }
        } else {
            let disc = qb * qb - 4 * qa * qc
            if disc >= 0 {
                let q = -0.5 * (qb + (qb >= 0 ? 1 : -1) * disc.squareRoot())
                if q != 0 { found.add(qc / q) }
                found.add(q / qa)
            }
        }
        if minimumAge.isFinite { found.add(minimumAge - tp) }
        if other.minimumAge.isFinite { found.add(other.minimumAge - tc) }
        return found
    }

    /// Up to four times in seconds after `t0`, ascending, without allocating.
    struct Crossings: Sequence, IteratorProtocol {
        private var v: (Double, Double, Double, Double) = (.infinity, .infinity, .infinity, .infinity)

        /// Adds `x` if it is finite and not before `t0`: a root at `t0` itself (keys equal now,
        /// as for two jobs that ran all their lives) or a rounding error below it is taken a
        /// microsecond after.
        mutating func add(_ x: Double) {
            guard x > -1e-3, x < .infinity else { return }
            var x = Swift.max(x, 1e-6)
            if x < v.0 { swap(&x, &v.0) }
            if x < v.1 { swap(&x, &v.1) }
            if x < v.2 { swap(&x, &v.2) }
            if x < v.3 { swap(&x, &v.3) }
        }

        /// The smallest time left, removed.
        mutating func next() -> Double? {
            guard v.0 < .infinity else { return nil }
            defer { v = (v.1, v.2, v.3, .infinity) }
            return v.0
        }
    }
}
