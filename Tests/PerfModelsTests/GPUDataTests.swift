import ClusterKit
import Foundation
import ModelGraph
import PerfModels
import Testing

/// The GPU benchmarks as training data: GPUMemNet's MLPs (memory and SM utilization) and the
/// MLP builder their layer lists need.
@Suite struct GPUDataTests {
    /// The first row of GPUMemNet's step-1 table: a pyramid MLP whose torchsummary count is 1,083,897.
    static let pyramid = #"[["linear",629,792540],["ReLU",629,0],["linear",314,197820],["ReLU",314,0],["linear",157,49455],["ReLU",157,0],["linear",79,12482],["ReLU",79,0],["linear",79,6320],["ReLU",79,0],["linear",79,6320],["ReLU",79,0],["linear",79,6320],["ReLU",79,0],["linear",79,6320],["ReLU",79,0],["linear",79,6320]]"#

    @Test func mlpHasTorchsummarysParameterCount() throws {
        let json = try JSONSerialization.jsonObject(with: Data(Self.pyramid.utf8)) as! [[Any]]
        let layers = json.map { MLPNet.Layer(kind: $0[0] as! String, features: ($0[1] as! NSNumber).intValue) }
        let g = try MLPNet.graph(layers: layers, inputs: 1259, batchSize: 717)
        #expect(g.parameterCount == 1_083_897)
        #expect(g.uncostedOperators().isEmpty)
        #expect(throws: ModelGraphError.self) { try MLPNet.graph(layers: [MLPNet.Layer(kind: "Conv9", features: 3)], inputs: 4, batchSize: 1) }
        #expect(throws: ModelGraphError.self) { try MLPNet.graph(layers: layers, inputs: 1259, batchSize: 0) }
    }

    @Test func gpuMemNetRowsBecomeMemoryAndUtilizationSamples() throws {
        let header = "input_size,layers_json,batch_size,max_gpu_memory_mib,avg_smact,gpu_model,architecture,gpu_count,precision"
        let good = "1259,\"\(Self.pyramid.replacingOccurrences(of: "\"", with: "\"\""))\",717,1479,0.0997,A100-SXM4-40GB,pyramid,1,fp32"
        let rows = [header, good, good.replacingOccurrences(of: "A100-SXM4-40GB", with: "Z9000"),
                    "12,\"[[\"\"linear\"\"\",4,1479,0.1,A100-SXM4-40GB,pyramid,1,fp32", good.replacingOccurrences(of: ",0.0997,", with: ",1.7,")]
        let path = PerfFixtures.temporaryDirectory("gpumemnet") + "/mlp_runs.csv"
        try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let catalog = try PerfFixtures.catalog.get()
        guard catalog.device(dataset: "gpu-throughput", name: "A100-SXM4-40GB") != nil else { return }  // catalog without the key yet
        let data = try PerfDataset.gpuMemNet(path: path, catalog: catalog)
        #expect(data.samples.count == 1)
        let s = try #require(data.samples.first)
        #expect(s.time == nil && s.memory == 1479 * 1_048_576 && s.utilization == 0.0997 && s.device == "a100-sxm4-40gb")
        #expect(data.skipped.values.reduce(0, +) == 3, "\(data.skipped)")
    }

    /// Every single-GPU training row of the GPU training throughput table ran, so its memory fit
    /// its GPU: the analytic account and the default model must say so for nearly all of them
    /// (issue 14, item 5; the default before the runtime's footprint and saved activations by
    /// operator exceeded the capacity on about half of them, by up to 3.5×).
    @Test func memoryOfRowsThatRanFitsTheirGPU() throws {
        let root = DataRoot.resolve()
        guard FileManager.default.fileExists(atPath: root.file("datasets/gpu-training-throughput/throughput.csv")) else { return }
        let catalog = try PerfFixtures.catalog.get()
        let (model, _) = try Checkpoint.load("models/default")
        let outcome = try PredictorStudies.memoryFit(root: root, catalog: catalog, model: model, modelName: "models/default")
        let f = outcome.figures
        #expect(try #require(f["account.overCapacity"]) < 5, "\(f)")
        #expect(try #require(f["model.overCapacity"]) < 15, "\(f)")
        #expect((0.2...1).contains(try #require(f["account.medianRatio"])), "\(f)")
        #expect((0.2...1).contains(try #require(f["model.medianRatio"])), "\(f)")
        #expect(outcome.markdown.contains("| **all** |"))
    }
}
