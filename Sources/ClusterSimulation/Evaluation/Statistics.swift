#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// A sample's mean and the half-width of its 95% confidence interval (Student's t, n − 1
/// degrees of freedom; 0 for a single value).
public struct MeanInterval: Sendable, Equatable {
    public var mean: Double
    public var halfWidth: Double
    public var count: Int

    public init(_ values: [Double]) {
        count = values.count
        guard !values.isEmpty else { mean = .nan; halfWidth = .nan; return }
        mean = values.reduce(0, +) / Double(values.count)
        guard values.count > 1 else { halfWidth = 0; return }
        let m = mean
        let variance = values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
        halfWidth = Self.t975(degreesOfFreedom: values.count - 1) * sqrt(variance / Double(values.count))
    }

    /// The 0.975 quantile of Student's t: exact table to 30 degrees of freedom, then the
    /// Cornish–Fisher expansion `z + (z³ + z) / 4ν` (within 0.002 of the exact value).
    public static func t975(degreesOfFreedom df: Int) -> Double {
        let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
                               2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        precondition(df >= 1)
        if df <= table.count { return table[df - 1] }
        let z = 1.959964
        return z + (z * z * z + z) / (4 * Double(df))
    }
}

/// How far a predictor's answers are from the measured ones, over (configuration, device) pairs.
public struct PredictionError: Sendable, Equatable {
    /// Pairs with a measurement, and how many of them the predictor answered.
    public var pairs: Int
    public var answered: Int
    /// Mean and median absolute percentage error of time per iteration.
    public var timeMAPE: Double
    public var timeMedianAPE: Double
    /// Time APE averaged over jobs rather than pairs: each pair weighs as many as the trace's
    /// jobs of its configuration (what a policy's decisions are exposed to).
    public var timeJobWeightedAPE: Double
    /// Memory pairs (both measured and predicted) and their mean absolute percentage error.
    public var memoryPairs: Int
    public var memoryMAPE: Double

    public init(_ pairs: [RunResult.Pair]) {
        self.pairs = pairs.count
        var time: [Double] = []
        var memory: [Double] = []
        var weighted = 0.0, weights = 0.0
        for p in pairs {
            if let t = p.predictedTime, p.measuredTime > 0 {
                let ape = abs(t - p.measuredTime) / p.measuredTime * 100
                time.append(ape)
                weighted += ape * Double(p.jobs)
                weights += Double(p.jobs)
            }
            if let m = p.measuredMemory, let q = p.predictedMemory, m > 0 { memory.append(abs(q - m) / m * 100) }
        }
        answered = time.count
        timeJobWeightedAPE = weights > 0 ? weighted / weights : .nan
        timeMAPE = time.isEmpty ? .nan : time.reduce(0, +) / Double(time.count)
        time.sort()
        timeMedianAPE = time.isEmpty ? .nan : time.count % 2 == 1 ? time[time.count / 2] : (time[time.count / 2 - 1] + time[time.count / 2]) / 2
        memoryPairs = memory.count
        memoryMAPE = memory.isEmpty ? .nan : memory.reduce(0, +) / Double(memory.count)
    }
}
