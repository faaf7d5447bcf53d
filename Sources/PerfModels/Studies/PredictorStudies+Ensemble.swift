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
        let times = members.compactMap(\.time).filter { $0 > 0 && $0.isFinite }
        if times.count == members.count {
            let logs = times.map { Foundation.log($0) }
            let mean = logs.reduce(0, +) / Double(logs.count)
            let variance = logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(logs.count - 1)
            p.time = Foundation.exp(mean)
            let halves = members.compactMap { m -> Double? in
                guard let t = m.time, let lo = m.timeLower, let hi = m.timeUpper, lo > 0, hi > 0 else { return nil }
                return max(Foundation.log(t / lo), Foundation.log(hi / t))
            }
            let bounds = members.compactMap(\.timeBound)
            if bounds.count == members.count {
                let lower = bounds.map(\.lowerBound).max()!, upper = bounds.map(\.upperBound).min()!
                if lower <= upper { p.timeBound = lower...upper }
            }
            if halves.count == members.count {
                let h = halves.reduce(0, +) / Double(halves.count) + spreadQuantile * variance.squareRoot()
                p = p.withInterval(halfWidth: h)
            }
        }
        let memories = members.compactMap(\.memory)
        if memories.count == members.count { p.memory = memories.reduce(0, +) / Double(memories.count) }
        let utilizations = members.compactMap(\.utilization)
        if utilizations.count == members.count { p.utilization = utilizations.reduce(0, +) / Double(utilizations.count) }
        let novelties = members.compactMap(\.novelty)
        if novelties.count == members.count { p.novelty = novelties.max() }
        return p
    }

    /// Per query, ``combine(_:)`` over the members' prediction lists.
    static func combine(members: [[SamplePrediction]]) -> [SamplePrediction] {
        guard let first = members.first else { return [] }
        return first.indices.map { i in combine(members.map { $0[i] }) }
    }
}
