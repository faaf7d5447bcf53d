import ClusterKit

extension KeyCurve {
    /// The sign of `x`'s key minus `y`'s at `t`, exactly (−1, 0 or 1): the order that queues
    /// kept by these curves follow. Evaluated in doubles it would not be an order in time: two
    /// jobs whose keys differ by less than rounding (two jobs submitted together, never run)
    /// tie and untie from one microsecond to the next, so their order would swap back and
    /// forth with no crossing to predict it. Compared exactly, two curves swap only where they
    /// cross (`crossings`). The doubles decide when their keys differ by far more than
    /// rounding; otherwise numerators and denominators are formed in double-double arithmetic
    /// (Dekker 1971), with τ in whole microseconds, and cross-multiplied.
    static func compare(_ x: KeyCurve, _ y: KeyCurve, at t: SimTime) -> Int {
        if x == y { return 0 }
        if x.isConstant && y.isConstant { return x.b < y.b ? -1 : x.b > y.b ? 1 : 0 }
        let tx = Swift.max(x.minimumAge, (t - x.origin).seconds), ty = Swift.max(y.minimumAge, (t - y.origin).seconds)
        let ax = x.a * tx, ay = y.a * ty
        let dx = x.c * tx + x.d, dy = y.c * ty + y.d
        let kx = (ax + x.b) / dx, ky = (ay + y.b) / dy
        // Each key is within a few units of rounding (about 1e-16) of (|a·τ| + |b|) / |c·τ + d|.
        let scale = (abs(ax) + abs(x.b)) / abs(dx) + (abs(ay) + abs(y.b)) / abs(dy)
        if abs(kx - ky) > 1e-12 * scale { return kx < ky ? -1 : 1 }
        let (nx, ex) = x.exactFraction(at: t), (ny, ey) = y.exactFraction(at: t)
        return (nx * ey - ny * ex).sign
    }

    /// Whether job `x` with curve `cx` goes before job `y` with curve `cy` at `t`: the smaller
    /// key compared exactly (`compare`), ties to the lower job index. The one order that kinetic
    /// queues, running jobs and `PolicyView.ordered(_:byCurve:)` share.
    static func precedes(_ cx: KeyCurve, job x: Int, _ cy: KeyCurve, job y: Int, at t: SimTime) -> Bool {
        let sign = compare(cx, cy, at: t)
        return sign != 0 ? sign < 0 : x < y
    }

    /// Numerator and denominator times 10⁶ (τ in microseconds), in double-double.
    private func exactFraction(at t: SimTime) -> (DoubleDouble, DoubleDouble) {
        let micro = Double((t - origin).microseconds)
        let tau = minimumAge.isFinite ? Swift.max(minimumAge * 1e6, micro) : micro
        return (DoubleDouble.product(a, tau) + DoubleDouble.product(b, 1e6),
                DoubleDouble.product(c, tau) + DoubleDouble.product(d, 1e6))
    }
}

/// An unevaluated sum hi + lo of two doubles with |lo| ≤ ulp(hi)/2: about 106 bits (Dekker,
/// "A floating-point technique for extending the available precision", 1971).
struct DoubleDouble {
    var hi: Double
    var lo: Double

    /// a·b exactly (the error term by fused multiply-add).
    static func product(_ a: Double, _ b: Double) -> DoubleDouble {
        let p = a * b
        return DoubleDouble(hi: p, lo: Double.fma(a, b, -p))
    }

    static func + (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble {
        let s = x.hi + y.hi
        let v = s - x.hi
        let e = (x.hi - (s - v)) + (y.hi - v) + x.lo + y.lo
        let hi = s + e
        return DoubleDouble(hi: hi, lo: e - (hi - s))
    }

    static prefix func - (x: DoubleDouble) -> DoubleDouble { DoubleDouble(hi: -x.hi, lo: -x.lo) }
    static func - (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble { x + -y }

    static func * (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble {
        let p = x.hi * y.hi
        let e = Double.fma(x.hi, y.hi, -p) + (x.hi * y.lo + x.lo * y.hi)
        let hi = p + e
        return DoubleDouble(hi: hi, lo: e - (hi - p))
    }

    /// −1, 0 or 1.
    var sign: Int { hi != 0 ? (hi < 0 ? -1 : 1) : (lo < 0 ? -1 : lo > 0 ? 1 : 0) }
}

extension Double {
    /// x·y + z with one rounding.
    static func fma(_ x: Double, _ y: Double, _ z: Double) -> Double { z.addingProduct(x, y) }
}

extension KeyCurve {
    /// Jobs sorted by their curves at `t` in the exact order of `compare` (ties to the lower
    /// job), at the cost of a sort of doubles: sorted by their keys in doubles first, only runs
    /// of neighbours closer than rounding could explain are re-sorted exactly (outside such a
    /// run the doubles' order is the exact one).
    static func sortedExactly(_ jobs: [(job: Int, curve: KeyCurve)], at t: SimTime) -> [(job: Int, curve: KeyCurve)] {
        let keyed = jobs.indices.map { i -> (key: Double, scale: Double, index: Int) in
            let c = jobs[i].curve
            let tau = Swift.max(c.minimumAge, (t - c.origin).seconds)
            let den = c.c * tau + c.d
            return ((c.a * tau + c.b) / den, (abs(c.a * tau) + abs(c.b)) / abs(den), i)
        }.sorted { $0.key != $1.key ? $0.key < $1.key : jobs[$0.index].job < jobs[$1.index].job }
        var out: [(job: Int, curve: KeyCurve)] = []
        out.reserveCapacity(jobs.count)
        var start = 0
        while start < keyed.count {
            var end = start + 1
            while end < keyed.count && keyed[end].key - keyed[end - 1].key <= 1e-12 * (keyed[end].scale + keyed[end - 1].scale) { end += 1 }
            if end - start == 1 {
                out.append(jobs[keyed[start].index])
            } else {
                out += keyed[start..<end].map { jobs[$0.index] }.sorted { precedes($0.curve, job: $0.job, $1.curve, job: $1.job, at: t) }
            }
            start = end
        }
        return out
    }
}
