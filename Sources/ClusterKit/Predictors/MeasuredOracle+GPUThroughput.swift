import Foundation

extension MeasuredOracle {
    /// Loads the GPU training throughput table (``GPUThroughputTable``: Lambda's runs of NVIDIA
    /// DeepLearningExamples models on 27 GPU types, MLPerf Training and llm-foundry) as measured
    /// training performance of modern GPUs.
    ///
    /// Lambda chose each GPU's batch size to fill its memory, so one (model, batch) is rarely
    /// measured on every GPU. A job must run anywhere its model was measured, so each (model,
    /// precision) becomes **one configuration** at the batch measured on its reference device
    /// (the V100 SXM2 16 GB as for Gavel's jobs, else the A100 SXM4 40 GB, else the H100 SXM, else
    /// the first by name), and every GPU that measured the model gets that configuration's time
    /// from its own row at the batch nearest the reference batch, at the same per-sample rate:
    /// `t = t(b) · B / b`. Where several rows measured the same (model, precision, GPU, batch)
    /// (harness generations `v0`–`v2`, systems), the newest generation's rows are kept and their
    /// median taken (the lower middle of an even count: a row that was measured). Every entry's
    /// source names its row, `benchmarks:<suite>:L<line>`, and ` at batch b` when the rate was
    /// carried from another batch.
    ///
    /// - Scaling: a row on `n` GPUs of one node (or across nodes) whose (model, precision, GPU,
    ///   batch) also has a single-GPU row gives the measured efficiency `t₁ / tₙ` (per-GPU batch
    ///   held fixed, data parallel), capped at 1. Models measured only on several GPUs (MLPerf's
    ///   and llm-foundry's large runs) have no single-GPU time, and none is invented: they are
    ///   counted as skipped.
    /// - Memory: the peak PyTorch allocation where the log printed it (Mask R-CNN's
    ///   `max_memory_allocated`), at the row's own batch; nil elsewhere (Lambda chose every batch
    ///   size to fit the GPU), with the row's batch and printed memory kept as
    ///   ``MemoryEvidence`` so that ``fillMemory(from:catalog:)`` can give an analytic answer.
    ///
    /// Returns the rows not used, by reason (the table's own skips included).
    @discardableResult
    public mutating func loadGPUThroughput(path: String, catalog: DeviceCatalog) throws -> [String: Int] {
        let table = try GPUThroughputTable(path: path)
        var skipped = table.skipped
        struct Model: Hashable, Comparable {
            var name: String; var precision: Precision
            static func < (a: Model, b: Model) -> Bool { (a.name, a.precision.rawValue) < (b.name, b.precision.rawValue) }
        }
        struct Point: Hashable { var device: String; var batch: Int }
        var single: [Model: [Point: [GPUThroughputTable.Row]]] = [:], multi: [(Model, Point, GPUThroughputTable.Row)] = []
        for r in table.rows {
            guard let device = catalog.device(dataset: "gpu-throughput", name: r.gpuModel) else {
                skipped["GPU not in the catalog", default: 0] += 1; continue
            }
            let model = Model(name: r.modelName, precision: r.precision), point = Point(device: device.name, batch: r.batchPerGPU)
            if r.gpuCount == 1 { single[model, default: [:]][point, default: []].append(r) } else { multi.append((model, point, r)) }
        }
        /// The newest generation's median row of a (model, GPU, batch).
        func representative(_ rows: [GPUThroughputTable.Row]) -> GPUThroughputTable.Row {
            let newest = rows.map(\.round).max()!
            let kept = rows.filter { $0.round == newest }.sorted { ($0.secondsPerMicroBatch, $0.line) < ($1.secondsPerMicroBatch, $1.line) }
            return kept[(kept.count - 1) / 2]
        }
        var configOf: [Model: ModelConfig] = [:]
        for model in single.keys.sorted() {
            let points = single[model]!
            let devices = Set(points.keys.map(\.device))
            let reference = ["v100-sxm2-16gb", "a100-sxm4-40gb", "h100-sxm-80gb"].first { devices.contains($0) } ?? devices.min()!
            let referenceBatch = points.keys.filter { $0.device == reference }.map(\.batch).max()!
            let config = ModelConfig(model: model.name, batchSize: referenceBatch, mode: .train, precision: model.precision)
            configOf[model] = config
            for device in devices.sorted() {
                let batches = points.keys.filter { $0.device == device }.map(\.batch)
                let nearest = batches.min { (abs(log(Double($0) / Double(referenceBatch))), $0) < (abs(log(Double($1) / Double(referenceBatch))), $1) }!
                let rows = points[Point(device: device, batch: nearest)]!
                let row = representative(rows)
                let carried = nearest != referenceBatch
                let printed = row.peakMemoryMiB.map { Int64($0 * 1_048_576) }
                memoryEvidence[PerformanceQuery(config: config, device: device)] = MemoryEvidence(batch: nearest, measuredBytes: printed)
                insert(PerformanceQuery(config: config, device: device),
                       Entry(estimate: PerformanceEstimate(timePerIteration: row.secondsPerMicroBatch * Double(referenceBatch) / Double(nearest),
                                                           peakMemoryBytes: carried ? nil : printed),
                             source: "benchmarks:\(row.suite):L\(row.line)" + (carried ? " at batch \(nearest)" : "")))
                skipped["same model and GPU measured again or at another batch (one row kept)", default: 0] +=
                    points.filter { $0.key.device == device }.map(\.value.count).reduce(0, +) - 1
            }
            setReferenceDevice(reference, forModel: model.name)
        }
        for (model, point, r) in multi.sorted(by: { $0.2.line < $1.2.line }) {
            guard let rows = single[model]?[point], let config = configOf[model] else {
                skipped["several GPUs, no single-GPU row at that batch", default: 0] += 1; continue
            }
            let one = representative(rows).secondsPerMicroBatch
            scaling.measured[ScalingTable.Key(model: ScalingTable.model(of: config), device: point.device, gpus: r.gpuCount, consolidated: r.nodes == 1)] =
                min(1, one / r.secondsPerMicroBatch)
        }
        return skipped
    }
}
