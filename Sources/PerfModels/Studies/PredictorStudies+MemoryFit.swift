import ClusterKit
import Foundation

extension PredictorStudies {
    /// Peak GPU memory against what is known to have fit (issue 14, item 5): every single-GPU
    /// row of the GPU training throughput table ran, so its configuration needed at most its
    /// GPU's memory, and Lambda chose each batch to fill most of it. For each row the analytic
    /// account (``GraphMemoryAccount``, the memory prior) and, where it answers GPU memory, the
    /// trained `model` are divided by the device's capacity: a ratio above one says a batch that
    /// ran does not fit, an answer that is wrong whatever the exact peak. Few GPU memory labels
    /// exist beyond GPUMemNet's MLPs, so this is the check a large model's memory gets.
    public static func memoryFit(root: DataRoot, catalog: DeviceCatalog, model: PerfModel, modelName: String) throws -> StudyOutcome {
        let data = try PerfDataSource.load("gpu-throughput", options: PerfDataSource.Options(root: root, catalog: catalog))
        let samples = data.samples.indices.filter { data.samples[$0].mode == .train && catalog[data.samples[$0].device]?.memoryBytes != nil }
        let predictions = try model.predict(data, samples: samples, catalog: catalog)
        var rows: [String: (prior: [Double], model: [Double])] = [:]
        for (k, i) in samples.enumerated() {
            let s = data.samples[i]
            let capacity = Double(catalog[s.device]!.memoryBytes!)
            let key = "\(data.info[s.graph].family) \(s.precision.rawValue)"
            if let p = s.priorMemory { rows[key, default: ([], [])].prior.append(p / capacity) }
            if let m = predictions[k].memory { rows[key, default: ([], [])].model.append(m / capacity) }
        }
        func median(_ x: [Double]) -> Double { x.isEmpty ? .nan : x.sorted()[x.count / 2] }
        func over(_ x: [Double]) -> Double { x.isEmpty ? .nan : 100 * Double(x.filter { $0 > 1 }.count) / Double(x.count) }
        var md = "Peak memory over the GPU's capacity for the \(samples.count) single-GPU training rows of the GPU training throughput table "
        md += "(each ran, so each needed at most its GPU's memory; Lambda's batches fill most of it). Analytic account: weights, gradients, "
        md += "Adam's states and saved activations (half-width under fp16/bf16); model: `\(modelName)`.\n\n"
        md += "| family, precision | n | account: median ratio | account: over capacity | model: median ratio | model: over capacity | model: largest ratio |\n"
        md += "|---|---:|---:|---:|---:|---:|---:|\n"
        var allPrior: [Double] = [], allModel: [Double] = []
        for key in rows.keys.sorted() {
            let r = rows[key]!
            allPrior += r.prior
            allModel += r.model
            md += "| \(key) | \(r.prior.count) | \(format(median(r.prior))) | \(format(over(r.prior), 1))% | \(format(median(r.model))) | \(format(over(r.model), 1))% | \(format(r.model.max() ?? .nan)) |\n"
        }
        md += "| **all** | \(allPrior.count) | \(format(median(allPrior))) | \(format(over(allPrior), 1))% | \(format(median(allModel))) | \(format(over(allModel), 1))% | \(format(allModel.max() ?? .nan)) |\n"
        return StudyOutcome(markdown: md, figures: ["account.medianRatio": median(allPrior), "account.overCapacity": over(allPrior),
                                                    "model.medianRatio": median(allModel), "model.overCapacity": over(allModel)])
    }
}
