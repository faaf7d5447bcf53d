import ClusterKit
import Foundation

extension PredictorStudies {
    /// How far a measured efficiency travels (issue 14, 7b): for each datacenter GPU of the gpus
    /// study held out in turn, every timed sample answered as `--unseen-device measured` answers it
    /// (``NearestDeviceTransfer`` fitted on every other device's samples: the nearest GPU in specs
    /// that measured the same workload, else the nearest device's median efficiency), with the GPU
    /// whose measurement answered and its spec distance; then the errors of all held-out GPUs by
    /// that distance. No network is trained.
    public static func transfer(root: DataRoot, catalog: DeviceCatalog, options: StudyOptions,
                                sources: [String] = ["nb201", "neusight", "augur"],
                                gpuSources: [String] = ["torchvision", "gpu-throughput"], minimumSamples: Int = 20) throws -> StudyOutcome {
        let (data, gpuGraphs, note) = try gpuStudyData(root: root, catalog: catalog, options: options, sources: sources, gpuSources: gpuSources)
        let held = heldOutGPUs(data, gpuGraphs: gpuGraphs, minimumSamples: minimumSamples)
        var md = note + "Each datacenter GPU held out in turn, its timed samples answered from the nearest GPU (in specs) that measured the same workload (`NearestDeviceTransfer` on every other device's samples; else the nearest device's median efficiency): which GPU answered, how far it is (RMS of the `ln` ratios of FP32 and FP16 peaks, bandwidth, compute units and power) and how far off it was. Mean ln error > 0: answered too slow.\n\n"
        md += "| held-out GPU | answering GPU | spec distance | n | MAPE % | median APE % | mean ln error |\n|---|---|---:|---:|---:|---:|---:|\n"
        let buckets: [(label: String, upper: Double)] = [("< 0.15", 0.15), ("0.15–0.30", 0.30), ("0.30–0.45", 0.45), ("≥ 0.45", .infinity)]
        /// Predicted and measured times.
        typealias Answers = (predicted: [Double], measured: [Double])
        var byBucket = [Answers](repeating: ([], []), count: buckets.count + 1)  // last: no same-workload measurement
        var figures: [String: Double] = [:]
        for device in held {
            let train = data.samples.indices.filter { data.samples[$0].device != device }
            let transfer = NearestDeviceTransfer(data, train: train, catalog: catalog)
            var bySource: [String: (distance: Double?, answers: Answers)] = [:]
            for s in data.samples where s.device == device {
                guard let y = s.time, y > 0, let a = transfer.answer(s) else { continue }
                let key = a.source ?? "(median efficiency)"
                bySource[key, default: (a.distance, ([], []))].answers.predicted.append(a.time)
                bySource[key]!.answers.measured.append(y)
                let b = a.distance.map { d in buckets.firstIndex { d < $0.upper }! } ?? buckets.count
                byBucket[b].predicted.append(a.time)
                byBucket[b].measured.append(y)
            }
            let order = bySource.keys.sorted { (bySource[$0]!.distance ?? .infinity, $0) < (bySource[$1]!.distance ?? .infinity, $1) }
            for source in order {
                let (distance, answers) = bySource[source]!
                md += "| \(device) | \(source) | \(distance.map { format($0, 2) } ?? "–") | " + Self.transferCells(answers) + " |\n"
            }
            figures["\(device).mape"] = AccuracyMetrics(predicted: order.flatMap { bySource[$0]!.answers.predicted },
                                                        measured: order.flatMap { bySource[$0]!.answers.measured }).mape
        }
        md += "\nAll held-out GPUs by the answering GPU's spec distance:\n\n| spec distance | n | MAPE % | median APE % | mean ln error |\n|---|---:|---:|---:|---:|\n"
        for (k, answers) in byBucket.enumerated() where !answers.measured.isEmpty {
            let label = k < buckets.count ? buckets[k].label : "no same-workload measurement"
            md += "| \(label) | " + Self.transferCells(answers) + " |\n"
            figures["bucket\(k).mape"] = AccuracyMetrics(predicted: answers.predicted, measured: answers.measured).mape
        }
        return StudyOutcome(markdown: md, figures: figures)
    }

    /// `n | MAPE % | median APE % | mean ln error` of a set of answers.
    static func transferCells(_ a: (predicted: [Double], measured: [Double])) -> String {
        let m = AccuracyMetrics(predicted: a.predicted, measured: a.measured)
        let lnError = zip(a.predicted, a.measured).reduce(0) { $0 + Foundation.log($1.0 / $1.1) } / Double(max(1, a.measured.count))
        return "\(m.count) | \(format(m.mape, 1)) | \(format(m.medianAPE, 1)) | \(format(lnError, 3))"
    }
}
