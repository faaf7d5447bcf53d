import ClusterKit
import Foundation
@testable import PerfModels
import Testing

/// The class-weighted roofline baseline (``ClassRooflineRegression``).
@Suite struct ClassRooflineRegressionTests {
    /// Times made exactly by the model's form (known utilizations per class, an efficiency per
    /// GPU) on NAS-Bench-201 cells in training and inference are fitted back: every answer
    /// within 1%, each GPU's efficiency within 1% of the truth relative to the other's; a CPU
    /// sample gets no answer.
    @Test func recoversTimesOfItsOwnForm() throws {
        let catalog = try PerfFixtures.catalog.get()
        var data = try PerfFixtures.dataset(devices: ["a100-sxm4-40gb", "v100-sxm2-16gb", "xeon-silver-4114"])
        let base = data.samples
        for s in base where s.device != "xeon-silver-4114" {
            var t = s
            t.mode = .train
            data.samples.append(t)
        }
        let truth = [0.9, 1.4, 0.7, 2.0, 1.1, 3.0, 1.0, 1.6]
        let efficiency = ["a100-sxm4-40gb": 1.0, "v100-sxm2-16gb": 1.8]
        var gpu: [Int] = []
        for i in data.samples.indices {
            guard let f = ClassRooflineRegression.features(data, data.samples[i], catalog: catalog) else { continue }
            data.samples[i].time = efficiency[data.samples[i].device]! * zip(f, truth).reduce(0) { $0 + $1.0 * $1.1 }
            gpu.append(i)
        }
        #expect(gpu.count > data.samples.count / 2)
        let fit = ClassRooflineRegression(data, train: Array(data.samples.indices), catalog: catalog, rounds: 200)
        let answers = try fit.times(data, samples: Array(data.samples.indices))
        for (i, a) in answers.enumerated() {
            if data.samples[i].device == "xeon-silver-4114" { #expect(a == nil); continue }
            let t = try #require(a)
            #expect(abs(t / data.samples[i].time! - 1) < 0.01)
        }
        let ratio = Foundation.exp(fit.offsets["v100-sxm2-16gb"]! - fit.offsets["a100-sxm4-40gb"]!)
        #expect(abs(ratio / 1.8 - 1) < 0.01)
        #expect(fit.weights.count == ClassRooflineRegression.columns.count && fit.weights.allSatisfy { $0 > 0 && $0.isFinite })
    }

    /// The dense solver behind the Gauss–Newton steps (`Ridge.solve`), against a positive
    /// definite system with a known answer, and a singular one, whose non-finite answer the
    /// fit rejects (raising its damping).
    @Test func solvesSmallSystems() throws {
        let m: [Double] = [4, 2, 0,
                           2, 5, 1,
                           0, 1, 3]
        let x = Ridge.solve(normal: m, rhs: [8, 15, 11])
        #expect(zip(x, [1.0, 2.0, 3.0]).allSatisfy { abs($0 - $1) < 1e-12 })
        let singular = Ridge.solve(normal: [1, 2, 2, 4], rhs: [1, 2])
        #expect(singular.contains { !$0.isFinite })
    }
}
