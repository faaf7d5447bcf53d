import AugurCore
import ClusterKit
import Foundation
import ModelGraph
import Tensors
import Testing
@testable import PerfModels

/// ``MonotoneTimeHead`` (issue 14, item 1): its efficiencies read inputs that do not change
/// with batch or resolution, so time cannot fall as either grows, whatever the weights.
@Suite struct MonotoneTimeHeadTests {
    static func resnet(_ batch: Int, _ resolution: Int) throws -> GraphFeatures {
        GraphFeaturizer.features(of: try ResNet.graph(ResNet.configs["resnet18"]!, batchSize: batch, resolution: resolution), batchSize: batch)
    }

    @Test func scaleFreeInputsDoNotSeeBatchOrResolution() throws {
        let sizes = [(1, 32), (4, 64), (32, 224), (256, 512)]
        let graphs = try sizes.map { try Self.resnet($0.0, $0.1) }
        let catalog = try PerfFixtures.catalog.get()
        let contexts = sizes.enumerated().map { k, size in
            let prior = PerfDataset.priors(profile: graphs[k].profile, mode: .train, spec: catalog["a100-sxm4-40gb"])
            let s = PerfSample(graph: k, device: "a100-sxm4-40gb", batchSize: size.0, mode: .train, priorTime: prior.time, priorMemory: prior.memory)
            return SampleContext.vector(s, device: DeviceFeatures.vector(catalog["a100-sxm4-40gb"]))
        }
        let norms = FeatureNorms(graphs: graphs, contexts: contexts)
        let batches = graphs.map { GraphBatch([$0], norms: norms) }
        let free = batches.map(ScaleFreeInputs.graph)
        for k in 1..<sizes.count {
            // The full inputs differ; what the monotone head reads does not.
            #expect(batches[k].nodes.data != batches[0].nodes.data)
            #expect(batches[k].globals.data != batches[0].globals.data)
            #expect(free[k].nodes.data == free[0].nodes.data)
            #expect(free[k].edges.data == free[0].edges.data)
            #expect(free[k].globals.data == free[0].globals.data)
            #expect(contexts[k] != contexts[0])
            var c0 = contexts[0], ck = contexts[k]
            norms.context.apply(&c0)
            norms.context.apply(&ck)
            let m0 = ScaleFreeInputs.masked(Tensor(shape: [1, c0.count], data: c0), ScaleFreeInputs.contextScaled)
            let mk = ScaleFreeInputs.masked(Tensor(shape: [1, ck.count], data: ck), ScaleFreeInputs.contextScaled)
            #expect(m0.data == mk.data)
        }
    }

    /// Any weights, trained a little or scrambled: answers never fall along batch or
    /// resolution, on a GPU, a phone, a CPU and a device without a peak figure; with one
    /// roofline efficiency or with work classes (three efficiencies on matrix FLOPs, other
    /// FLOPs and bytes).
    @Test(arguments: [0.0, 3.0, -3.0], [false, true])
    func timeNeverFallsWithBatchOrResolution(scramble: Double, workClasses: Bool) throws {
        let catalog = try PerfFixtures.catalog.get()
        let data = try PerfFixtures.dataset()
        let hyper = ModelHyper(kind: .seernet, hidden: 16, layers: 2, heads: 2, deviceLatent: 4, targets: [.time], seed: 7, monotoneTime: true, workClasses: workClasses)
        let model = Trainer.makeModel(hyper: hyper, data: data, train: Array(data.samples.indices), catalog: catalog)
        var options = TrainingOptions()
        options.epochs = 5
        options.graphsPerBatch = 3
        let all = Array(data.samples.indices)
        let reports = try Trainer.train(model, data: data, split: DatasetSplit(train: all, validation: [], test: []), catalog: catalog, options: options)
        #expect(reports.last!.trainLoss < reports.first!.trainLoss)
        if scramble != 0 {
            var g = SeededGenerator(seed: 11)
            for p in model.store.parameters {
                p.value = Tensor(shape: p.value.shape, data: p.value.data.map { $0 + Float(scramble) * Float(g.nextUnit() - 0.5) })
            }
        }
        let devices = ["gtx-1080ti", "pixel3", "xeon-gold-6240", "alibaba-g2"].filter { catalog[$0] != nil }
        #expect(devices.count == 4)
        let s = try PhysicsPropertyTests.sweep(devices: devices, catalog: catalog)
        let p = try model.predict(s.data, samples: Array(s.data.samples.indices), catalog: catalog)
        var violations: [String] = []
        for device in devices {
            for label in ["resnet18infer", "resnet18train", "resnet50infer", "resnet50train"] {
                func time(_ r: Int, _ b: Int) throws -> Double { try #require(p[s.index[PhysicsPropertyTests.Sweep.key(label, r, b, device)]!].time) }
                for r in [32, 64, 128, 224, 512] {
                    for (b0, b1) in zip([1, 4, 32, 256], [4, 32, 256, 1024]) where try time(r, b1) < time(r, b0) {
                        violations.append("\(label) r\(r) \(device): b\(b0) > b\(b1)")
                    }
                }
                for b in [1, 4, 32, 256, 1024] {
                    for (r0, r1) in zip([32, 64, 128, 224], [64, 128, 224, 512]) where try time(r1, b) < time(r0, b) {
                        violations.append("\(label) b\(b) \(device): r\(r0) > r\(r1)")
                    }
                }
            }
        }
        #expect(violations.isEmpty, "\(violations.count) decreasing pairs, e.g. \(violations.prefix(5))")
    }

    /// The work's three parts: matrix FLOPs where a tensor-core library runs the operator,
    /// other FLOPs, bytes; their sum is at least the roofline and at most twice it.
    @Test func workPartsBracketTheRoofline() throws {
        let catalog = try PerfFixtures.catalog.get()
        for (device, precision) in [("a100-sxm4-40gb", Precision.fp32), ("a100-sxm4-40gb", .tf32), ("h100-sxm-80gb", .bf16), ("gtx-1080ti", .fp32)] {
            let spec = try #require(catalog[device])
            let peaks = try #require(RooflinePredictor.peaks(precision: precision, device: spec))
            for mode in [RunMode.train, .infer] {
                let profile = try Self.resnet(32, 224).profile
                let w = RooflinePredictor.work(profile, mode: mode, peaks: peaks, bandwidth: spec.memoryBandwidth)
                let roofline = RooflinePredictor.iteration(profile, mode: mode, peaks: peaks, bandwidth: spec.memoryBandwidth).seconds
                #expect(w.matrix > 0 && w.other > 0 && w.memory > 0)
                #expect(w.matrix > w.other, "convolutions hold most of ResNet's FLOPs")
                let total = w.matrix + w.other + w.memory
                #expect(total >= roofline * (1 - 1e-12) && total <= 2 * roofline * (1 + 1e-12), "\(device) \(precision) \(mode)")
                let noBandwidth = RooflinePredictor.work(profile, mode: mode, peaks: peaks, bandwidth: nil)
                #expect(noBandwidth.memory == 0 && noBandwidth.matrix == w.matrix)
            }
        }
    }

    /// Mixed precision keeps the saved activations in half-width floats: the training memory
    /// prior counts half their FP32 bytes, and nothing else changes.
    @Test func halfPrecisionHalvesTheSavedActivations() throws {
        let catalog = try PerfFixtures.catalog.get()
        let profile = try Self.resnet(32, 224).profile
        #expect(profile.savedActivationBytes > 0 && profile.savedActivationBytes < profile.trainingMemoryBytes)
        let fp32 = GraphMemoryAccount.bytes(profile, mode: .train, precision: .fp32)
        #expect(fp32 == profile.trainingMemoryBytes)
        #expect(GraphMemoryAccount.bytes(profile, mode: .train, precision: .tf32) == fp32)
        for half in [Precision.fp16, .bf16] {
            #expect(GraphMemoryAccount.bytes(profile, mode: .train, precision: half) == fp32 - profile.savedActivationBytes / 2)
            #expect(GraphMemoryAccount.bytes(profile, mode: .infer, precision: half) == GraphMemoryAccount.bytes(profile, mode: .infer))
            let prior = PerfDataset.priors(profile: profile, mode: .train, precision: half, spec: catalog["a100-sxm4-40gb"])
            #expect(prior.memory == Double(fp32 - profile.savedActivationBytes / 2) + PerfDataset.runtimeFootprint(kind: .gpu))
        }
    }
}
