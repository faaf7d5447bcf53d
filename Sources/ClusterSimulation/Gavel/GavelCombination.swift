/// What Gavel schedules and allocates: one job alone, or two jobs sharing the same devices
/// (its `JobIdPair`; space sharing, Narayanan et al., OSDI 2020, §3.1), `first < second`.
public struct GavelCombination: Hashable, Sendable {
    public let first: Int
    /// The second job of a pair; nil for a job alone.
    public let second: Int?

    public static func alone(_ j: Int) -> GavelCombination { GavelCombination(first: j, second: nil) }
    public static func pair(_ a: Int, _ b: Int) -> GavelCombination { GavelCombination(first: min(a, b), second: max(a, b)) }

    public var isPair: Bool { second != nil }
    public var members: [Int] { second.map { [first, $0] } ?? [first] }
    public func contains(_ j: Int) -> Bool { first == j || second == j }
}

/// Gavel's measured throughputs of two jobs sharing devices, by job kind (an index the jobs
/// carry, `GavelMechanism.Job.kind`) and device type.
public struct GavelColocationTable: Sendable {
    /// Steps per second of the two jobs while they share devices; (0, 0) where they cannot.
    public struct Rates: Sendable, Equatable {
        public var first: Double
        public var second: Double
        public init(_ first: Double, _ second: Double) {
            self.first = first
            self.second = second
        }
    }

    /// `rates[a][b][t]`: a job of kind `a` (first) and one of kind `b` (second) on type `t`.
    public var rates: [[[Rates]]]

    public init(rates: [[[Rates]]]) { self.rates = rates }

    /// The rates of jobs of kinds `a` and `b` on type `t`, in that order; (0, 0) when unknown.
    public func rates(_ a: Int, _ b: Int, type t: Int) -> Rates {
        guard a >= 0, b >= 0, a < rates.count, b < rates[a].count, t < rates[a][b].count else { return Rates(0, 0) }
        return rates[a][b][t]
    }
}
