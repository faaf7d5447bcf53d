extension MeasuredOracle {
    /// Loads the GPU training throughput table (``GPUThroughputTable``: Lambda's runs of NVIDIA
    /// DeepLearningExamples models on 27 GPU types, MLPerf Training and llm-foundry) as measured
    /// training performance of modern GPUs.
    ///
    /// - Time: every configuration (model, batch per GPU, precision) measured on one GPU of a
    ///   catalog type gets that GPU's time per micro-batch. Where several rows measured the same
    ///   (configuration, GPU) (harness generations `v0`–`v2`, systems), the newest generation's
    ///   rows are kept and their median taken (the lower middle of an even count: a row that was
    ///   measured). The entry's source names the row: `benchmarks:<suite>:L<line>`.
    /// - Scaling: a row on `n` GPUs of one node (or across nodes) whose configuration has a
    ///   single-GPU entry on the same GPU type gives the measured efficiency
    ///   `t₁ / tₙ` (per-GPU batch held fixed, data parallel), capped at 1. Configurations
    ///   measured only on several GPUs (MLPerf's and llm-foundry's large runs) have no
    ///   single-GPU time, and none is invented: they are counted in ``skippedGPUThroughput``.
    /// - Memory: the peak PyTorch allocation where the log printed it (Mask R-CNN's
    ///   `max_memory_allocated`); nil elsewhere (Lambda chose every batch size to fit the GPU).
    ///
    /// Returns the rows not used, by reason (the table's own skips included).
    @discardableResult
    public mutating func loadGPUThroughput(path: String, catalog: DeviceCatalog) throws -> [String: Int] {
        let table = try GPUThroughputTable(path: path)
        var skipped = table.skipped
        struct Key: Hashable { var config: ModelConfig; var device: String }
        var single: [Key: [GPUThroughputTable.Row]] = [:], multi: [(Key, GPUThroughputTable.Row)] = []
        for r in table.rows {
            guard let device = catalog.device(dataset: "gpu-throughput", name: r.gpuModel) else {
                skipped["GPU not in the catalog", default: 0] += 1; continue
            }
            let key = Key(config: ModelConfig(model: r.modelName, batchSize: r.batchPerGPU, mode: .train, precision: r.precision), device: device.name)
            if r.gpuCount == 1 { single[key, default: []].append(r) } else { multi.append((key, r)) }
        }
        var seconds: [Key: Double] = [:]
        for (key, rows) in single {
            let newest = rows.map(\.round).max()!
            let kept = rows.filter { $0.round == newest }.sorted { ($0.secondsPerMicroBatch, $0.line) < ($1.secondsPerMicroBatch, $1.line) }
            let row = kept[(kept.count - 1) / 2]
            seconds[key] = row.secondsPerMicroBatch
            insert(PerformanceQuery(config: key.config, device: key.device),
                   Entry(estimate: PerformanceEstimate(timePerIteration: row.secondsPerMicroBatch,
                                                       peakMemoryBytes: row.peakMemoryMiB.map { Int64($0 * 1_048_576) }),
                         source: "benchmarks:\(row.suite):L\(row.line)"))
            skipped["same configuration and GPU measured again (median kept)", default: 0] += rows.count - 1
        }
        for (key, r) in multi.sorted(by: { $0.1.line < $1.1.line }) {
            guard let one = seconds[key] else { skipped["several GPUs, no single-GPU row of the configuration", default: 0] += 1; continue }
            scaling.measured[ScalingTable.Key(model: ScalingTable.model(of: key.config), device: key.device, gpus: r.gpuCount, consolidated: r.nodes == 1)] =
                min(1, one / r.secondsPerMicroBatch)
        }
        // Each model's reference device: the V100 (Gavel's), else the A100, else the H100, else the
        // first by name, among the GPUs that measured any of its configurations.
        var measuredOn: [String: Set<String>] = [:]
        for key in single.keys { measuredOn[key.config.model, default: []].insert(key.device) }
        for (model, devices) in measuredOn {
            let preferred = ["v100-sxm2-16gb", "a100-sxm4-40gb", "h100-sxm-80gb"].first { devices.contains($0) } ?? devices.min()!
            setReferenceDevice(preferred, forModel: model)
        }
        skippedGPUThroughput = skipped
        return skipped
    }
}
