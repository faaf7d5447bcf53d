import ClusterKit
import Foundation
import ModelGraph
import PerfModels
import Tensors

/// Small, seeded datasets for the predictor's tests: NAS-Bench-201 graphs (built in code) with
/// synthetic but structured targets, so tests need no data root.
enum PerfFixtures {
    static let catalog = Result { try DeviceCatalog.load(path: "clusters/devices.yaml") }

    static let architectures = [
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|",
        "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|",
        "|none~0|+|skip_connect~0|none~1|+|skip_connect~0|none~1|nor_conv_1x1~2|",
        "|nor_conv_1x1~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|avg_pool_3x3~2|",
        "|nor_conv_3x3~0|+|none~0|none~1|+|avg_pool_3x3~0|nor_conv_3x3~1|none~2|",
        "|skip_connect~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_3x3~0|skip_connect~1|nor_conv_1x1~2|",
    ]

    /// Graphs of `architectures` on two catalog devices, time proportional to FLOPs with a
    /// device factor, and memory from the analytic prior.
    static func dataset(devices: [String] = ["gtx-1080ti", "pixel3"]) throws -> PerfDataset {
        let catalog = try self.catalog.get()
        var data = PerfDataset()
        for (i, arch) in architectures.enumerated() {
            let g = try NB201.graph(arch: arch, batchSize: 1)
            data.graphs.append(GraphFeaturizer.features(of: g, batchSize: 1))
            data.info.append(.init(model: "nb201-\(i)", family: i % 2 == 0 ? "even" : "odd", batchSize: 1, hasOperatorLabels: false))
            for (k, d) in devices.enumerated() {
                let prior = PerfDataset.priors(profile: data.graphs[i].profile, mode: .infer, spec: catalog[d])
                let flops = Double(g.cost(mode: .infer).flops)
                data.samples.append(PerfSample(graph: i, device: d, batchSize: 1, mode: .infer,
                                               time: 1e-3 + flops / (k == 0 ? 5e11 : 2e10), memory: prior.memory * 1.5,
                                               priorTime: prior.time, priorMemory: prior.memory))
            }
        }
        return data
    }

    static func model(_ kind: EncoderKind, data: PerfDataset, targets: [PerfTarget] = [.time], hidden: Int = 16) throws -> PerfModel {
        Trainer.makeModel(hyper: ModelHyper(kind: kind, hidden: hidden, layers: 2, heads: 2, deviceLatent: 4, targets: targets, seed: 7),
                          data: data, train: Array(data.samples.indices), catalog: try catalog.get())
    }

    /// One scratch folder for this test process, removed when it exits.
    static let scratch: String = {
        let dir = NSTemporaryDirectory() + "augur-perf-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "augur-perf-tests-\(getpid())") }
        return dir
    }()

    static func temporaryDirectory(_ name: String) -> String {
        let dir = scratch + "/\(name)-\(UInt64.random(in: 0...UInt64.max))"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}
