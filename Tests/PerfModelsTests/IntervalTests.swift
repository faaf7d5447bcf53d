import ClusterKit
import Foundation
import ModelGraph
import PerfModels
import Testing

/// Split-conformal time intervals: the order statistic, coverage on the calibration samples,
/// what `predict` returns, and the checkpoint.
@Suite struct IntervalTests {
    @Test func halfWidthIsTheConformalOrderStatistic() {
        let r = (1...9).map { Double($0) / 10 }
        // ⌈(9 + 1)·0.9⌉ = 9: the largest of nine.
        #expect(TimeIntervals.halfWidth(r.map { -$0 }, level: 0.9) == 0.9)
        // ⌈(19 + 1)·0.8⌉ = 16.
        #expect(TimeIntervals.halfWidth((1...19).map(Double.init), level: 0.8) == 16)
        // Eight residuals cannot make a 90% interval.
        #expect(TimeIntervals.halfWidth(Array(r.prefix(8)), level: 0.9) == .infinity)
    }

    /// `cells` seeded-random NAS-Bench-201 cells on two devices, times off a FLOPs law by seeded noise.
    static func noisyDataset(cells: Int = 40) throws -> PerfDataset {
        var generator = SeededGenerator(seed: 11, stream: "interval-data")
        let catalog = try PerfFixtures.catalog.get()
        var data = PerfDataset()
        let ops = NB201Architecture.Operation.allCases.map(\.rawValue)
        for i in 0..<cells {
            let arch = (1...3).map { node in "|" + (0..<node).map { "\(ops.randomElement(using: &generator)!)~\($0)" }.joined(separator: "|") + "|" }.joined(separator: "+")
            let g = try NB201.graph(arch: arch, batchSize: 1)
            data.graphs.append(GraphFeaturizer.features(of: g, batchSize: 1))
            data.info.append(.init(model: "cell-\(i)", family: "nb201", batchSize: 1, hasOperatorLabels: false))
            for (k, d) in ["gtx-1080ti", "pixel3"].enumerated() {
                let prior = PerfDataset.priors(profile: data.graphs[i].profile, mode: .infer, spec: catalog[d])
                let time = (1e-3 + Double(g.cost(mode: .infer).flops) / (k == 0 ? 5e11 : 2e10)) * exp(Double.random(in: -0.3...0.3, using: &generator))
                data.samples.append(PerfSample(graph: i, device: d, batchSize: 1, mode: .infer, time: time,
                                               priorTime: prior.time, priorMemory: prior.memory))
            }
        }
        return data
    }

    @Test func calibratedIntervalsHoldAtLeastTheLevelOnTheirSamples() throws {
        let data = try Self.noisyDataset()
        let catalog = try PerfFixtures.catalog.get()
        let model = try PerfFixtures.model(.sage, data: data)
        let all = Array(data.samples.indices)
        #expect(try model.predict(data, samples: all, catalog: catalog).allSatisfy { $0.timeLower == nil })
        let intervals = try #require(try TimeIntervals.calibrate(model, data: data, samples: all, catalog: catalog))
        #expect(intervals.counts == ["gtx-1080ti": 40, "pixel3": 40] && intervals.pooledCount == 80)
        model.timeIntervals = intervals
        let predictions = try model.predict(data, samples: all, catalog: catalog)
        let coverage = try #require(IntervalCoverage(predictions: predictions, data: data, samples: all))
        #expect(coverage.count == 80 && coverage.coverage >= 0.9)
        for (p, i) in zip(predictions, all) {
            // q·(1 + novelty) either side, unless the model's bounds cut the interval.
            let q = intervals.halfWidth(for: data.samples[i].device) * (1 + (p.novelty ?? 0))
            let bound = try #require(p.timeBound)
            #expect(abs(p.timeUpper! / p.time! - exp(q)) < 1e-9 || abs(p.timeUpper! / bound.upperBound - 1) < 1e-9)
            #expect(abs(p.time! / p.timeLower! - exp(q)) < 1e-9 || abs(p.timeLower! / bound.lowerBound - 1) < 1e-9)
        }
        // A device with no calibration samples gets the pooled half-width.
        #expect(intervals.halfWidth(for: "samsung-s7") == intervals.pooled)
    }

    @Test func trainingCalibratesOnValidationAndTheCheckpointKeepsIt() throws {
        let data = try Self.noisyDataset(cells: 100)
        let catalog = try PerfFixtures.catalog.get()
        let model = try PerfFixtures.model(.sage, data: data)
        let split = DatasetSplit(data, kind: .random, seed: 2)
        var options = TrainingOptions()
        options.epochs = 2
        _ = try Trainer.train(model, data: data, split: split, catalog: catalog, options: options)
        let intervals = try #require(model.timeIntervals)
        #expect(intervals.pooledCount == split.validation.count && split.validation.count >= 9)
        let dir = PerfFixtures.temporaryDirectory("intervals")
        try Checkpoint.save(model, to: dir, training: nil)
        let (loaded, _) = try Checkpoint.load(dir)
        #expect(loaded.timeIntervals == intervals)
        let path = "\(dir)/model.json"
        let text = String(decoding: FileManager.default.contents(atPath: path)!, as: UTF8.self)
        let damaged = text.replacingOccurrences(of: "\"level\" : 0.9", with: "\"level\" : 1.5")
        #expect(damaged != text)
        try Data(damaged.utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: CheckpointError.self) { try Checkpoint.load(dir) }
        #expect(error.field == "timeIntervals")
    }
}
