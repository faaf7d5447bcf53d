import ClusterKit
import Foundation
@testable import PerfModels
import Tensors
import Testing

/// The ridge solver and the device-efficiency regression built on it.
@Suite struct SpecRegressionTests {
    /// On noiseless, well-posed data, a nearly unpenalized fit recovers the generating weights.
    @Test func ridgeRecoversALinearFunction() {
        var generator = SeededGenerator(seed: 5)
        let truth = [0.5, -1.25, 2.0, 0.75]
        var rows: [[Double]] = [], target: [Double] = []
        for _ in 0..<40 {
            let x = (0..<3).map { _ in Double(generator.next() % 1000) / 100 - 5 }
            rows.append(x)
            target.append(truth[0] + zip(x, truth.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 })
        }
        let w = Ridge.fit(rows: rows, target: target, lambda: 1e-9)
        for (a, b) in zip(w, truth) { #expect(abs(a - b) < 1e-6) }
    }

    /// The penalty shrinks the slopes, not the intercept.
    @Test func ridgeShrinksSlopesOnly() {
        let rows = (0..<20).map { [Double($0 % 5) - 2] }
        let target = rows.map { 3 + 2 * $0[0] }
        let loose = Ridge.fit(rows: rows, target: target, lambda: 1e-9)
        let tight = Ridge.fit(rows: rows, target: target, lambda: 1e6)
        #expect(abs(loose[1] - 2) < 1e-6)
        #expect(abs(tight[1]) < 0.01)
        #expect(abs(tight[0] - 3) < 1e-6)
    }

    /// Every training device runs twice as long as its roofline: an unseen device is predicted
    /// at twice its own roofline, whatever its specs.
    @Test func aConstantEfficiencyCarriesToAnUnseenDevice() throws {
        let catalog = try PerfFixtures.catalog.get()
        var data = try PerfFixtures.dataset(devices: ["gtx-1080ti", "v100-pcie-32gb", "t4"])
        for i in data.samples.indices { data.samples[i].time = 2 * data.samples[i].priorTime! }
        let train = data.samples.indices.filter { data.samples[$0].device != "t4" }
        let test = data.samples.indices.filter { data.samples[$0].device == "t4" }
        let model = SpecRegression(data, train: Array(train), catalog: catalog)
        for (i, t) in zip(test, try model.times(data, samples: Array(test))) {
            #expect(abs(t! / data.samples[i].priorTime! - 2) < 1e-6)
        }
    }

    /// A device whose roofline is unknown gets no answer.
    @Test func noPriorNoAnswer() throws {
        let catalog = try PerfFixtures.catalog.get()
        var data = try PerfFixtures.dataset()
        data.samples[0].priorTime = nil
        let model = SpecRegression(data, train: Array(data.samples.indices.dropFirst()), catalog: catalog)
        #expect(try model.times(data, samples: [0]) == [nil])
    }
}
