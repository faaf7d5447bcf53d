import ClusterKit
import Foundation
import ModelGraph
import Testing
import Tensors
@testable import PerfModels

/// The predictor never answers absurdly: inputs are clipped to their training range, heads are
/// bounded around the analytic prior (``ResidualBounds``), and novelty widens the intervals.
@Suite struct BoundedPredictionTests {
    @Test func normalizerClipsToTheTrainingRangeAndMeasuresExcess() {
        let n = FeatureNormalizer(width: 2, blocks: [[0, 10, 2, 20, 4, 30]], clipping: true)
        #expect(n.low == [0, 10] && n.high == [4, 30])
        let inside = n.applied([2, 20]), far = n.applied([400, -1e9])
        #expect(far[0] == n.applied([4, 30])[0] && far[1] == n.applied([0, 10])[1])
        #expect(inside.allSatisfy { $0.isFinite })
        let e = n.excess([8, 20][...])
        #expect(abs(e[0] - 4 / n.std[0]) < 1e-5 && e[1] == 0)
        #expect(n.excess([Float.nan, 20][...])[0] == FeatureNormalizer.farOutside)
        #expect(n.isValid)
        var broken = n
        broken.std[0] = 0
        #expect(!broken.isValid)
        let unclipped = FeatureNormalizer(width: 2, blocks: [[0, 10, 2, 20]])
        #expect(unclipped.low == nil && unclipped.excess([9, 9][...]).isEmpty)
    }

    @Test func softClampStaysInsideEveryRow() {
        let z = Variable(Tensor(shape: [5, 1], data: [-1e30, -3, 0.2, 7, 1e30]))
        let out = PerfModel.softClamp(z, low: [-1, -1, -1, 0, 2], high: [1, 1, 1, 5, 3]).value.data
        for (i, (lo, hi)) in zip([Float(-1), -1, -1, 0, 2], [Float(1), 1, 1, 5, 3]).enumerated() {
            #expect(out[i] >= lo && out[i] <= hi, "row \(i): \(out[i])")
        }
        #expect(abs(out[2] - 0.2) < 0.01)  // close to the identity near the centre
        #expect(PerfModel.softClamp(z, low: [], high: []).value.data == z.value.data)
    }

    @Test func residualBoundsComeFromTrainingWithAMargin() {
        let b = ResidualBounds(residuals: [("gpu", true, 0.5), ("gpu", true, 1.5), ("cpu", true, 3), ("phone/no-prior", false, -6)])
        let gpu = b.range("gpu", hasPrior: true)!
        #expect(abs(gpu.low - (0.5 - ResidualBounds.margin)) < 1e-6 && abs(gpu.high - (1.5 + ResidualBounds.margin)) < 1e-6)
        let unknown = b.range("edge-gpu", hasPrior: true)!  // pooled over the kinds with a prior
        #expect(abs(unknown.high - (3 + ResidualBounds.margin)) < 1e-6)
        #expect(b.range("sbc/no-prior", hasPrior: false)!.low < -6)
        #expect(b.isValid)
    }

    /// A model whose weights were blown up by a factor of 1,000 (what a far-out-of-range input
    /// does to an unbounded head) still answers inside its bounds on every catalog device.
    @Test func absurdWeightsStillGiveBoundedAnswers() throws {
        let catalog = try PerfFixtures.catalog.get()
        let data = try PerfFixtures.dataset()
        let model = try PerfFixtures.model(.seernet, data: data)
        for p in model.store.parameters { p.value = Tensor(shape: p.value.shape, data: p.value.data.map { $0 * 1000 + 3 }) }
        var queries = PerfDataset()
        queries.graphs = data.graphs
        queries.info = data.info
        for device in catalog.devices.map(\.name) {
            for g in data.graphs.indices {
                let prior = PerfDataset.priors(profile: data.graphs[g].profile, mode: .infer, spec: catalog[device])
                queries.samples.append(PerfSample(graph: g, device: device, batchSize: 1, mode: .infer, priorTime: prior.time, priorMemory: prior.memory))
            }
        }
        let answers = try model.predict(queries, samples: Array(queries.samples.indices), catalog: catalog)
        for (s, p) in zip(queries.samples, answers) {
            let t = try #require(p.time)
            let bound = try #require(p.timeBound)
            #expect(t.isFinite && t > 0, "\(s.device)")
            #expect(bound.contains(t) || abs(t / bound.upperBound - 1) < 1e-4 || abs(t / bound.lowerBound - 1) < 1e-4, "\(s.device): \(t) outside \(bound)")
            if let prior = s.priorTime { #expect(t / prior < 1e4 && prior / t < 1e4, "\(s.device): \(t) vs prior \(prior)") }
        }
    }

    @Test func noveltyIsZeroInsideAndGrowsOutside() throws {
        let catalog = try PerfFixtures.catalog.get()
        let data = try PerfFixtures.dataset()
        let model = try PerfFixtures.model(.seernet, data: data)
        let inside = data.samples[0]
        let vector = try #require(model.deviceVector(inside.device, catalog: catalog))
        let n0 = model.novelty(data.graphs[inside.graph], context: SampleContext.vector(inside, device: vector), trainedDevice: true)
        #expect(n0.distance == 0 && n0.outside.isEmpty)
        let resnet = try ResNet.graph(ResNet.configs["resnet50"]!, batchSize: 64)
        let g = GraphFeaturizer.features(of: resnet, batchSize: 64)
        var far = inside
        far.batchSize = 64
        let n1 = model.novelty(g, context: SampleContext.vector(far, device: vector), trainedDevice: false)
        #expect(n1.distance > 1 && n1.untrainedDevice && !n1.outside.isEmpty)
        #expect(n1.outside.map(\.excess) == n1.outside.map(\.excess).sorted(by: >))
        #expect(n1.outside.contains { $0.name.contains("batch") })
    }

    /// Intervals widen by `1 + novelty`, and never leave the bounds.
    @Test func intervalsWidenWithNovelty() throws {
        let catalog = try PerfFixtures.catalog.get()
        var data = try PerfFixtures.dataset()
        let model = try PerfFixtures.model(.seernet, data: data)
        model.timeIntervals = TimeIntervals(level: 0.9, halfWidths: [:], counts: [:], pooled: 0.1, pooledCount: 10)
        let resnet = try ResNet.graph(ResNet.configs["resnet18"]!, batchSize: 1)
        data.graphs.append(GraphFeaturizer.features(of: resnet, batchSize: 1))
        data.info.append(.init(model: "resnet18", family: "resnet", batchSize: 1, hasOperatorLabels: false))
        let prior = PerfDataset.priors(profile: data.graphs.last!.profile, mode: .infer, spec: catalog["gtx-1080ti"])
        data.samples.append(PerfSample(graph: data.graphs.count - 1, device: "gtx-1080ti", batchSize: 1, mode: .infer, priorTime: prior.time, priorMemory: prior.memory))
        let p = try model.predict(data, samples: [0, data.samples.count - 1], catalog: catalog)
        let width = { (q: SamplePrediction) in Foundation.log(q.timeUpper! / q.timeLower!) }
        #expect(p[0].novelty == 0)
        #expect(abs(width(p[0]) - 0.2) < 1e-6)
        let d = try #require(p[1].novelty)
        #expect(d > 0)
        let bound = try #require(p[1].timeBound)
        #expect(width(p[1]) > 0.2 || p[1].timeLower! <= bound.lowerBound * 1.0001 || p[1].timeUpper! >= bound.upperBound * 0.9999)
        #expect(p[1].timeLower! >= bound.lowerBound * 0.9999 && p[1].timeUpper! <= bound.upperBound * 1.0001)
    }
}

/// NeuSight's form (``PhysicsHead``): time is launch overheads and roofline, each over a
/// bounded efficiency.
@Suite struct PhysicsHeadTests {
    @Test func answersStayAboveHalfTheRooflineAndTrainingImproves() throws {
        let catalog = try PerfFixtures.catalog.get()
        let data = try PerfFixtures.dataset()
        let hyper = ModelHyper(kind: .seernet, hidden: 16, layers: 2, heads: 2, deviceLatent: 4, targets: [.time], seed: 7, physicsHead: true)
        let model = Trainer.makeModel(hyper: hyper, data: data, train: Array(data.samples.indices), catalog: catalog)
        var options = TrainingOptions()
        options.epochs = 15
        options.graphsPerBatch = 3
        let all = Array(data.samples.indices)
        let reports = try Trainer.train(model, data: data, split: DatasetSplit(train: all, validation: [], test: []), catalog: catalog, options: options)
        #expect(reports.last!.trainLoss < reports.first!.trainLoss)
        // Even with absurd weights, every answer is at least half the roofline (efficiency ≤ 2).
        for p in model.store.parameters { p.value = Tensor(shape: p.value.shape, data: p.value.data.map { -$0 * 1000 - 5 }) }
        let answers = try model.predict(data, samples: all, catalog: catalog)
        for (i, p) in zip(all, answers) {
            let s = data.samples[i]
            let parts = try #require(PerfDataset.priorParts(profile: data.graphs[s.graph].profile, mode: s.mode, spec: catalog[s.device]))
            let t = try #require(p.time)
            #expect(t.isFinite && t >= parts.roofline / 2 * 0.999, "\(s.device): \(t) vs roofline \(parts.roofline)")
        }
    }
}
