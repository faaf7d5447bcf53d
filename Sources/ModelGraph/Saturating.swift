/// Overflow-safe arithmetic for sizes read from untrusted files: products saturate at
/// `Int.max` instead of trapping.
enum Saturating {
    static func mul(_ a: Int, _ b: Int) -> Int {
        let (r, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? ((a < 0) != (b < 0) ? Int.min : Int.max) : r
    }

    static func add(_ a: Int, _ b: Int) -> Int {
        let (r, overflow) = a.addingReportingOverflow(b)
        return overflow ? (a < 0 ? Int.min : Int.max) : r
    }

    static func product<S: Sequence>(_ values: S) -> Int where S.Element == Int {
        values.reduce(1) { mul($0, $1) }
    }

    /// A Double converted to Int when finite and within ±2⁶², else `nil`.
    static func int(_ d: Double) -> Int? {
        d.isFinite && abs(d) < 4.6e18 ? Int(d) : nil
    }
}
