/// A measured oracle with multiplicative lognormal error: each metric of each answer is the
/// measured value times `exp(σ·z)`, `z ~ N(0,1)`, for sensitivity studies (how much does policy
/// quality degrade with prediction error σ?).
///
/// Where the base gives no interval, the answer carries the noise's own 90% interval.
/// The draw for a query depends only on the seed, the query and the metric, never on the order
/// or batching of queries, so the same query always gets the same error.
public struct NoisyOracle: PerformancePredictor {
    public let base: any PerformancePredictor
    public let sigma: Double
    public let seed: UInt64

    public init(base: any PerformancePredictor, sigma: Double, seed: UInt64) {
        precondition(sigma >= 0 && sigma.isFinite)
        self.base = base
        self.sigma = sigma
        self.seed = seed
    }

    public var name: String { "noisy:\(sigma)" }

    public func estimate(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?] {
        zip(queries, base.estimate(queries)).map { q, e in
            guard var e, sigma > 0 else { return e }
            let key = "\(q.config.description)@\(q.device)"
            let ft = factor(key, "time"), fm = factor(key, "memory"), fu = factor(key, "util")
            e.timePerIteration *= ft
            if let m = e.peakMemoryBytes { e.peakMemoryBytes = Int64((Double(m) * fm).rounded()) }
            if let u = e.smUtilization { e.smUtilization = min(1, u * fu) }
            // Intervals move with their point estimate; without one, the predictor states its own
            // 90% interval, point × exp(∓1.645σ), which covers the measured value 90% of the time.
            let wide = _exp(1.645 * sigma)
            e.timeInterval = e.timeInterval.map { EstimateInterval(lower: $0.lower * ft, upper: $0.upper * ft) }
                ?? EstimateInterval(lower: e.timePerIteration / wide, upper: e.timePerIteration * wide)
            e.memoryInterval = e.memoryInterval.map { EstimateInterval(lower: $0.lower * fm, upper: $0.upper * fm) }
                ?? e.peakMemoryBytes.map { EstimateInterval(lower: Double($0) / wide, upper: Double($0) * wide) }
            e.utilizationInterval = e.utilizationInterval.map { EstimateInterval(lower: min(1, $0.lower * fu), upper: min(1, $0.upper * fu)) }
            return e
        }
    }

    private func factor(_ key: String, _ metric: String) -> Double {
        var g = SeededGenerator(seed: seed, stream: "noisy/\(metric)/\(key)")
        return _exp(sigma * g.nextGaussian())
    }
}

#if canImport(Glibc)
import Glibc
@usableFromInline func _exp(_ x: Double) -> Double { Glibc.exp(x) }
#else
import Foundation
@usableFromInline func _exp(_ x: Double) -> Double { Foundation.exp(x) }
#endif
