import ClusterKit

/// Compares `InterferenceModel` with measured co-located pairs (`MeasuredOracle.colocations`).
public struct InterferenceCalibration: Sendable {
    public struct Pair: Sendable {
        public var dataset: String
        public var utilA: Double
        public var utilB: Double
        public var speedA: Double
        public var speedB: Double
    }

    public let pairs: [Pair]

    /// Pairs whose two solo utilizations are known: Lucid's from its single-job table, Gavel's
    /// from the oracle's (Lucid-derived) utilization of each job type on that GPU.
    public init(oracle: MeasuredOracle) {
        var pairs: [Pair] = []
        var utilByConfig: [String: Double] = [:]
        for (q, e) in oracle.table { if let u = e.estimate.smUtilization { utilByConfig["\(q.config.description)@\(q.device)"] = u } }
        for r in oracle.colocations {
            let ua = r.utilizationA ?? utilByConfig["\(r.a)@\(r.device)"]
            let ub = r.utilizationB ?? utilByConfig["\(r.b)@\(r.device)"]
            guard let ua, let ub else { continue }
            pairs.append(Pair(dataset: r.dataset, utilA: ua, utilB: ub, speedA: r.speedA, speedB: r.speedB))
        }
        self.pairs = pairs
    }

    /// Mean absolute percentage error of predicted speeds, and the share within ±10%.
    public func error(dataset: String, model: InterferenceModel) -> (pairs: Int, speeds: Int, mape: Double, within10: Double) {
        var errors: [Double] = []
        let subset = pairs.filter { $0.dataset == dataset }
        for p in subset {
            let total = p.utilA + p.utilB
            let predicted = model.speed(totalUtilization: total, residents: 2)
            errors.append(abs(predicted - p.speedA) / p.speedA)
            errors.append(abs(predicted - p.speedB) / p.speedB)
        }
        guard !errors.isEmpty else { return (0, 0, 0, 0) }
        return (subset.count, errors.count, errors.reduce(0, +) / Double(errors.count),
                Double(errors.filter { $0 <= 0.1 }.count) / Double(errors.count))
    }

    /// The (s₀, α) with the least MAPE on one dataset: s₀ from 0.30 to 1 in steps of 0.02,
    /// α from 0 to 2 in steps of 0.05.
    public func fit(dataset: String) -> InterferenceModel {
        var best = (mape: Double.infinity, model: InterferenceModel.none)
        for s in 15...50 {
            for a in 0...40 {
                let m = InterferenceModel(sharedSpeed: Double(s) * 0.02, alpha: Double(a) * 0.05)
                let e = error(dataset: dataset, model: m).mape
                if e < best.mape - 1e-12 { best = (e, m) }
            }
        }
        return best.model
    }
}
