import ClusterKit
import Foundation
import PerfModels
import Testing

/// Adapting to a new device by reference: the map found, its leave-one-out error, that no
/// other device's answers move, and the map surviving a checkpoint.
@Suite struct AdaptationTests {
    /// The fixture graphs on `device` (not in the catalog), timed by `time(graph)`.
    static func samples(on device: String, time: (Int) -> Double) throws -> PerfDataset {
        var data = try PerfFixtures.dataset(devices: [])
        data.samples = data.graphs.indices.map { PerfSample(graph: $0, device: device, batchSize: 1, mode: .infer, time: time($0)) }
        return data
    }

    /// The model's times for every fixture graph on `device`.
    static func times(_ model: PerfModel, on device: String) throws -> [Double] {
        let data = try PerfFixtures.dataset(devices: [device])
        return try model.predict(data, samples: Array(data.samples.indices), catalog: PerfFixtures.catalog.get()).map { $0.time! }
    }

    static func model() throws -> PerfModel {
        try PerfFixtures.model(.seernet, data: PerfFixtures.dataset())
    }

    @Test func findsTheDeviceTheSamplesAreAnAffineMapOf() throws {
        let model = try Self.model()
        let catalog = try PerfFixtures.catalog.get()
        let pixel = try Self.times(model, on: "pixel3")
        let gtxBefore = try Self.times(model, on: "gtx-1080ti")
        let data = try Self.samples(on: "my-board") { exp(0.3 + 0.8 * log(pixel[$0])) }
        let r = try Adaptation.reference(model, data: data, samples: Array(0..<5), device: "my-board", catalog: catalog)
        #expect(r.reference == "pixel3")
        #expect(abs(r.scale - 0.8) < 1e-3 && abs(r.offset - 0.3) < 1e-2)
        #expect(r.leaveOneOutError < 1e-4)
        #expect(r.samples == 5 && r.batchSize == 1 && r.mode == .infer)
        // The sixth graph was not among the samples; the map carries over to it.
        let predicted = try model.predict(data, samples: Array(data.samples.indices), catalog: catalog).map { $0.time! }
        for (p, t) in zip(predicted, data.samples.map { $0.time! }) { #expect(abs(p / t - 1) < 1e-3) }
        // No other device moves: adapting changed no weight.
        #expect(try Self.times(model, on: "gtx-1080ti") == gtxBefore)
        #expect(model.canPredict("my-board", catalog: catalog))
    }

    @Test func leaveOneOutErrorIsTheRefitsRMS() throws {
        let model = try Self.model()
        let catalog = try PerfFixtures.catalog.get()
        var generator = SeededGenerator(seed: 3, stream: "noise")
        let gtx = try Self.times(model, on: "gtx-1080ti")
        let data = try Self.samples(on: "my-board") { exp(-1 + 1.2 * log(gtx[$0]) + Double.random(in: -0.2...0.2, using: &generator)) }
        let all = Array(data.samples.indices)
        let r = try Adaptation.reference(model, data: data, samples: all, device: "my-board", catalog: catalog)
        let x = try Self.times(model, on: r.reference).map(log), y = data.samples.map { log($0.time!) }
        // Refit without each sample in turn, with the same kind of map, and predict it.
        var sum = 0.0
        for i in all {
            let xs = all.filter { $0 != i }.map { x[$0] }, ys = all.filter { $0 != i }.map { y[$0] }
            let n = Double(xs.count), mx = xs.reduce(0, +) / n, my = ys.reduce(0, +) / n
            var scale = 1.0
            if r.scale != 1 {
                scale = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
            }
            let e = y[i] - (my - scale * mx) - scale * x[i]
            sum += e * e
        }
        #expect(abs((sum / Double(all.count)).squareRoot() - r.leaveOneOutError) < 1e-6)
    }

    @Test func referencesSurviveACheckpointAndDamagedOnesAreNamed() throws {
        let model = try Self.model()
        let catalog = try PerfFixtures.catalog.get()
        let pixel = try Self.times(model, on: "pixel3")
        let data = try Self.samples(on: "my-board") { 2 * pixel[$0] }
        try Adaptation.reference(model, data: data, samples: Array(0..<4), device: "my-board", catalog: catalog)
        let dir = PerfFixtures.temporaryDirectory("ref")
        try Checkpoint.save(model, to: dir, training: nil)
        let (loaded, _) = try Checkpoint.load(dir)
        #expect(loaded.references == model.references)
        let all = Array(data.samples.indices)
        #expect(try loaded.predict(data, samples: all, catalog: catalog) == model.predict(data, samples: all, catalog: catalog))
        let path = "\(dir)/model.json"
        let text = String(decoding: FileManager.default.contents(atPath: path)!, as: UTF8.self)
        let referenced = try #require(model.references["my-board"]?.reference)
        try Data(text.replacingOccurrences(of: "\"reference\" : \"\(referenced)\"", with: "\"reference\" : \"nowhere\"").utf8)
            .write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: CheckpointError.self) { try Checkpoint.load(dir) }
        #expect(error.file == path && error.field == "references.my-board")
    }

    @Test func oneSampleIsTooFew() throws {
        let model = try Self.model()
        let data = try Self.samples(on: "my-board") { _ in 0.01 }
        #expect(throws: Adaptation.ReferenceError.self) {
            try Adaptation.reference(model, data: data, samples: [0], device: "my-board", catalog: PerfFixtures.catalog.get())
        }
        #expect(model.references.isEmpty)
    }
}

/// The interval of a device adapted by reference comes from the whole choice left out one
/// sample at a time.
@Suite struct ReferenceIntervalTests {
    @Test func halfWidthIsTheLargestResidualOfTheChoiceWithoutEachSample() throws {
        let catalog = try PerfFixtures.catalog.get()
        let base = try IntervalTests.noisyDataset(cells: 12)
        let model = try PerfFixtures.model(.seernet, data: base)
        var generator = SeededGenerator(seed: 4, stream: "board")
        let gtx = try model.predict(base, samples: base.samples.indices.filter { base.samples[$0].device == "gtx-1080ti" }, catalog: catalog).map { $0.time! }
        var data = base
        data.samples = base.graphs.indices.map {
            PerfSample(graph: $0, device: "my-board", batchSize: 1, mode: .infer, time: 3 * gtx[$0] * exp(Double.random(in: -0.1...0.1, using: &generator)))
        }
        let shots = Array(0..<10)
        let adapted = model.clone()
        let r = try Adaptation.reference(adapted, data: data, samples: shots, device: "my-board", catalog: catalog)
        let h = try #require(r.intervalHalfWidth)
        // Brute force: adapt without sample i, predict it.
        var residuals: [Double] = []
        for i in shots {
            let without = model.clone()
            try Adaptation.reference(without, data: data, samples: shots.filter { $0 != i }, device: "my-board", catalog: catalog)
            let p = try without.predict(data, samples: [i], catalog: catalog)[0].time!
            residuals.append(abs(log(data.samples[i].time!) - log(p)))
        }
        // ⌈(10 + 1)·0.9⌉ = 10: the largest.
        #expect(abs(h - residuals.max()!) < 1e-6)
        // Nine samples still give an interval; eight do not.
        #expect(try Adaptation.reference(model.clone(), data: data, samples: Array(0..<9), device: "my-board", catalog: catalog).intervalHalfWidth != nil)
        #expect(try Adaptation.reference(model.clone(), data: data, samples: Array(0..<8), device: "my-board", catalog: catalog).intervalHalfWidth == nil)
    }
}
