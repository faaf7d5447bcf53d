import ClusterKit
import Foundation

/// The range a model's `ln` residual over its analytic prior may take, by device kind and
/// whether the query has a prior: what makes every prediction a bounded factor of the physics.
///
/// NeuSight (Lee et al. 2024) predicts time as a roofline bound divided by a utilization in
/// (0, 1], so no input can produce an implausible answer. Augur's heads predict
/// `r = ln(y / prior)`; ``PerfModel`` passes each head's output through a soft clamp
/// `c + h·tanh((z − c)/h)` onto `[low, high]` of the query's key, the residuals seen in
/// training widened by ``margin`` on each side. So a prediction always lies within
/// `[prior·e^low, prior·e^high]`, for any graph, batch or device, however far it is from the
/// training data; inside that range the clamp is close to the identity. Training fits the
/// unclamped outputs (at a clamp's saturated end the gradient vanishes, and a sample that
/// strayed there would stay there); validation, calibration and every answer are clamped.
public struct ResidualBounds: Sendable, Codable, Hashable {
    /// `[low, high]` in `ln` units, by ``key(kind:hasPrior:)``.
    public var ranges: [String: [Float]]

    /// How far beyond the training residuals a prediction may go, in `ln` units (a factor of 2).
    public static let margin: Float = Float(Foundation.log(2.0))

    public init(ranges: [String: [Float]]) { self.ranges = ranges }

    /// The key of a query: its device kind (or `unknown`), and `/no-prior` when its device has
    /// no analytic prior (no peak figure in the catalog).
    public static func key(kind: DeviceKind?, hasPrior: Bool) -> String {
        (kind?.rawValue ?? "unknown") + (hasPrior ? "" : "/no-prior")
    }

    /// The key for every kind pooled, with or without a prior (the fallback for a kind the
    /// model was not trained on).
    static func pooledKey(hasPrior: Bool) -> String { "*" + (hasPrior ? "" : "/no-prior") }

    /// Fits the ranges of `residuals` (`ln(y / prior)`, or `ln y` where there is no prior),
    /// keyed per sample, widened by ``margin``.
    public init(residuals: [(key: String, hasPrior: Bool, value: Double)]) {
        var lo: [String: Double] = [:], hi: [String: Double] = [:]
        func add(_ k: String, _ v: Double) {
            lo[k] = Swift.min(lo[k] ?? v, v)
            hi[k] = Swift.max(hi[k] ?? v, v)
        }
        for r in residuals where r.value.isFinite {
            add(r.key, r.value)
            add(Self.pooledKey(hasPrior: r.hasPrior), r.value)
        }
        ranges = lo.keys.reduce(into: [:]) { out, k in
            out[k] = [Float(lo[k]!) - Self.margin, Float(hi[k]!) + Self.margin]
        }
    }

    /// `[low, high]` for `key`, else the pooled range of queries like it, else nil (no bound:
    /// nothing like this query was in training).
    public func range(_ key: String, hasPrior: Bool) -> (low: Float, high: Float)? {
        guard let r = ranges[key] ?? ranges[Self.pooledKey(hasPrior: hasPrior)] else { return nil }
        return (r[0], r[1])
    }

    /// Whether every range is finite and ordered (for loading).
    var isValid: Bool {
        ranges.values.allSatisfy { $0.count == 2 && $0[0].isFinite && $0[1].isFinite && $0[0] < $0[1] }
    }
}
