import Foundation
import Tensors
import Testing
@testable import PerfModels

/// ``WeightAverage``: the exponential moving average of the weights that `--weight-average` keeps.
@Suite struct WeightAverageTests {
    /// The decay follows the half-life (0.5 after `halfLife × stepsPerEpoch` steps), and each
    /// update is `d·avg + (1 − d)·value` with the debiased `d` of the early steps.
    @Test func averageFollowsTheDebiasedDecay() {
        let p = Parameter(Tensor(shape: [2], data: [0, 10]))
        var average = WeightAverage([p], halfLife: 0.5, stepsPerEpoch: 40)
        #expect(abs(pow(average.decay, 20) - 0.5) < 1e-12)
        var expected: [Double] = [0, 10]
        for step in 1...50 {
            p.value = Tensor(shape: [2], data: [Float(step), 10 - Float(step)])
            average.update([p])
            let d = min(average.decay, Double(1 + step) / Double(10 + step))
            expected = [d * expected[0] + (1 - d) * Double(step), d * expected[1] + (1 - d) * (10 - Double(step))]
        }
        #expect(abs(Double(average.values[0].data[0]) - expected[0]) < 1e-3)
        #expect(abs(Double(average.values[0].data[1]) - expected[1]) < 1e-3)
        #expect(average.values[0].data[0] < 50, "an average lags the last value")
    }

    /// Training with an average keeps averaged weights: deterministic, different from the raw
    /// run's, and still fitting.
    @Test func trainingWithAnAverageIsDeterministicAndKeepsTheAverage() throws {
        let data = try PerfFixtures.dataset()
        let split = DatasetSplit(train: Array(0..<8), validation: Array(8..<12), test: [])
        func run(_ halfLife: Double?) throws -> ([EpochReport], [Float]) {
            var options = TrainingOptions()
            options.epochs = 12
            options.graphsPerBatch = 2
            options.weightAverageHalfLife = halfLife
            let model = try PerfFixtures.model(.seernet, data: data)
            let r = try Trainer.train(model, data: data, split: split, catalog: try PerfFixtures.catalog.get(), options: options)
            return (r, model.store.parameters.flatMap(\.value.data))
        }
        let (a, wa) = try run(0.5), (b, wb) = try run(0.5), (c, wc) = try run(nil)
        #expect(wa == wb)
        #expect(a.map(\.validationTimeMAPE) == b.map(\.validationTimeMAPE))
        #expect(wa != wc)
        #expect(a.first!.trainLoss == c.first!.trainLoss, "the average does not change what training steps on")
        #expect(a.last!.trainLoss < a.first!.trainLoss)
    }
}
