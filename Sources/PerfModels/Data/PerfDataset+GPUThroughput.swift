import ClusterKit
import Foundation
import ModelGraph

extension PerfDataset {
    /// The single-GPU training rows of `gpu-training-throughput/throughput.csv`
    /// (``GPUThroughputTable``: Lambda's runs of NVIDIA DeepLearningExamples models on 27 GPU
    /// types, fp32 and AMP) as samples: the zoo graph of each configuration at its batch per GPU,
    /// the catalog device its `gpu_model` is measured as (`gpu-throughput:NAME` in
    /// `clusters/devices.yaml`), time per micro-batch, and the peak memory where the log printed
    /// it (Mask R-CNN's `max_memory_allocated`). Rows on several GPUs (data-parallel time
    /// includes communication), rows of a model the zoo has no graph for and rows on a GPU the
    /// catalog lacks are skipped and counted by reason, never fatal.
    public static func gpuThroughput(path: String, catalog: DeviceCatalog) throws -> PerfDataset {
        let table = try GPUThroughputTable(path: path)
        var skipped = table.skipped, rows: [NamedRow] = []
        for r in table.rows {
            guard r.gpuCount == 1 else { skipped["several GPUs (data parallel)", default: 0] += 1; continue }
            guard let model = r.zooModel else { skipped["model the zoo cannot describe", default: 0] += 1; continue }
            guard let device = catalog.device(dataset: "gpu-throughput", name: r.gpuModel) else {
                skipped["GPU not in the catalog", default: 0] += 1; continue
            }
            rows.append(NamedRow(model: model, family: r.family, device: device.name, precision: r.precision, mode: .train,
                                 batch: r.batchPerGPU, seconds: r.secondsPerMicroBatch,
                                 memoryBytes: r.peakMemoryMiB.map { $0 * 1_048_576 }))
        }
        return fromNamedRows(rows, source: path, catalog: catalog, skipped: skipped)
    }
}
