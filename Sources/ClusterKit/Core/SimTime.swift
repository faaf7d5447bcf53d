/// Simulated time: an integer count of microseconds since the start of a trace.
///
/// Integer time keeps event ordering exact and runs byte-identical across processes
/// (floating-point sums of durations would drift with the order of additions).
public struct SimTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var microseconds: Int64

    @inlinable public init(microseconds: Int64) { self.microseconds = microseconds }

    /// Rounds `seconds` to the nearest microsecond; values beyond ±`horizon` (and NaN, as
    /// +horizon) are held at it, so no input can overflow integer time.
    @inlinable public init(seconds: Double) {
        self.microseconds = SimTime.clamped((seconds * 1_000_000).rounded())
    }

    /// Rounds `seconds` up to the next microsecond, held within ±`horizon` like `init(seconds:)`.
    @inlinable public init(secondsRoundingUp seconds: Double) {
        self.microseconds = SimTime.clamped((seconds * 1_000_000).rounded(.up))
    }

    /// The latest time the engine represents: half of `Int64.max` µs (about 146,000 years), so
    /// the sum of two times never wraps. Inputs are bounded far below it (`Limits.maxSeconds`).
    public static let horizon = SimTime(microseconds: Int64.max / 2)

    @inlinable static func clamped(_ us: Double) -> Int64 {
        let h = Double(Int64.max / 2)
        if !(us < h) { return Int64.max / 2 }
        if us <= -h { return -(Int64.max / 2) }
        return Int64(us)
    }

    public static let zero = SimTime(microseconds: 0)
    public static let infinity = SimTime(microseconds: .max)

    @inlinable public var seconds: Double { Double(microseconds) / 1_000_000 }

    @inlinable public static func < (a: SimTime, b: SimTime) -> Bool { a.microseconds < b.microseconds }
    @inlinable public static func + (a: SimTime, b: SimTime) -> SimTime {
        let (sum, overflow) = a.microseconds.addingReportingOverflow(b.microseconds)
        return SimTime(microseconds: overflow ? (b.microseconds > 0 ? .max : .min) : sum)
    }
    @inlinable public static func - (a: SimTime, b: SimTime) -> SimTime {
        let (difference, overflow) = a.microseconds.subtractingReportingOverflow(b.microseconds)
        return SimTime(microseconds: overflow ? (b.microseconds < 0 ? .max : .min) : difference)
    }

    public var description: String { String(format: "%.6fs", seconds) }
}
