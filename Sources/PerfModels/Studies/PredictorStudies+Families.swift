import ClusterKit
import Foundation

extension PredictorStudies {
    /// Leave one family out on real GPUs (issue 14, 7a): for each model family of the GPU
    /// benchmarks (`gpuSources`: the torchvision GPU benchmark's five CNN families and the
    /// DeepLearningExamples models of the GPU training throughput table) in turn, a model
    /// (`options.models[0]`) is trained on `sources` (NAS-Bench-201, NeuSight, the CPU data) and
    /// every other family, and judged on the held-out family, against the roofline prior and a
    /// per-device efficiency, a spec regression and a FLOPs regression fitted on the same
    /// training samples. Goal: median APE ≤ 15% and better than every fitted baseline on at
    /// least 80% of families; intervals holding ≥ 85% of the measurements.
    public static func families(root: DataRoot, catalog: DeviceCatalog, options: StudyOptions,
                                sources: [String] = ["nb201", "neusight", "augur"],
                                gpuSources: [String] = ["torchvision", "gpu-throughput"]) throws -> StudyOutcome {
        let (data, gpuGraphs, note) = try gpuStudyData(root: root, catalog: catalog, options: options, sources: sources, gpuSources: gpuSources)
        let isGPUData = { (i: Int) in data.samples[i].graph >= gpuGraphs && data.samples[i].time != nil }
        let families = Array(Set(data.samples.indices.filter(isGPUData).map { data.info[data.samples[$0].graph].family })).sorted()
        let kind = options.models.first ?? .seernet
        let md = note + "Leave one GPU-benchmark family out: \(options.modelLabel(kind)) trained on \(sources.joined(separator: ", ")) and the other families, judged on the held-out family.\n\n"
        var rows: [HeldOutRow] = []
        for family in families {
            let test = data.samples.indices.filter { isGPUData($0) && data.info[data.samples[$0].graph].family == family }
            rows.append(try heldOut(data, test: test, label: family, catalog: catalog, options: options))
        }
        let (table, figures) = heldOutTable(rows, unit: "family", units: "families", kind: options.modelLabel(kind))
        return StudyOutcome(markdown: md + table, figures: figures)
    }

    /// `sources` then `gpuSources`, cleaned of damaged labels; the index of the first graph of
    /// the GPU sources; and a note saying what each GPU source skipped.
    static func gpuStudyData(root: DataRoot, catalog: DeviceCatalog, options: StudyOptions, sources: [String],
                             gpuSources: [String]) throws -> (PerfDataset, Int, String) {
        var dataOptions = PerfDataSource.Options(root: root, catalog: catalog)
        dataOptions.nb201Stride = options.stride
        var data = try PerfDataSource.load(sources, options: dataOptions)
        let gpuGraphs = data.graphs.count  // graphs from here on are the GPU benchmarks' (cleaning keeps graphs)
        var note = ""
        for source in gpuSources {
            let gpu = try PerfDataSource.load(source, options: dataOptions)
            note += "GPU data `\(source)`: \(gpu.samples.count) samples, \(Set(gpu.samples.map(\.device)).count) GPUs; skipped rows: "
            note += (gpu.skipped.isEmpty ? "none" : gpu.skipped.keys.sorted().map { "\(gpu.skipped[$0]!) \($0)" }.joined(separator: ", ")) + ".\n\n"
            data.append(gpu)
        }
        let (clean, cleaning) = cleaned(data, options: options)
        return (clean, gpuGraphs, cleaning + note)
    }
}
