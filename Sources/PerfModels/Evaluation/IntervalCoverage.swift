import Foundation

/// How well a predictor's time intervals hold the measurements: the share of intervals that
/// contain the measured time (a calibrated 90% interval should hold about 90%) and how wide
/// they are.
public struct IntervalCoverage: Sendable, Codable, Hashable {
    /// Samples with a measured time and an interval.
    public var count: Int
    /// Share of them whose interval holds the measurement (0...1).
    public var coverage: Double
    /// Median of upper / lower.
    public var medianWidthRatio: Double

    /// Coverage of `predictions` on `samples` of `data` (same order); nil without intervals.
    public init?(predictions: [SamplePrediction], data: PerfDataset, samples: [Int]) {
        var held = 0, ratios: [Double] = []
        for (p, i) in zip(predictions, samples) {
            guard let y = data.samples[i].time, let lo = p.timeLower, let hi = p.timeUpper, lo > 0 else { continue }
            if lo <= y && y <= hi { held += 1 }
            ratios.append(hi / lo)
        }
        guard !ratios.isEmpty else { return nil }
        ratios.sort()
        count = ratios.count
        coverage = Double(held) / Double(count)
        medianWidthRatio = ratios[ratios.count / 2]
    }
}
