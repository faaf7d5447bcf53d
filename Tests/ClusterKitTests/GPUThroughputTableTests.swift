import Foundation
import Testing
@testable import ClusterKit

/// The typed reader of `gpu-training-throughput/throughput.csv`: zoo names from the upstream
/// model and its config, precisions, and rows that cannot be used skipped and counted.
@Suite struct GPUThroughputTableTests {
    static let header = "source,suite,round,submitter,system,model,model_family,task,model_config,implementation,gpu,gpu_model,gpu_count,nodes,precision,batch_size_per_gpu,global_batch_size,gradient_accumulation_steps,throughput,throughput_unit,sample_unit,throughput_native,throughput_native_unit,ms_per_iteration,ms_per_iteration_method,statistic,value_granularity,n_values,n_iterations,repeats,framework,extra_metrics"

    static func row(suite: String = "lambda-dlbench", model: String, config: String, gpu: String = "RTX A6000", count: Int = 1,
                    precision: String = "amp", batch: String = "32", accumulation: Int = 1, ms: String = "100", extras: String = "none",
                    system: String? = nil) -> String {
        "src,\(suite),v1,Lambda,\(system ?? (count == 1 ? "sys" : "\(count)xsys")),\(model),fam,task,\"\(config)\",impl,\(gpu),\(gpu),\(count),1,\(precision),\(batch),\(batch),\(accumulation),1,samples/s,x,1,x,\(ms),direct,median,x,1,1,1,PyTorch,\(extras)"
    }

    @Test func namesPrecisionsAndSkips() throws {
        let text = [Self.header,
                    Self.row(model: "bert_large_squad", config: "BERT-large; max_seq_length=384"),
                    Self.row(model: "waveglow", config: "WaveGlow; segment_length=8000", precision: "fp32"),
                    Self.row(suite: "llm-foundry", model: "mpt-7b", config: "MPT-7b, 6.7e9 parameters, seq_len 4096; micro_batch=8", precision: "bf16 (AMP)", accumulation: 4, ms: "4000"),
                    Self.row(model: "maskrcnn", config: "Mask R-CNN", extras: "max_memory_allocated_mib=5120"),
                    Self.row(suite: "mlperf-training", model: "dlrm_dcnv2", config: "DLRM", precision: "mixed (submitter-chosen BF16/FP16/FP8; not logged)"),
                    Self.row(suite: "llm-foundry", model: "mpt-70b", config: "seq_len 2048", precision: "fp8 (TransformerEngine)"),
                    Self.row(suite: "mlperf-training", model: "gpt3", config: "GPT-3", batch: "0.25"),
                    Self.row(model: "resnet50", config: "ResNet-50; data_backend=pytorch, memory_format=nchw"),
                    Self.row(model: "ssd", config: "SSD", ms: "fast"),
        ].joined(separator: "\n") + "\n"
        let table = try withTempFile(text, name: "throughput.csv") { try GPUThroughputTable(path: $0) }
        #expect(table.rows.map(\.modelName) == ["bert-large-s384", "waveglow-s8000", "mpt-7b-s4096", "maskrcnn", "mlperf-training/dlrm_dcnv2"])
        #expect(table.rows.map(\.precision) == [.fp16, .tf32, .bf16, .fp16, .fp16], "the DeepLearningExamples rows in NGC containers run FP32 as TF32")
        #expect(table.rows[0].line == 2)
        #expect(table.rows[2].secondsPerMicroBatch == 1.0, "4,000 ms over 4 accumulation steps")
        #expect(table.rows[3].peakMemoryMiB == 5120)
        #expect(table.rows[0].peakMemoryMiB == nil)
        #expect(table.skipped == ["precision Augur has no name for (FP8)": 1, "fractional batch per GPU (tensor/pipeline parallel)": 1,
                                  "input-bound (real JPEGs through PyTorch's loader)": 1, "unparsable row (ms_per_iteration)": 1])
    }

    /// A row that says one GPU on a system whose other rows ran on several is skipped and
    /// counted (Lambda's `2xV100` Transformer-XL summaries: the whole job's batch and time).
    @Test func singleGPURowsOnMultiGPUSystemsAreSkipped() throws {
        let config = "Transformer-XL base; tgt_len=192"
        let text = [Self.header,
                    Self.row(model: "transformerxlbase", config: config, gpu: "V100-SXM2-32GB", batch: "40", ms: "742", system: "V100"),
                    Self.row(model: "transformerxlbase", config: config, gpu: "V100-SXM2-32GB", batch: "80", ms: "747", system: "2xV100"),
                    Self.row(model: "resnet50", config: "ResNet-50", gpu: "V100-SXM2-32GB", count: 2, batch: "256", ms: "500", system: "2xV100"),
                    Self.row(model: "resnet50", config: "ResNet-50", gpu: "H100-SXM5-80GB", batch: "256", ms: "200", system: "LambdaOD_2x_Texas_1xH100"),
        ].joined(separator: "\n") + "\n"
        let table = try withTempFile(text, name: "throughput.csv") { try GPUThroughputTable(path: $0) }
        #expect(table.rows.map(\.line) == [2, 4, 5], "the one-GPU row of 2xV100 is dropped; a node whose rows all ran on one GPU keeps them")
        #expect(table.skipped == [GPUThroughputTable.mislabeledSingleGPU: 1])
    }

    @Test func missingColumnIsAnError() throws {
        try withTempFile("source,suite\nx,y\n", name: "throughput.csv") { path in
            let error = #expect(throws: InputError.self) { try GPUThroughputTable(path: path) }
            #expect(error?.file == path)
        }
    }

    /// The real table (where `../shared` is present): every row is read or skipped with a reason.
    @Test func theRealTableAccountsForEveryRow() throws {
        let root = DataRoot.resolve()
        guard FileManager.default.fileExists(atPath: root.gpuThroughput) else { return }
        let table = try GPUThroughputTable(path: root.gpuThroughput)
        #expect(table.rows.count + table.skipped.values.reduce(0, +) == 4490)
        #expect(table.skipped.keys.allSatisfy { !$0.hasPrefix("unparsable") }, "\(table.skipped)")
        let single = table.rows.filter { $0.gpuCount == 1 && $0.zooModel != nil }
        #expect(single.count > 1500)
        #expect(table.skipped[GPUThroughputTable.mislabeledSingleGPU] == 122, "Lambda's Transformer-XL and BERT-large summaries in multi-GPU folders")
    }
}

/// The table as measured performance: one entry per configuration and GPU (the newest
/// generation's median), measured scaling, provenance, and per-model reference devices.
@Suite struct GPUThroughputOracleTests {
    typealias T = GPUThroughputTableTests

    @Test func entriesScalingAndProvenance() throws {
        let config = "BERT-large; max_seq_length=384"
        let text = [T.header,
                    T.row(model: "bert_large_squad", config: config, gpu: "V100-SXM2-16GB", ms: "300").replacingOccurrences(of: ",v1,", with: ",v0,"),
                    T.row(model: "bert_large_squad", config: config, gpu: "V100-SXM2-16GB", ms: "200"),
                    T.row(model: "bert_large_squad", config: config, gpu: "V100-SXM2-16GB", ms: "220"),
                    T.row(model: "bert_large_squad", config: config, gpu: "V100-SXM2-16GB", count: 8, ms: "250"),
                    T.row(model: "bert_large_squad", config: config, gpu: "Z9000", ms: "1"),
                    T.row(model: "bert_large_squad", config: config, gpu: "A100-SXM4-40GB", batch: "64", ms: "160"),
                    T.row(suite: "mlperf-training", model: "unet3d", config: "3D U-Net", gpu: "H100-SXM5-80GB", count: 8, ms: "90"),
        ].joined(separator: "\n") + "\n"
        var oracle = MeasuredOracle()
        let catalog = try Fixtures.catalog()
        guard catalog.device(dataset: "gpu-throughput", name: "V100-SXM2-16GB") != nil else { return }
        let skipped = try withTempFile(text, name: "throughput.csv") { try oracle.loadGPUThroughput(path: $0, catalog: catalog) }
        let q = PerformanceQuery(config: ModelConfig(model: "bert-large-s384", batchSize: 32, mode: .train, precision: .fp16), device: "v100-sxm2-16gb")
        let entry = try #require(oracle.entry(q))
        #expect(entry.estimate.timePerIteration == 0.2, "the v1 rows' lower middle; the v0 row is older")
        #expect(entry.source == "benchmarks:lambda-dlbench:L3")
        #expect(abs(oracle.scaling.efficiency(config: q.config, device: q.device, gpus: 8, consolidated: true) - 0.8) < 1e-12)
        #expect(oracle.referenceDevice(for: q.config) == "v100-sxm2-16gb")
        let a100 = try #require(oracle.entry(PerformanceQuery(config: q.config, device: "a100-sxm4-40gb")))
        #expect(a100.estimate.timePerIteration == 0.08, "measured at batch 64, carried to the reference batch 32 at the same per-sample rate")
        #expect(a100.source == "benchmarks:lambda-dlbench:L7 at batch 64")
        #expect(skipped["GPU not in the catalog"] == 1)
        #expect(skipped["several GPUs, no single-GPU row at that batch"] == 1)
        #expect(MeasuredOracle.dataset(ofModel: "bert-large-s384") == .benchmarks)
        #expect(MeasuredOracle.dataset(ofModel: "mpt-7b-s2048") == .benchmarks)
        #expect(MeasuredOracle.dataset(ofModel: "bert_large-s512") == .neusight)
        #expect(MeasuredOracle.dataset(ofModel: "resnet50-imagenet") == .gavel)
    }
}
