import Foundation
import PerfModels
import Tensors
import Testing

@Suite struct MetricsTests {
    @Test func percentErrorsAndShares() {
        let m = AccuracyMetrics(predicted: [110, 95, 100, 130], measured: [100, 100, 100, 100])
        #expect(abs(m.mape - 11.25) < 1e-9)
        #expect(abs(m.rmspe - (Double(100 + 25 + 0 + 900) / 4).squareRoot()) < 1e-9)
        #expect(m.within5 == 0.5)
        #expect(m.within10 == 0.75)
        #expect(abs(m.medianAPE - 7.5) < 1e-9, "errors 0, 5, 10, 30: median 7.5")
        let odd = AccuracyMetrics(predicted: [100, 1, 100], measured: [100, 1e-3, 90])
        #expect(abs(odd.medianAPE - 100.0 / 9) < 1e-9, "one damaged label moves the mean, not the median")
    }

    @Test func rankCorrelationsOfMonotoneAndReversedData() {
        let x = (1...50).map(Double.init)
        #expect(AccuracyMetrics.spearman(x, x.map { $0 * $0 }) == 1)
        #expect(abs(AccuracyMetrics.kendallTauB(x, x.reversed()) + 1) < 1e-12)
    }

    /// Knight's O(n log n) τ-b equals the O(n²) definition, ties included.
    @Test func kendallMatchesTheQuadraticDefinition() {
        var g = SeededGenerator(seed: 11)
        for n in [2, 3, 10, 57, 200] {
            let a = (0..<n).map { _ in Double(g.next() % 7) }
            let b = (0..<n).map { _ in Double(g.next() % 5) }
            var concordant = 0.0, discordant = 0.0, tiesA = 0.0, tiesB = 0.0
            for i in 0..<n {
                for j in (i + 1)..<n {
                    let s = (a[i] - a[j]) * (b[i] - b[j])
                    if s > 0 { concordant += 1 } else if s < 0 { discordant += 1 }
                    if a[i] == a[j] && b[i] != b[j] { tiesA += 1 }
                    if b[i] == b[j] && a[i] != a[j] { tiesB += 1 }
                }
            }
            let expected = (concordant - discordant) / ((concordant + discordant + tiesA) * (concordant + discordant + tiesB)).squareRoot()
            let got = AccuracyMetrics.kendallTauB(a, b)
            if expected.isFinite { #expect(abs(got - expected) < 1e-9, "n = \(n)") } else { #expect(!got.isFinite) }
        }
    }

    @Test func spearmanAveragesTiedRanks() {
        // Pearson of ranks [1.5,1.5,3] vs [1,2,3].
        let r = AccuracyMetrics.spearman([1, 1, 2], [1, 2, 3])
        #expect(abs(r - 0.8660254037844386) < 1e-12)
    }

    @Test func pcgradRemovesConflictingComponents() {
        var g = SeededGenerator(seed: 1)
        let a = Tensor(shape: [1, 2], data: [1, 0]), b = Tensor(shape: [1, 2], data: [-1, 1])
        let own = Tensor(shape: [1, 1], data: [5])
        let combined = PCGrad.combine([[a, own], [b, nil]], shared: [true, false], generator: &g)
        // a loses its component along b: a - (a·b/|b|²) b = [0.5, 0.5]; b loses its component along a: [0, 1].
        #expect(combined[0]!.data == [0.5, 1.5])
        #expect(combined[1]!.data == [5], "task-specific parameters keep their own gradient")
        let agreeing = PCGrad.combine([[a, nil], [a, nil]], shared: [true, false], generator: &g)
        #expect(agreeing[0]!.data == [2, 0])
    }
}
