import ClusterKit
import Foundation

extension PredictorStudies {
    /// Leave one family out on real GPUs: for each family of the torchvision GPU benchmark in
    /// turn, a model (`options.models[0]`) is trained on the other sources (`sources`, e.g.
    /// NAS-Bench-201, NeuSight, the CPU data) plus every other torchvision family, and judged on
    /// the held-out family, against the roofline prior and a per-device efficiency and FLOPs
    /// regression fitted on the same training samples. Goal (issue 14, 7a): median APE ≤ 15%
    /// and better than both fitted baselines on at least 80% of families; intervals holding
    /// ≥ 85% of the measurements.
    public static func families(root: DataRoot, catalog: DeviceCatalog, options: StudyOptions,
                                sources: [String] = ["nb201", "neusight", "augur"]) throws -> StudyOutcome {
        var dataOptions = PerfDataSource.Options(root: root, catalog: catalog)
        dataOptions.nb201Stride = options.stride
        var data = try PerfDataSource.load(sources, options: dataOptions)
        let gpu = try PerfDataSource.load("torchvision", options: dataOptions)
        let gpuGraphs = data.graphs.count  // graphs from here on are the torchvision ones (cleaning keeps graphs)
        data.append(gpu)
        let (clean, note) = cleaned(data, options: options)
        data = clean
        let isHeldOutData = { (i: Int) in data.samples[i].graph >= gpuGraphs }
        let families = Array(Set(data.samples.indices.filter(isHeldOutData).map { data.info[data.samples[$0].graph].family })).sorted()
        let kind = options.models.first ?? .seernet
        var md = note + "Leave one torchvision family out: \(kind.rawValue) trained on \(sources.joined(separator: ", ")) and the other torchvision families, judged on the held-out family (torchvision GPU benchmark: \(gpu.samples.count) samples, 224×224, batch 12, fp32 and fp16, train and inference; skipped rows: "
        md += gpu.skipped.keys.sorted().map { "\(gpu.skipped[$0]!) \($0)" }.joined(separator: ", ") + ").\n\n"
        md += "| held-out family | n | \(kind.rawValue) median APE % | MAPE % | ρ | intervals hold | roofline median APE % | device-efficiency | flops-regression | beats both fitted baselines | training s |\n"
        md += "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n"
        var figures: [String: Double] = [:]
        var wins = 0, medians: [Double] = [], held = 0, given = 0
        for family in families {
            let test = data.samples.indices.filter { isHeldOutData($0) && data.info[data.samples[$0].graph].family == family }
            let rest = DatasetSplit(data, kind: .random, seed: options.seed)
            let testSet = Set(test)
            let split = DatasetSplit(train: rest.train.filter { !testSet.contains($0) } + rest.test.filter { !testSet.contains($0) },
                                     validation: rest.validation.filter { !testSet.contains($0) }, test: test)
            let (model, seconds) = try trainOne(options.hyper(kind), name: "family-\(family)", data: data, split: split, catalog: catalog, options: options)
            let m = try AccuracyReport(model: model, name: kind.rawValue, data: data, samples: test, catalog: catalog)
            let fitted: [any SampleTimePredictor] = [DeviceEfficiency(data, train: split.train, catalog: catalog), FLOPsRegression(data, train: split.train)]
            let roof = try AccuracyReport(RooflineBaseline(), data: data, samples: test)
            let base = try fitted.map { try AccuracyReport($0, data: data, samples: test) }
            let beats = base.allSatisfy { m.overall.medianAPE < $0.overall.medianAPE }
            if beats { wins += 1 }
            medians.append(m.overall.medianAPE)
            if let c = m.intervals { held += Int((c.coverage * Double(c.count)).rounded()); given += c.count }
            md += "| \(family) | \(m.overall.count) | \(format(m.overall.medianAPE, 1)) | \(format(m.overall.mape, 1)) | \(format(m.overall.spearman, 3)) | \(m.intervals.map { format(100 * $0.coverage, 1) + "%" } ?? "–") | \(format(roof.overall.medianAPE, 1)) | \(format(base[0].overall.medianAPE, 1)) | \(format(base[1].overall.medianAPE, 1)) | \(beats ? "yes" : "no") | \(format(seconds, 0)) |\n"
            figures["\(family).medianAPE"] = m.overall.medianAPE
        }
        let sorted = medians.sorted()
        let median = sorted.isEmpty ? Double.nan : sorted[sorted.count / 2]
        md += "\nHeld-out families where the model beats both fitted baselines: \(wins) of \(families.count); median over families of its median APE: \(format(median, 1))%; its 90% intervals hold \(given > 0 ? format(100 * Double(held) / Double(given), 1) : "–")% of the \(given) held-out measurements.\n"
        figures["wins"] = Double(wins)
        figures["medianOfMedians"] = median
        return StudyOutcome(markdown: md, figures: figures)
    }
}
