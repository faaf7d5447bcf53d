import ClusterKit
import Foundation
import ModelGraph
import Testing
@testable import PerfModels

/// The committed default model over sweeps nobody trained on (issue 14, item 1): ResNets at
/// resolutions 32–512, batches 1–1024, depth and width ×0.25–×4, on every device of the
/// catalog. Every answer is finite, inside the model's bounds around the analytic prior, within
/// a fixed factor of that prior, and time never falls as the batch or the resolution grows (the
/// default model's time head is ``MonotoneTimeHead``; before it, about one in five
/// neighbouring pairs decreased, by up to 2.53×).
@Suite struct PhysicsPropertyTests {

    /// The largest factor between an answer and its analytic prior that the default model may
    /// give (its widest bound, the CPUs', is about e^7).
    static let factor = 1_000.0

    struct Sweep {
        var data = PerfDataset()
        /// Sample index by (configuration label, resolution, batch, device).
        var index: [String: Int] = [:]
        static func key(_ label: String, _ resolution: Int, _ batch: Int, _ device: String) -> String { "\(label)|\(resolution)|\(batch)|\(device)" }
    }

    static func sweep(devices: [String], catalog: DeviceCatalog) throws -> Sweep {
        var s = Sweep()
        var graphs: [(label: String, resolution: Int, batch: Int, graph: ModelGraph)] = []
        for name in ["resnet18", "resnet50"] {
            let config = ResNet.configs[name]!
            for resolution in [32, 64, 128, 224, 512] {
                for batch in [1, 4, 32, 256, 1024] {
                    graphs.append((name, resolution, batch, try ResNet.graph(config, batchSize: batch, resolution: resolution)))
                }
            }
            for (tag, w, d) in [("w0.25", 0.25, 1.0), ("w4", 4.0, 1.0), ("d0.25", 1.0, 0.25), ("d4", 1.0, 4.0)] {
                for batch in [1, 32] {
                    graphs.append(("\(name)-\(tag)", 224, batch, try ResNet.graph(config, batchSize: batch, widthMultiplier: w, depthMultiplier: d)))
                }
            }
        }
        let features = GraphFeaturizer.features(of: graphs.map { ($0.graph, $0.batch) })
        for (g, item) in graphs.enumerated() {
            s.data.graphs.append(features[g])
            s.data.info.append(.init(model: item.label, family: "resnet", batchSize: item.batch, hasOperatorLabels: false))
            for device in devices {
                for mode in [RunMode.infer, .train] {
                    let prior = PerfDataset.priors(profile: features[g].profile, mode: mode, spec: catalog[device])
                    s.index[Sweep.key(item.label + mode.rawValue, item.resolution, item.batch, device)] = s.data.samples.count
                    s.data.samples.append(PerfSample(graph: g, device: device, batchSize: item.batch, mode: mode, priorTime: prior.time, priorMemory: prior.memory))
                }
            }
        }
        return s
    }

    @Test func sweepsAreFiniteBoundedAndMonotone() throws {
        let model = try Checkpoint.load("models/default").model
        let catalog = try PerfFixtures.catalog.get()
        let devices = catalog.devices.map(\.name).filter { model.canPredict($0, catalog: catalog) }
        #expect(devices.count == catalog.devices.count, "the default model answers for every catalog device")
        let s = try Self.sweep(devices: devices, catalog: catalog)
        let p = try model.predict(s.data, samples: Array(s.data.samples.indices), catalog: catalog)
        for (sample, answer) in zip(s.data.samples, p) {
            let t = try #require(answer.time)
            #expect(t.isFinite && t > 0)
            if let bound = answer.timeBound {
                #expect(t >= bound.lowerBound * 0.999 && t <= bound.upperBound * 1.001)
            }
            if let prior = sample.priorTime {
                #expect(t / prior <= Self.factor && prior / t <= Self.factor, "\(s.data.info[sample.graph].model) b\(sample.batchSize) on \(sample.device): \(t) s vs prior \(prior) s")
            }
            #expect((answer.timeLower ?? t) <= t && (answer.timeUpper ?? t) >= t)
        }
        var violations: [String] = [], pairs = 0, worst = 1.0
        for device in devices {
            for name in ["resnet18", "resnet50"] {
                for mode in ["infer", "train"] {
                    let label = name + mode
                    func time(_ r: Int, _ b: Int) -> Double { p[s.index[Sweep.key(label, r, b, device)]!].time! }
                    for r in [32, 64, 128, 224, 512] {
                        pairs += 4
                        for (b0, b1) in zip([1, 4, 32, 256], [4, 32, 256, 1024]) where time(r, b1) < time(r, b0) {
                            violations.append("\(label) r\(r) on \(device): b\(b0) \(time(r, b0)) > b\(b1) \(time(r, b1))")
                            worst = max(worst, time(r, b0) / time(r, b1))
                        }
                    }
                    for b in [1, 4, 32, 256, 1024] {
                        pairs += 4
                        for (r0, r1) in zip([32, 64, 128, 224], [64, 128, 224, 512]) where time(r1, b) < time(r0, b) {
                            violations.append("\(label) b\(b) on \(device): r\(r0) \(time(r0, b)) > r\(r1) \(time(r1, b))")
                            worst = max(worst, time(r0, b) / time(r1, b))
                        }
                    }
                }
            }
        }
        print("PhysicsPropertyTests: \(violations.count) of \(pairs) neighbouring pairs decrease over \(catalog.devices.count) catalog devices")
        #expect(violations.isEmpty, "\(violations.count) of \(pairs) neighbouring pairs decrease (worst by \(String(format: "%.2f", worst))×), e.g. \(violations.prefix(5))")
    }
}
