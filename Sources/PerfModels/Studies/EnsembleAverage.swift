import Foundation

/// Deep ensembles (Lakshminarayanan, Pritzel and Blundell, "Simple and Scalable Predictive
/// Uncertainty Estimation using Deep Ensembles", NeurIPS 2017): several models of one
/// architecture trained on the same samples from different seeds (initial weights and the order
/// of mini-batches), their answers averaged. On families and GPUs a model never saw, one model's
/// answer depends strongly on its seed; the average does less, and the members' disagreement is
/// a measure of what none of them knows.
enum EnsembleAverage {
    /// The 90% two-sided normal quantile that turns the members' spread of `ln time` into a
    /// half-width added to their calibrated one.
    static let spreadQuantile = 1.6449

    /// One prediction from the members' predictions of one query (all of the same length and
    /// order). Time is the geometric mean of the members' times (they are trained and judged in
    /// `ln` time); memory and utilization are plain means. The interval around the mean time has
    /// the members' mean `ln` half-width plus ``spreadQuantile`` times the standard deviation of
    /// their `ln` times, clipped to the bound every member shares.
    static func combine(_ members: [SamplePrediction]) -> SamplePrediction {
        guard let first = members.first else { return SamplePrediction() }
        guard members.count > 1 else { return first }
        var p = SamplePrediction()
        if let logs = all(members.map { m in m.time.flatMap { $0 > 0 && $0.isFinite ? Foundation.log($0) : nil } }) {
            let mean = average(logs)
            let spread = (logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(logs.count - 1)).squareRoot()
            p.time = Foundation.exp(mean)
            if let bounds = all(members.map(\.timeBound)) {
                let lower = bounds.map(\.lowerBound).max()!, upper = bounds.map(\.upperBound).min()!
                if lower <= upper { p.timeBound = lower...upper }
            }
            let halves = all(members.map { m -> Double? in
                guard let t = m.time, let lo = m.timeLower, let hi = m.timeUpper, lo > 0, hi > 0 else { return nil }
                return max(Foundation.log(t / lo), Foundation.log(hi / t))
            })
            if let halves { p = p.withInterval(halfWidth: average(halves) + spreadQuantile * spread) }
        }
        p.memory = all(members.map(\.memory)).map(average)
        p.utilization = all(members.map(\.utilization)).map(average)
        p.novelty = all(members.map(\.novelty)).flatMap { $0.max() }
        return p
    }

    /// The values when every member has one, else nil (an answer some member lacks is not given).
    private static func all<T>(_ values: [T?]) -> [T]? {
        let present = values.compactMap { $0 }
        return present.count == values.count ? present : nil
    }

    private static func average(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

    /// Per query, ``combine(_:)`` over the members' prediction lists.
    static func combine(members: [[SamplePrediction]]) -> [SamplePrediction] {
        guard let first = members.first else { return [] }
        return first.indices.map { i in combine(members.map { $0[i] }) }
    }
}
