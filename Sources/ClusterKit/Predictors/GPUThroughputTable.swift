/// The rows of `gpu-training-throughput/throughput.csv` (Lambda's DeepLearningExamples
/// benchmark, MLPerf Training v4.0/v5.1 and llm-foundry's MPT table: measured training time
/// per iteration of standard models on 37 GPU types, 1 to thousands of GPUs), typed once for
/// every reader: the measured oracle (``MeasuredOracle/loadGPUThroughput(path:catalog:)``)
/// and the predictor's training data (`PerfDataset.gpuThroughput` in PerfModels).
///
/// Rows that cannot be used are skipped and counted by reason in ``skipped``, never fatal: a
/// field that does not parse, a precision Augur has no name for (FP8), a fractional batch per
/// GPU (MLPerf's tensor- and pipeline-parallel LLM runs), ResNet-50 runs fed real JPEGs by
/// PyTorch's loader (input-bound, the dataset's README warns), and rows that claim one GPU on a
/// system whose other rows ran on several (``mislabeledSingleGPU``). Only a missing file or a
/// missing column is an error.
public struct GPUThroughputTable: Sendable {
    /// One measured configuration.
    public struct Row: Sendable, Hashable {
        /// The line in the file (1 = header).
        public var line: Int
        /// `repo@commit:path` of the upstream log.
        public var source: String
        public var suite: String
        /// Harness generation (`v0`, `v1`, `v2`, MLPerf `v4.0`, …).
        public var round: String
        /// The model as named upstream (`bert_large_squad`, `mpt-7b`).
        public var upstreamModel: String
        /// The family (`bert`, `resnet`, …) as the dataset groups it.
        public var family: String
        /// The Augur zoo name of the measured configuration (`bert-large-s384`, `mpt-7b-s2048`),
        /// or nil where the zoo has no description of it (DLRM, R-GAT, Stable Diffusion, LoRA).
        public var zooModel: String?
        /// The upstream system (Lambda's result folder, `2xV100`; MLPerf's system name).
        public var system: String
        /// `gpu_model` as the dataset normalizes it (`A100-SXM4-40GB`).
        public var gpuModel: String
        public var gpuCount: Int
        public var nodes: Int
        public var precision: Precision
        /// Samples per GPU per micro-batch.
        public var batchPerGPU: Int
        public var accumulation: Int
        /// Milliseconds per optimizer step (all micro-batches).
        public var msPerIteration: Double
        /// `max_memory_allocated_mib` where the log printed it (Lambda's Mask R-CNN).
        public var peakMemoryMiB: Double?

        /// The name an oracle or a trace uses for this configuration: the zoo name, else
        /// `suite/upstream-model`.
        public var modelName: String { zooModel ?? "\(suite)/\(upstreamModel)" }
        /// Seconds per micro-batch on one GPU's share: the step time over the accumulation steps.
        public var secondsPerMicroBatch: Double { msPerIteration / 1000 / Double(max(accumulation, 1)) }
    }

    public var path: String
    public var rows: [Row]
    /// Rows not used, by reason.
    public var skipped: [String: Int]

    /// Reads `path`.
    public init(path: String) throws {
        self.path = path
        let table = try CSVTable(text: TextFile.read(path), path: path)
        let cSource = try table.column("source"), cSuite = try table.column("suite"), cRound = try table.column("round")
        let cSystem = try table.column("system")
        let cModel = try table.column("model"), cFamily = try table.column("model_family"), cConfig = try table.column("model_config")
        let cGPU = try table.column("gpu_model"), cCount = try table.column("gpu_count"), cNodes = try table.column("nodes")
        let cPrecision = try table.column("precision"), cBatch = try table.column("batch_size_per_gpu")
        let cAccum = try table.column("gradient_accumulation_steps"), cMs = try table.column("ms_per_iteration")
        let cExtra = try table.column("extra_metrics")
        var rows: [Row] = [], skipped: [String: Int] = [:]
        for r in table.rows {
            do {
                let suite = String(try r.string(cSuite, "suite", in: table))
                let model = String(try r.string(cModel, "model", in: table))
                let config = String(try r.string(cConfig, "model_config", in: table))
                guard let precision = Self.precision(String(try r.string(cPrecision, "precision", in: table))) else {
                    skipped["precision Augur has no name for (FP8)", default: 0] += 1; continue
                }
                let batch = try r.double(cBatch, "batch_size_per_gpu", in: table)
                guard batch >= 1, batch == batch.rounded() else {
                    skipped["fractional batch per GPU (tensor/pipeline parallel)", default: 0] += 1; continue
                }
                if config.contains("data_backend=pytorch") {
                    skipped["input-bound (real JPEGs through PyTorch's loader)", default: 0] += 1; continue
                }
                let count = try r.int(cCount, "gpu_count", in: table), nodes = try r.int(cNodes, "nodes", in: table)
                let accumulation = try r.int(cAccum, "gradient_accumulation_steps", in: table)
                let ms = try r.double(cMs, "ms_per_iteration", in: table)
                guard count >= 1, nodes >= 1, accumulation >= 1, ms > 0 else {
                    throw InputError(file: path, line: r.line, reason: "gpu_count, nodes, accumulation and ms_per_iteration must be positive")
                }
                let extras = String(try r.string(cExtra, "extra_metrics", in: table))
                rows.append(Row(
                    line: r.line, source: String(try r.string(cSource, "source", in: table)), suite: suite,
                    round: String(try r.string(cRound, "round", in: table)), upstreamModel: model,
                    family: String(try r.string(cFamily, "model_family", in: table)),
                    zooModel: Self.zooModel(suite: suite, model: model, config: config),
                    system: String(try r.string(cSystem, "system", in: table)),
                    gpuModel: String(try r.string(cGPU, "gpu_model", in: table)), gpuCount: count, nodes: nodes,
                    precision: precision, batchPerGPU: Int(batch), accumulation: accumulation, msPerIteration: ms,
                    peakMemoryMiB: Self.metric("max_memory_allocated_mib", in: extras)))
            } catch let e as InputError {
                skipped["unparsable row (\(e.field ?? "row"))", default: 0] += 1
            }
        }
        (self.rows, self.skipped) = Self.withoutMislabeledSingleGPU(rows, skipped: skipped)
    }

    /// Why a row is skipped by ``withoutMislabeledSingleGPU(_:skipped:)``.
    public static let mislabeledSingleGPU = "one GPU on a system whose other rows ran on several (GPU count mislabeled upstream)"

    /// `rows` without those that claim one GPU on a system (`system`, e.g. Lambda's `2xV100`)
    /// whose other rows ran on several. Lambda's result folders fix the GPU count of every run in
    /// them; the table's Transformer-XL and BERT-large rows taken from upstream summaries in such
    /// folders say `gpu_count` 1, yet their times are not one GPU's: `2xV100`'s Transformer-XL
    /// base runs 80 sequences in 747 ms, twice the single V100's 40 in 742 ms (faster than the
    /// GPU's physics allows for 80), and BERT-large under AMP runs 2 sequences in 315–319 ms on
    /// every multi-2080 Ti system against 4 in 164 ms on the single 2080 Ti.
    static func withoutMislabeledSingleGPU(_ rows: [Row], skipped: [String: Int]) -> ([Row], [String: Int]) {
        var widest: [String: Int] = [:]
        for r in rows { widest[r.system] = max(widest[r.system] ?? 1, r.gpuCount) }
        var skipped = skipped
        let kept = rows.filter { r in
            guard r.gpuCount == 1, (widest[r.system] ?? 1) > 1 else { return true }
            skipped[mislabeledSingleGPU, default: 0] += 1
            return false
        }
        return (kept, skipped)
    }

    /// Augur's precision for the dataset's label: FP32 is ``Precision/tf32`` (the rows are
    /// NVIDIA's DeepLearningExamples in NGC containers, which run FP32 convolutions and matrix
    /// products in TF32 on Ampere and later: their BERT and GNMT FP32 rows on A100 and H100 run
    /// 2–5× faster than an FP32 roofline allows), AMP and half (FP16; MLPerf's submitter-chosen
    /// mixed precision too), BF16; nil for FP8.
    static func precision(_ label: String) -> Precision? {
        if label == "fp32" { return .tf32 }
        if label == "amp" || label == "fp16" || label.hasPrefix("mixed") { return .fp16 }
        if label.hasPrefix("bf16") { return .bf16 }
        return nil
    }

    /// The value of `key` in `extra_metrics` (`key=value;…`), if numeric.
    static func metric(_ key: String, in extras: String) -> Double? {
        for pair in extras.split(separator: ";") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].trimmingWhitespace() == Substring(key), let v = Double(kv[1].trimmingWhitespace()), v.isFinite, v > 0 { return v }
        }
        return nil
    }

    /// Whether `model` is a name ``zooModel(suite:model:config:)`` gives (or `suite/model` for a
    /// configuration the zoo cannot describe).
    public static func isBenchmarkModel(_ model: String) -> Bool {
        if ["lambda-dlbench/", "mlperf-training/", "llm-foundry/"].contains(where: { model.hasPrefix($0) }) { return true }
        if ["resnet50", "ssd300", "gnmt", "maskrcnn", "ncf", "tacotron2", "waveglow", "retinanet", "unet3d"].contains(model) { return true }
        guard let r = model.range(of: "-s", options: .backwards), Int(model[r.upperBound...]) != nil else { return false }
        let base = model[..<r.lowerBound]
        return ["bert-base", "bert-large", "waveglow", "transformer-xl-base", "transformer-xl-large", "gpt3-175b", "llama31-8b"].contains(base)
            || (base.hasPrefix("mpt-") && !base.dropFirst(4).contains("-"))
    }

    /// The zoo name of an upstream configuration, from its model name and `model_config`
    /// (sequence lengths and segment lengths are read from the config text).
    static func zooModel(suite: String, model: String, config: String) -> String? {
        func number(after key: String) -> Int? {
            guard let r = config.range(of: key) else { return nil }
            return Int(config[r.upperBound...].prefix { $0.isNumber })
        }
        switch (suite, model) {
        case ("lambda-dlbench", "resnet50"), ("mlperf-training", "resnet"): return "resnet50"
        case ("lambda-dlbench", "SSD"): return "ssd300"
        case ("lambda-dlbench", "bert_base_squad"): return "bert-base-s\(number(after: "max_seq_length=") ?? 384)"
        case ("lambda-dlbench", "bert_large_squad"): return "bert-large-s\(number(after: "max_seq_length=") ?? 384)"
        case ("mlperf-training", "bert"): return "bert-large-s\(number(after: "seq_len ") ?? 512)"
        case ("lambda-dlbench", "gnmt"): return "gnmt"
        case ("lambda-dlbench", "maskrcnn"): return "maskrcnn"
        case ("lambda-dlbench", "ncf"): return "ncf"
        case ("lambda-dlbench", "tacotron2"): return "tacotron2"
        case ("lambda-dlbench", "waveglow"): return number(after: "segment_length=").map { "waveglow-s\($0)" } ?? "waveglow"
        case ("lambda-dlbench", "transformerxlbase"): return "transformer-xl-base-s\(number(after: "tgt_len=") ?? 192)"
        case ("lambda-dlbench", "transformerxllarge"): return "transformer-xl-large-s\(number(after: "tgt_len=") ?? 256)"
        case ("mlperf-training", "ssd"), ("mlperf-training", "retinanet"): return "retinanet"
        case ("mlperf-training", "unet3d"): return "unet3d"
        case ("mlperf-training", "gpt3"): return "gpt3-175b-s2048"
        case ("mlperf-training", "llama31_8b"): return "llama31-8b-s\(number(after: "seq_len ") ?? 8192)"
        case ("llm-foundry", _) where model.hasPrefix("mpt-"): return "\(model)-s\(number(after: "seq_len ") ?? 2048)"
        default: return nil
        }
    }
}
