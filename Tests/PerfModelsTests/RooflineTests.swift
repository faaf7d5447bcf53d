import AugurTestSupport
import ClusterKit
import Foundation
import ModelGraph
import PerfModels
import Testing

/// The roofline baseline and the model zoo it reads graphs from.
@Suite struct RooflineTests {
    static let catalog = Result { try DeviceCatalog.load(path: "clusters/devices.yaml") }
    static let zoo = ModelZoo(data: DataRoot.resolve())

    static let queries: [PerformanceQuery] = [
        PerformanceQuery(config: ModelConfig(model: "nb201-0", batchSize: 32, mode: .infer), device: "gtx-1080ti"),
        PerformanceQuery(config: ModelConfig(model: "nb201-125", batchSize: 1, mode: .infer), device: "pixel3"),
        PerformanceQuery(config: ModelConfig(model: "nb201-250", batchSize: 256, mode: .infer), device: "v100-sxm2-16gb"),
        PerformanceQuery(config: ModelConfig(model: "nb201-250", batchSize: 256, mode: .train), device: "v100-sxm2-16gb"),
        PerformanceQuery(config: ModelConfig(model: "mlperf-training/dlrm_dcnv2", batchSize: 64, mode: .train), device: "v100-sxm2-16gb"),
        PerformanceQuery(config: ModelConfig(model: "resnet50-imagenet", batchSize: 64, mode: .train), device: "v100-sxm2-16gb"),
    ]

    @Test func answersArePositiveDeterministicAndIndependentOfBatching() throws {
        let roofline = RooflinePredictor(zoo: Self.zoo, catalog: try Self.catalog.get())
        let all = roofline.estimate(Self.queries)
        #expect(all.count == Self.queries.count)
        #expect(all[0] != nil && all[2] != nil && all[3] != nil)
        #expect(all[4] == nil, "a model the zoo cannot describe has no graph")
        #expect(all[5] != nil, "Gavel's job types are Swift-built graphs")
        for e in all.compactMap({ $0 }) {
            #expect((e.peakMemoryBytes ?? 0) > 0, "the roofline states memory")
            #expect((0...1).contains(e.smUtilization ?? -1), "and utilization")
        }
        try PredictorContract.expect(roofline, queries: Self.queries, fresh: { RooflinePredictor(zoo: Self.zoo, catalog: try Self.catalog.get()) })
    }

    @Test func trainingCostsMoreThanInferenceAndABiggerBatchMoreThanASmallOne() throws {
        let roofline = RooflinePredictor(zoo: Self.zoo, catalog: try Self.catalog.get())
        let r = roofline.estimate(Self.queries)
        #expect(r[3]!.timePerIteration > 2 * r[2]!.timePerIteration)
        let small = roofline.estimate([PerformanceQuery(config: ModelConfig(model: "nb201-250", batchSize: 1, mode: .infer), device: "v100-sxm2-16gb")])[0]!
        #expect(r[2]!.timePerIteration > small.timePerIteration)
    }

    @Test func aDeviceWithoutSpecsGetsNoAnswer() throws {
        let roofline = RooflinePredictor(zoo: Self.zoo, catalog: try Self.catalog.get())
        let q = PerformanceQuery(config: ModelConfig(model: "nb201-0", batchSize: 1, mode: .infer), device: "alibaba-g2")
        #expect(roofline.estimate([q])[0] == nil)
    }

    @Test func zooFindsNeuSightGraphs() throws {
        let g = try Self.zoo.graph(for: ModelConfig(model: "bert_large-s512", batchSize: 8, mode: .train))
        #expect(g != nil)
        #expect(try Self.zoo.graph(for: ModelConfig(model: "bert_large-s512", batchSize: 3, mode: .train)) == nil)
    }

    /// A roofline is a lower bound: no NeuSight GPU runs a transformer faster than its roofline
    /// from the catalog's peaks (at a peak too low, e.g. the MI100's FP32 vector figure where its
    /// GEMMs use the FP32 matrix cores, measurements beat it by up to 18%).
    @Test func measuredNeuSightTimesRespectTheRoofline() throws {
        let root = DataRoot.resolve()
        guard root.exists else { return }
        let data = try PerfDataSource.load("neusight", options: .init(root: root, catalog: try Self.catalog.get()))
        var checked = 0
        for s in data.samples {
            guard let t = s.time, let prior = s.priorTime else { continue }
            #expect(t >= prior, "\(s.device) \(data.info[s.graph].model) b\(s.batchSize): measured \(t) s under the roofline's \(prior) s")
            checked += 1
        }
        #expect(checked > 50)
    }
}

/// FP32 convolutions run in TF32 on devices with TF32 tensor cores (PyTorch's default), and
/// matrix products too in `tf32` (NGC's default); half precision and older devices keep their
/// figures.
@Suite struct TF32RooflineTests {
    @Test func tensorCoreOperatorsUseTheTF32Peak() throws {
        let catalog = try RooflineTests.catalog.get()
        let a100 = try #require(catalog["a100-sxm4-40gb"]), v100 = try #require(catalog["v100-sxm2-16gb"])
        #expect(a100.tf32FLOPS == 156e12 && v100.tf32FLOPS == nil)
        var noTF32 = a100
        noTF32.tf32FLOPS = nil
        func time(_ p: CostProfile, _ precision: Precision, _ d: DeviceSpec) throws -> Double {
            try #require(RooflinePredictor.estimate(profile: p, mode: .train, precision: precision, device: d)).timePerIteration
        }
        let cnn = try ResNet.graph(ResNet.configs["resnet50"]!, batchSize: 64).costProfile()
        #expect(cnn.tensorMath.contains(.cudnn))
        #expect(try time(cnn, .fp32, a100) < time(cnn, .fp32, noTF32) / 2, "ResNet-50's FLOPs are nearly all in convolutions")
        #expect(try time(cnn, .tf32, a100) <= time(cnn, .fp32, a100))
        for precision in [Precision.fp16, .bf16] {
            #expect(try time(cnn, precision, a100) == time(cnn, precision, noTF32))
        }
        // A device without TF32 runs `tf32` as FP32.
        #expect(try time(cnn, .tf32, v100) == time(cnn, .fp32, v100))
        // Matrix products: FP32 unless asked for TF32.
        let bert = try BERT.graph(BERT.Config(layers: 2, hidden: 256, heads: 4, intermediate: 1024), batchSize: 8, sequence: 128).costProfile()
        #expect(!bert.tensorMath.contains(.cudnn) && bert.tensorMath.contains(.cublas))
        #expect(try time(bert, .fp32, a100) == time(bert, .fp32, noTF32))
        #expect(try time(bert, .tf32, a100) < time(bert, .fp32, a100))
        #expect(try time(bert, .tf32, noTF32) == time(bert, .fp32, noTF32))
        #expect(TensorMath(operatorType: "LSTM") == .cudnn && TensorMath(operatorType: "Relu") == .none)
    }
}
