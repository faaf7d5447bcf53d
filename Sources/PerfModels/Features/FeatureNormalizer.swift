import Foundation

/// Per-column standardization, `(x − mean) / std`, with statistics from training data only and
/// stored with the model. Columns that do not vary get `std = 1`.
///
/// A normalizer fitted with `clipping` also keeps each column's training range and clips raw
/// values to it before standardizing, so that no input far outside what the model was trained
/// on reaches its layers (a graph ten times deeper than any in training is read as the deepest
/// one seen); ``excess(_:)`` says how far outside a row lies, for the model's novelty measure.
public struct FeatureNormalizer: Sendable, Hashable, Codable {
    public var mean: [Float]
    public var std: [Float]
    /// Smallest and largest raw value of each column in training (nil: no clipping; models
    /// saved before clipping existed load without it).
    public var low: [Float]?
    public var high: [Float]?

    public init(mean: [Float], std: [Float], low: [Float]? = nil, high: [Float]? = nil) {
        self.mean = mean
        self.std = std
        self.low = low
        self.high = high
    }

    /// Statistics of the rows of a `rows × width` row-major block (or several blocks); with
    /// `clipping`, also each column's range.
    public init(width: Int, blocks: [[Float]], clipping: Bool = false) {
        var sum = [Double](repeating: 0, count: width), sq = [Double](repeating: 0, count: width)
        var lo = [Float](repeating: .infinity, count: width), hi = [Float](repeating: -.infinity, count: width)
        var n = 0.0
        for block in blocks {
            let rows = block.count / max(width, 1)
            for r in 0..<rows {
                for c in 0..<width {
                    let f = block[r * width + c]
                    let x = Double(f)
                    sum[c] += x
                    sq[c] += x * x
                    lo[c] = Swift.min(lo[c], f)
                    hi[c] = Swift.max(hi[c], f)
                }
            }
            n += Double(rows)
        }
        mean = (0..<width).map { n > 0 ? Float(sum[$0] / n) : 0 }
        std = (0..<width).map { c in
            guard n > 1 else { return 1 }
            let m = sum[c] / n
            let v = max(sq[c] / n - m * m, 0)
            return v > 1e-10 ? Float(v.squareRoot()) : 1
        }
        if clipping && n > 0 {
            low = lo
            high = hi
        }
    }

    public var width: Int { mean.count }

    /// Whether the statistics can standardize: finite means, finite positive scales, and a
    /// well-formed range where there is one (for loading).
    public var isValid: Bool {
        guard std.count == mean.count, mean.allSatisfy(\.isFinite), std.allSatisfy({ $0.isFinite && $0 > 0 }) else { return false }
        switch (low, high) {
        case (nil, nil): return true
        case let (lo?, hi?):
            return lo.count == mean.count && hi.count == mean.count
                && zip(lo, hi).allSatisfy { $0.isFinite && $1.isFinite && $0 <= $1 }
        default: return false
        }
    }

    /// Standardizes a row-major block in place, clipping raw values to the training range first
    /// where the normalizer has one (NaN becomes the column's mean).
    public func apply(_ block: inout [Float]) {
        let w = width
        guard w > 0 else { return }
        block.withUnsafeMutableBufferPointer { p in
            var i = 0
            if let lo = low, let hi = high {
                while i < p.count {
                    for c in 0..<w {
                        let x = p[i + c]
                        let clipped = x.isNaN ? mean[c] : Swift.min(Swift.max(x, lo[c]), hi[c])
                        p[i + c] = (clipped - mean[c]) / std[c]
                    }
                    i += w
                }
            } else {
                while i < p.count {
                    for c in 0..<w { p[i + c] = (p[i + c] - mean[c]) / std[c] }
                    i += w
                }
            }
        }
    }

    /// A standardized copy.
    public func applied(_ block: [Float]) -> [Float] {
        var b = block
        apply(&b)
        return b
    }

    /// How far each raw value of `row` lies outside the column's training range, in the column's
    /// standard deviations (0 inside; an infinite or NaN value counts as far outside). Empty
    /// without a range.
    public func excess(_ row: ArraySlice<Float>) -> [Float] {
        guard let lo = low, let hi = high else { return [] }
        return zip(row.indices, 0..<width).map { i, c in
            let x = row[i]
            guard x.isFinite else { return Self.farOutside }
            return Swift.max(0, x - hi[c], lo[c] - x) / std[c]
        }
    }

    /// The largest ``excess(_:)`` over the rows of a `rows × width` row-major block, without an
    /// array per row (0 without a range).
    public func maxExcess(_ block: ArraySlice<Float>) -> Float {
        guard let lo = low, let hi = high, width > 0 else { return 0 }
        var worst: Float = 0
        for (k, i) in block.indices.enumerated() {
            let c = k % width, x = block[i]
            let e = x.isFinite ? Swift.max(0, x - hi[c], lo[c] - x) / std[c] : Self.farOutside
            if e > worst { worst = e }
        }
        return worst
    }

    /// The excess counted for a value that is not a number.
    public static let farOutside: Float = 100
}
