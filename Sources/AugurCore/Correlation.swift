/// Correlation coefficients shared by the predictor's accuracy reports and the simulator's
/// comparisons.
public enum Correlation {
    /// Pearson's product-moment correlation of two equally long samples; nan when either has no
    /// spread or fewer than two values.
    public static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count)
        guard a.count > 1, a.count == b.count else { return .nan }
        let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for (x, y) in zip(a, b) {
            sab += (x - ma) * (y - mb)
            saa += (x - ma) * (x - ma)
            sbb += (y - mb) * (y - mb)
        }
        return saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : .nan
    }
}
