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
        let lambdas = stack(&rows, data: data, catalog: catalog)
        let (table, figures) = heldOutTable(rows, unit: "family", units: "families", kind: options.modelLabel(kind))
        let stackNote = "\nStacked: `ln(t / prior)` from a ridge regression over the network's out-of-family answer and the query's physics (graph features, work per operator, device peaks, precision, mode, device median efficiency), fitted on the other families' held-out answers, each family weighing the same; the penalty chosen by leave-one-family-out among those other families (`EfficiencyStack`; chosen: "
            + lambdas.keys.sorted().map { "\($0) \(format(lambdas[$0]!, 2))" }.joined(separator: ", ") + "). No family is in the training data of its own network, stack or penalty.\n"
        return StudyOutcome(markdown: md + table + stackNote, figures: figures)
    }

    /// Adds to each row the stacked answers of ``EfficiencyStack/crossFitted(_:)`` (samples it
    /// cannot stack keep the network's answer); returns the penalty chosen for each row.
    static func stack(_ rows: inout [HeldOutRow], data: PerfDataset, catalog: DeviceCatalog) -> [String: Double] {
        var stackRows: [EfficiencyStack.Row] = [], origin: [(row: Int, position: Int)] = []
        for (k, r) in rows.enumerated() {
            for (position, (i, t)) in zip(r.test, r.modelTimes).enumerated() {
                guard let t, let y = data.samples[i].time, let prior = data.samples[i].priorTime, y > 0,
                      let x = EfficiencyStack.features(i, data: data, network: t, deviceMedian: r.deviceMedians[data.samples[i].device], catalog: catalog)
                else { continue }
                stackRows.append(.init(features: x, target: Foundation.log(y / prior), group: r.label))
                origin.append((k, position))
            }
        }
        let (answers, lambdas) = EfficiencyStack.crossFitted(stackRows)
        var times = rows.map(\.modelTimes)
        for ((k, position), a) in zip(origin, answers) where a.isFinite {
            times[k][position] = data.samples[rows[k].test[position]].priorTime.map { $0 * Foundation.exp(a) }
        }
        for k in rows.indices {
            rows[k].stacked = AccuracyReport(predictor: "stacked", data: data, samples: rows[k].test, predictions: times[k])
        }
        return lambdas
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
