import ClusterKit
import Foundation
import ModelGraph

extension PerfDataset {
    /// Loads `torchvision-gpu-benchmark/timings.csv` (ryujaehun/pytorch-gpu-benchmark: torchvision
    /// ImageNet models at 224×224, batch 12 per GPU, median ms per iteration; train = forward,
    /// loss and backward without an optimizer step; fp16 = `model.half()`). Single-GPU rows in
    /// fp32 and fp16 become samples, on the catalog device each `gpu` is measured as
    /// (`torchvision-bench:NAME` in `clusters/devices.yaml`); graphs are the Swift-built ResNets or the exported zoo
    /// (``GraphSource``). Rows that cannot be used (several GPUs under DataParallel, fp64, a GPU
    /// the catalog lacks, a model without a graph, a field that does not parse) are skipped and
    /// counted by reason in ``skipped``, never fatal.
    public static func torchvisionGPU(timings path: String, catalog: DeviceCatalog) throws -> PerfDataset {
        let table = try CSVTable(text: TextFile.read(path), path: path)
        let model = try table.column("model"), gpu = try table.column("gpu"), count = try table.column("gpu_count")
        let precision = try table.column("precision"), mode = try table.column("mode"), batch = try table.column("batch_size")
        let ms = try table.column("ms_per_iteration")
        var rows: [NamedRow] = [], skipped: [String: Int] = [:]
        for r in table.rows {
            do {
                guard try r.int(count, "gpu_count", in: table) == 1 else { skipped["several GPUs (DataParallel)", default: 0] += 1; continue }
                guard let p = Precision(rawValue: String(try r.string(precision, "precision", in: table))) else {
                    skipped["precision other than fp32/fp16", default: 0] += 1; continue
                }
                guard let device = catalog.device(dataset: "torchvision-bench", name: String(try r.string(gpu, "gpu", in: table)))?.name else {
                    skipped["GPU not in the catalog", default: 0] += 1; continue
                }
                guard let m = RunMode(rawValue: String(try r.string(mode, "mode", in: table))) else { throw InputError(file: path, line: r.line, field: "mode", reason: "not train or infer") }
                let b = try r.int(batch, "batch_size", in: table), t = try r.double(ms, "ms_per_iteration", in: table)
                guard b > 0, t > 0 else { throw InputError(file: path, line: r.line, reason: "batch and time must be positive") }
                let name = String(try r.string(model, "model", in: table))
                rows.append(NamedRow(model: name, family: Self.torchvisionFamily(name), device: device, precision: p, mode: m, batch: b, seconds: t / 1000))
            } catch let e as InputError {
                skipped["unparsable row (\(e.field ?? "row"))", default: 0] += 1
            }
        }
        return fromNamedRows(rows, source: path, catalog: catalog, skipped: skipped)
    }

    /// The family of a torchvision model name (`resnet50` → `resnet`, `vgg16_bn` → `vgg`).
    static func torchvisionFamily(_ model: String) -> String {
        for family in ["wide_resnet", "resnext", "resnet", "vgg", "mobilenet", "densenet", "efficientnet", "regnet", "shufflenet", "squeezenet"]
        where model.hasPrefix(family) { return family }
        return model
    }
}
