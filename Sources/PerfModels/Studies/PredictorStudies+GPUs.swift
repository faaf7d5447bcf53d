import ClusterKit
import Foundation

extension PredictorStudies {
    /// The server GPUs of the catalog (NVIDIA's and AMD's datacenter parts; the catalog's `tier`
    /// also calls desktop and workstation cards `datacenter`, as opposed to edge devices).
    static let datacenterGPUs: Set<String> = [
        "h100-sxm-80gb", "h100-pcie-80gb", "h200-sxm-141gb", "a100-sxm4-40gb", "a100-sxm4-80gb", "a100-pcie-40gb", "a100-pcie-80gb",
        "v100-sxm2-16gb", "v100-sxm2-32gb", "v100-pcie-32gb", "p100-pcie-16gb", "p4", "t4", "l4", "l40s", "a10", "a40", "k80",
        "mi100", "mi210", "mi300x", "mi325x", "mi350x", "mi355x",
    ]

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
        let held = heldOutGPUs(data, gpuGraphs: gpuGraphs, minimumSamples: minimumSamples)
        let kind = options.models.first ?? .seernet
        let md = note + "Leave one datacenter GPU out: \(options.modelLabel(kind)) trained on every other device's samples (\(sources.joined(separator: ", ")), \(gpuSources.joined(separator: ", "))), judged on all of the held-out GPU's timed samples, a GPU it never trained on: answered from the measured efficiency of the nearest GPU (in specs) that ran the same workload in the training samples, else from its specs (`--unseen-device measured`); beside it, the same models from the held-out GPU's specs alone (`--unseen-device specs`).\n\n"
        var rows: [HeldOutRow] = []
        for device in held {
            let onDevice = data.samples.indices.filter { data.samples[$0].device == device }
            rows.append(try heldOut(data, test: onDevice.filter { data.samples[$0].time != nil }, excluded: onDevice, label: device,
                                    catalog: catalog, options: options, nearestDevice: true))
        }
        let (table, figures) = heldOutTable(rows, unit: "GPU", units: "GPUs", kind: options.modelLabel(kind))
        return StudyOutcome(markdown: md + table, figures: figures)
    }

    /// The datacenter GPUs with at least `minimumSamples` timed samples of the GPU benchmarks
    /// (graphs from `gpuGraphs` on), sorted: the units the gpus and transfer studies hold out.
    static func heldOutGPUs(_ data: PerfDataset, gpuGraphs: Int, minimumSamples: Int) -> [String] {
        var count: [String: Int] = [:]
        for s in data.samples where s.graph >= gpuGraphs && s.time != nil { count[s.device, default: 0] += 1 }
        return count.keys.filter { count[$0]! >= minimumSamples && Self.datacenterGPUs.contains($0) }.sorted()
    }
}
