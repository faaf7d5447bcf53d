import Foundation

/// Per-column standardization, `(x − mean) / std`, with statistics from training data only and
/// stored with the model. Columns that do not vary get `std = 1`.
public struct FeatureNormalizer: Sendable, Hashable, Codable {
    public var mean: [Float]
    public var std: [Float]

    public init(mean: [Float], std: [Float]) {
        self.mean = mean
        self.std = std
    }

    /// Statistics of the rows of a `rows × width` row-major block (or several blocks).
    public init(width: Int, blocks: [[Float]]) {
        var sum = [Double](repeating: 0, count: width), sq = [Double](repeating: 0, count: width)
        var n = 0.0
        for block in blocks {
            let rows = block.count / max(width, 1)
            for r in 0..<rows {
                for c in 0..<width {
                    let x = Double(block[r * width + c])
                    sum[c] += x
                    sq[c] += x * x
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
    }

    public var width: Int { mean.count }

    /// Standardizes a row-major block in place.
    public func apply(_ block: inout [Float]) {
        let w = width
        block.withUnsafeMutableBufferPointer { p in
            var i = 0
            while i < p.count {
                for c in 0..<w { p[i + c] = (p[i + c] - mean[c]) / std[c] }
                i += w
            }
        }
    }

    /// A standardized copy.
    public func applied(_ block: [Float]) -> [Float] {
        var b = block
        apply(&b)
        return b
    }
}
