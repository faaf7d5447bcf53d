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
        var count: [String: Int] = [:]
        for s in data.samples where s.graph >= gpuGraphs && s.time != nil { count[s.device, default: 0] += 1 }
        let held = count.keys.filter { count[$0]! >= minimumSamples && Self.datacenterGPUs.contains($0) }.sorted()
        var md = note + "Each datacenter GPU held out in turn, its timed samples answered from the nearest GPU (in specs) that measured the same workload (`NearestDeviceTransfer` on every other device's samples; else the nearest device's median efficiency): which GPU answered, how far it is (RMS of the `ln` ratios of FP32 and FP16 peaks, bandwidth, compute units and power) and how far off it was. Mean ln error > 0: answered too slow.\n\n"
        md += "| held-out GPU | answering GPU | spec distance | n | MAPE % | median APE % | mean ln error |\n|---|---|---:|---:|---:|---:|---:|\n"
        let buckets: [(label: String, upper: Double)] = [("< 0.15", 0.15), ("0.15–0.30", 0.30), ("0.30–0.45", 0.45), ("≥ 0.45", .infinity)]
        var byBucket = [[Double]](repeating: [], count: buckets.count + 1)  // last: no same-workload measurement
        var figures: [String: Double] = [:]
        for device in held {
            let train = data.samples.indices.filter { data.samples[$0].device != device }
            let transfer = NearestDeviceTransfer(data, train: train, catalog: catalog)
            var bySource: [String: (distance: Double?, errors: [Double])] = [:]
            for s in data.samples where s.device == device {
                guard let y = s.time, y > 0, let a = transfer.answer(s) else { continue }
                let e = Foundation.log(a.time / y)
                let key = a.source ?? "(median efficiency)"
                bySource[key, default: (a.distance, [])].errors.append(e)
                let b = a.distance.map { d in buckets.firstIndex { d < $0.upper }! } ?? buckets.count
                byBucket[b].append(e)
            }
            let order = bySource.keys.sorted { (bySource[$0]!.distance ?? .infinity, $0) < (bySource[$1]!.distance ?? .infinity, $1) }
            for source in order {
                let (distance, errors) = bySource[source]!
                md += "| \(device) | \(source) | \(distance.map { format($0, 2) } ?? "–") | \(errors.count) | \(format(Self.mape(errors), 1)) | \(format(Self.medianAPE(errors), 1)) | \(format(errors.reduce(0, +) / Double(errors.count), 3)) |\n"
            }
            let all = order.flatMap { bySource[$0]!.errors }
            figures["\(device).mape"] = Self.mape(all)
        }
        md += "\nAll held-out GPUs by the answering GPU's spec distance:\n\n| spec distance | n | MAPE % | median APE % | mean ln error |\n|---|---:|---:|---:|---:|\n"
        for (k, errors) in byBucket.enumerated() where !errors.isEmpty {
            let label = k < buckets.count ? buckets[k].label : "no same-workload measurement"
            md += "| \(label) | \(errors.count) | \(format(Self.mape(errors), 1)) | \(format(Self.medianAPE(errors), 1)) | \(format(errors.reduce(0, +) / Double(errors.count), 3)) |\n"
            figures["bucket\(k).mape"] = Self.mape(errors)
        }
        return StudyOutcome(markdown: md, figures: figures)
    }

    /// MAPE (%) of `ln(predicted / measured)` errors.
    static func mape(_ lnErrors: [Double]) -> Double {
        lnErrors.isEmpty ? .nan : 100 * lnErrors.reduce(0) { $0 + abs(Foundation.exp($1) - 1) } / Double(lnErrors.count)
    }

    /// Median APE (%) of `ln(predicted / measured)` errors.
    static func medianAPE(_ lnErrors: [Double]) -> Double {
        lnErrors.isEmpty ? .nan : DeviceEfficiency.median(lnErrors.map { 100 * abs(Foundation.exp($0) - 1) })
    }
}
