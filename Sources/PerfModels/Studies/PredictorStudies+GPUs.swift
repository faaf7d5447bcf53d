import ClusterKit
import Foundation

extension PredictorStudies {
    /// Leave one GPU out (issue 14, 7b): for each datacenter GPU of the GPU benchmarks with at
    /// least `minimumSamples` timed samples, a model (`options.models[0]`) is trained on every
    /// sample of every other device (`sources` and `gpuSources`) and judged on all of that GPU's
    /// samples, which it then knows only by its catalog specs (no embedding: the device never
    /// appears in training), against the roofline and a per-device efficiency, a spec regression
    /// (one efficiency per GPU, linear in its specs) and a FLOPs regression fitted on the same
    /// training samples. Goal: MAPE ≤ 10% (NeuSight reports about 8% on unseen GPUs); interval
    /// coverage ≥ 85% of the nominal 90%.
    public static func gpus(root: DataRoot, catalog: DeviceCatalog, options: StudyOptions,
                            sources: [String] = ["nb201", "neusight", "augur"],
                            gpuSources: [String] = ["torchvision", "gpu-throughput"], minimumSamples: Int = 20) throws -> StudyOutcome {
        let (data, gpuGraphs, note) = try gpuStudyData(root: root, catalog: catalog, options: options, sources: sources, gpuSources: gpuSources)
        var count: [String: Int] = [:]
        for s in data.samples where s.graph >= gpuGraphs && s.time != nil { count[s.device, default: 0] += 1 }
        let held = count.keys.filter { count[$0]! >= minimumSamples && catalog[$0]?.tier == .datacenter }.sorted()
        let kind = options.models.first ?? .seernet
        var md = note + "Leave one datacenter GPU out: \(kind.rawValue) trained on every other device's samples (\(sources.joined(separator: ", ")), \(gpuSources.joined(separator: ", "))), judged on all of the held-out GPU's timed samples, which it knows only by its specs.\n\n"
        var rows: [HeldOutRow] = []
        for device in held {
            let onDevice = data.samples.indices.filter { data.samples[$0].device == device }
            rows.append(try heldOut(data, test: onDevice.filter { data.samples[$0].time != nil }, excluded: onDevice, label: device,
                                    catalog: catalog, options: options))
        }
        let (table, figures) = heldOutTable(rows, unit: "GPU", kind: kind.rawValue)
        return StudyOutcome(markdown: md + table, figures: figures)
    }
}
