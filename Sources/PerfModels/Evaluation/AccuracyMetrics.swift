import AugurCore
import Foundation

/// Accuracy of predictions against measurements, as performance-prediction papers report it:
/// MAPE and RMSPE (percent), the share of predictions within ±5% and ±10% of the measurement,
/// and rank agreement (Spearman's ρ; Kendall's τ-b, computed with Knight's O(n log n) method).
public struct AccuracyMetrics: Sendable, Hashable, Codable {
    public var count: Int
    /// Mean absolute percentage error, percent.
    public var mape: Double
    /// Median absolute percentage error, percent: unlike the mean, not ruled by a few damaged
    /// labels.
    public var medianAPE: Double
    /// Root mean squared percentage error, percent.
    public var rmspe: Double
    /// Share of predictions within ±5% (0...1).
    public var within5: Double
    /// Share within ±10%.
    public var within10: Double
    public var spearman: Double
    public var kendall: Double

    /// Metrics of `predicted` against `measured` (positive values, same length).
    public init(predicted: [Double], measured: [Double]) {
        precondition(predicted.count == measured.count, "AccuracyMetrics: \(predicted.count) predictions for \(measured.count) measurements")
        count = measured.count
        guard count > 0 else { mape = .nan; medianAPE = .nan; rmspe = .nan; within5 = .nan; within10 = .nan; spearman = .nan; kendall = .nan; return }
        var abs = 0.0, sq = 0.0, w5 = 0, w10 = 0
        var errors: [Double] = []
        errors.reserveCapacity(count)
        for (p, m) in zip(predicted, measured) {
            let e = (p - m) / m
            abs += Swift.abs(e)
            errors.append(Swift.abs(e))
            sq += e * e
            if Swift.abs(e) <= 0.05 { w5 += 1 }
            if Swift.abs(e) <= 0.10 { w10 += 1 }
        }
        let n = Double(count)
        mape = 100 * abs / n
        errors.sort()
        medianAPE = 100 * (count % 2 == 1 ? errors[count / 2] : (errors[count / 2 - 1] + errors[count / 2]) / 2)
        rmspe = 100 * (sq / n).squareRoot()
        within5 = Double(w5) / n
        within10 = Double(w10) / n
        spearman = Self.spearman(predicted, measured)
        kendall = Self.kendallTauB(predicted, measured)
    }

    /// Ranks from 1, ties sharing their average rank.
    static func ranks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] || (x[$0] == x[$1] && $0 < $1) }
        var r = [Double](repeating: 0, count: x.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
            let average = Double(i + j) / 2 + 1
            for k in i...j { r[order[k]] = average }
            i = j + 1
        }
        return r
    }

    /// Spearman's rank correlation: Pearson's correlation of the ranks.
    public static func spearman(_ a: [Double], _ b: [Double]) -> Double {
        pearson(ranks(a), ranks(b))
    }

    static func pearson(_ a: [Double], _ b: [Double]) -> Double { Correlation.pearson(a, b) }

    /// Kendall's τ-b (Knight 1966, "A Computer Method for Calculating Kendall's Tau with
    /// Ungrouped Data"): sort by `a`, count the swaps a merge sort of `b` needs.
    public static func kendallTauB(_ a: [Double], _ b: [Double]) -> Double {
        let n = a.count
        guard n > 1 else { return .nan }
        let order = a.indices.sorted { a[$0] < a[$1] || (a[$0] == a[$1] && b[$0] < b[$1]) }
        var x = order.map { a[$0] }, y = order.map { b[$0] }
        func tiePairs(_ v: [Double], _ w: [Double]?) -> Int {
            var total = 0, run = 1
            for i in 1..<n {
                if v[i] == v[i - 1] && (w == nil || w![i] == w![i - 1]) { run += 1 } else { total += run * (run - 1) / 2; run = 1 }
            }
            return total + run * (run - 1) / 2
        }
        let n0 = n * (n - 1) / 2
        let n1 = tiePairs(x, nil)
        let n3 = tiePairs(x, y)
        var buffer = y
        let swaps = mergeCountSwaps(&y, &buffer, 0, n)
        x = y  // y is now sorted
        let n2 = tiePairs(x, nil)
        let numerator = Double(n0 - n1 - n2 + n3) - 2 * Double(swaps)
        let denominator = (Double(n0 - n1) * Double(n0 - n2)).squareRoot()
        return denominator > 0 ? numerator / denominator : .nan
    }

    private static func mergeCountSwaps(_ v: inout [Double], _ tmp: inout [Double], _ lo: Int, _ hi: Int) -> Int {
        guard hi - lo > 1 else { return 0 }
        let mid = (lo + hi) / 2
        var swaps = mergeCountSwaps(&v, &tmp, lo, mid) + mergeCountSwaps(&v, &tmp, mid, hi)
        var i = lo, j = mid, k = lo
        while i < mid || j < hi {
            if j >= hi || (i < mid && v[i] <= v[j]) {
                tmp[k] = v[i]; i += 1
            } else {
                tmp[k] = v[j]; swaps += mid - i; j += 1
            }
            k += 1
        }
        for t in lo..<hi { v[t] = tmp[t] }
        return swaps
    }
}
