/// A question to a predictor: how does this model configuration perform on this device type?
public struct PerformanceQuery: Hashable, Sendable, Comparable {
    public var config: ModelConfig
    /// A device name from the catalog (`clusters/devices.yaml`).
    public var device: String

    public init(config: ModelConfig, device: String) {
        self.config = config
        self.device = device
    }

    public static func < (a: PerformanceQuery, b: PerformanceQuery) -> Bool {
        (a.config, a.device) < (b.config, b.device)
    }
}

/// A closed interval `[lower, upper]` around a point estimate.
public struct EstimateInterval: Hashable, Sendable {
    public var lower: Double
    public var upper: Double
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}

/// What a predictor says about one query.
public struct PerformanceEstimate: Hashable, Sendable {
    /// Seconds per iteration (one training step or one inference batch) on one device.
    public var timePerIteration: Double
    /// Peak device memory in bytes, if known.
    public var peakMemoryBytes: Int64?
    /// Share of the device's SMs (or cores) kept busy, 0...1, if known.
    public var smUtilization: Double?
    public var timeInterval: EstimateInterval?
    public var memoryInterval: EstimateInterval?
    public var utilizationInterval: EstimateInterval?
    /// Whether a fallback predictor gave this answer because the named one could not
    /// (`FallbackPredictor`).
    public var fallback = false

    public init(timePerIteration: Double, peakMemoryBytes: Int64? = nil, smUtilization: Double? = nil,
                timeInterval: EstimateInterval? = nil, memoryInterval: EstimateInterval? = nil,
                utilizationInterval: EstimateInterval? = nil) {
        self.timePerIteration = timePerIteration
        self.peakMemoryBytes = peakMemoryBytes
        self.smUtilization = smUtilization
        self.timeInterval = timeInterval
        self.memoryInterval = memoryInterval
        self.utilizationInterval = utilizationInterval
    }
}

/// The seam between the simulator and the performance models.
///
/// The engine executes jobs with a measured oracle; scheduling and placement policies consult
/// whichever `PerformancePredictor` the run was given, so the same policy can be driven by
/// predicted or by measured performance. Implementations answer batches of queries (a GNN turns
/// them into one disjoint graph); `nil` means the predictor cannot say, e.g. the configuration
/// does not run on that device. The engine memoizes answers per query.
///
/// Every implementation passes the shared predictor contract tests: answers are deterministic,
/// positive and finite, one per query, in query order, and do not depend on batch composition.
public protocol PerformancePredictor: Sendable {
    /// A short name for reports, e.g. `measured`, `noisy:0.3`.
    var name: String { get }
    func estimate(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?]
}

extension PerformancePredictor {
    public func estimate(_ query: PerformanceQuery) -> PerformanceEstimate? { estimate([query])[0] }
}

extension PerformanceEstimate {
    /// Why this answer cannot be given to a policy (a non-finite or non-positive time, a
    /// negative memory, a non-finite interval), or nil when it can.
    public var invalidReason: String? {
        guard timePerIteration.isFinite, timePerIteration > 0 else { return "time per iteration \(timePerIteration) s is not a positive finite number" }
        if let m = peakMemoryBytes, m < 0 { return "peak memory \(m) bytes is negative" }
        if let u = smUtilization, !u.isFinite || u < 0 { return "SM utilization \(u) is not a finite non-negative number" }
        for (name, i) in [("time", timeInterval), ("memory", memoryInterval), ("utilization", utilizationInterval)] {
            if let i, !(i.lower.isFinite && i.upper.isFinite && i.lower <= i.upper) { return "\(name) interval [\(i.lower), \(i.upper)] is not finite and ordered" }
        }
        if let i = memoryInterval, i.upper >= 9e18 { return "memory interval upper bound \(i.upper) bytes is beyond Int64" }
        return nil
    }
}

extension Double {
    /// The double nearest this number written with `digits` significant decimal digits (round
    /// half to even, through the C library's correctly rounded `%e`): a function of the value
    /// alone, the same on every machine. Zero, infinities and NaN pass unchanged.
    public func rounded(significantDigits digits: Int) -> Double {
        guard isFinite, self != 0, digits >= 1 else { return self }
        return Double(String(format: "%.\(min(digits, 17) - 1)e", self)) ?? self
    }
}

extension EstimateInterval {
    /// Both ends with `digits` significant digits (rounding is monotone, so the interval still
    /// holds a point it held rounded the same way).
    public func rounded(significantDigits digits: Int) -> EstimateInterval {
        EstimateInterval(lower: lower.rounded(significantDigits: digits), upper: upper.rounded(significantDigits: digits))
    }
}

extension PerformanceEstimate {
    /// Every figure with `digits` significant digits: answers that differ only in the last bits
    /// (another BLAS kernel, another summation order) mostly become the same answer. Memory is
    /// rounded in bytes.
    public func rounded(significantDigits digits: Int) -> PerformanceEstimate {
        let memory = peakMemoryBytes.map { m -> Int64 in
            let r = Double(m).rounded(significantDigits: digits)
            return r < 9.2e18 ? Int64(r) : m
        }
        return PerformanceEstimate(timePerIteration: timePerIteration.rounded(significantDigits: digits), peakMemoryBytes: memory,
                                   smUtilization: smUtilization?.rounded(significantDigits: digits),
                                   timeInterval: timeInterval?.rounded(significantDigits: digits),
                                   memoryInterval: memoryInterval?.rounded(significantDigits: digits),
                                   utilizationInterval: utilizationInterval?.rounded(significantDigits: digits))
    }
}
