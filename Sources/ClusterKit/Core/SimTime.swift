/// Simulated time: an integer count of microseconds since the start of a trace.
///
/// Integer time keeps event ordering exact and runs byte-identical across processes
/// (floating-point sums of durations would drift with the order of additions).
public struct SimTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var microseconds: Int64

    @inlinable public init(microseconds: Int64) { self.microseconds = microseconds }

    /// Rounds `seconds` to the nearest microsecond.
    @inlinable public init(seconds: Double) {
        self.microseconds = Int64((seconds * 1_000_000).rounded())
    }

    public static let zero = SimTime(microseconds: 0)
    public static let infinity = SimTime(microseconds: .max)

    @inlinable public var seconds: Double { Double(microseconds) / 1_000_000 }

    @inlinable public static func < (a: SimTime, b: SimTime) -> Bool { a.microseconds < b.microseconds }
    @inlinable public static func + (a: SimTime, b: SimTime) -> SimTime {
        SimTime(microseconds: a.microseconds &+ b.microseconds)
    }
    @inlinable public static func - (a: SimTime, b: SimTime) -> SimTime {
        SimTime(microseconds: a.microseconds &- b.microseconds)
    }

    public var description: String { String(format: "%.6fs", seconds) }
}
