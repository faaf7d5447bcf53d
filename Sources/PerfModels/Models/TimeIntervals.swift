import ClusterKit
import Foundation

/// Prediction intervals for time by split conformal prediction (Lei, G'Sell, Rinaldo,
/// Tibshirani and Wasserman, "Distribution-Free Predictive Inference for Regression", JASA
/// 2018): on samples the model was not fitted on, the absolute `ln` residuals of each device
/// are sorted, and the ⌈(n + 1)·level⌉-th smallest is the half-width `q` of the interval
/// `[t̂·e^(−q), t̂·e^q]`. If those samples are exchangeable with future ones, the interval
/// covers the measurement with probability at least `level`.
///
/// Devices with fewer than `minimum` calibration samples (and devices never seen) use the
/// half-width pooled over all samples. Scores are normalized by each query's `1 + novelty`
/// (``Novelty``), and an answer's half-width is `q·(1 + novelty)`: queries far from the
/// training data get proportionally wider intervals.
public struct TimeIntervals: Sendable, Codable, Hashable {
    public var level: Double
    /// Half-width in `ln` time, by device.
    public var halfWidths: [String: Double]
    /// Calibration samples behind each device's half-width.
    public var counts: [String: Int]
    public var pooled: Double
    public var pooledCount: Int

    public init(level: Double, halfWidths: [String: Double], counts: [String: Int], pooled: Double, pooledCount: Int) {
        self.level = level
        self.halfWidths = halfWidths
        self.counts = counts
        self.pooled = pooled
        self.pooledCount = pooledCount
    }

    /// The conformal half-width of `residuals` (absolute, any order) at `level`; infinite when
    /// there are too few for the level.
    public static func halfWidth(_ residuals: [Double], level: Double) -> Double {
        let sorted = residuals.map(abs).sorted()
        let rank = Int((Double(sorted.count + 1) * level).rounded(.up))
        return rank <= sorted.count ? sorted[rank - 1] : .infinity
    }

    /// Calibrates `model` on `samples` of `data` with a measured time.
    public static func calibrate(_ model: PerfModel, data: PerfDataset, samples: [Int], catalog: DeviceCatalog?,
                                 level: Double = 0.9, minimum: Int = 20) throws -> TimeIntervals? {
        let timed = samples.filter { (data.samples[$0].time ?? 0) > 0 }
        guard !timed.isEmpty else { return nil }
        let predictions = try model.predict(data, samples: timed, catalog: catalog)
        var byDevice: [String: [Double]] = [:], all: [Double] = []
        for (p, i) in zip(predictions, timed) {
            guard let t = p.time, t > 0, t.isFinite else { continue }
            // Normalized conformal score: the residual over the query's local scale 1 + novelty.
            let r = (Foundation.log(t) - Foundation.log(data.samples[i].time!)) / (1 + (p.novelty ?? 0))
            byDevice[data.samples[i].device, default: []].append(r)
            all.append(r)
        }
        let pooled = halfWidth(all, level: level)
        guard pooled.isFinite else { return nil }
        var widths: [String: Double] = [:], counts: [String: Int] = [:]
        for (device, r) in byDevice where r.count >= minimum {
            widths[device] = halfWidth(r, level: level)
            counts[device] = r.count
        }
        return TimeIntervals(level: level, halfWidths: widths, counts: counts, pooled: pooled, pooledCount: all.count)
    }

    /// The half-width for `device`.
    public func halfWidth(for device: String) -> Double { halfWidths[device] ?? pooled }

    /// Whether every figure is usable (for loading).
    var isValid: Bool {
        level > 0 && level < 1 && pooled.isFinite && pooled >= 0 && halfWidths.values.allSatisfy { $0.isFinite && $0 >= 0 }
    }
}
