import ClusterKit
import Foundation

extension PredictorStudies {
    /// A latency-table sample's device setting: device and batch size (`1080ti b32`).
    static func setting(_ s: PerfSample, _ info: PerfDataset.GraphInfo) -> String { "\(s.device) b\(s.batchSize)" }

    /// NAS-Bench-201 latency, every device setting in one model, a random 70/10/20 split of
    /// architectures: per-device MAPE, ±10% share and Spearman ρ of each GNN and baseline.
    public static func nb201(root: DataRoot, catalog: DeviceCatalog, options: StudyOptions) throws -> StudyOutcome {
        var o = PerfDataSource.Options(root: root, catalog: catalog)
        o.nb201Stride = options.stride
        let t0 = Date()
        let (data, cleaning) = cleaned(try PerfDataSource.load("nb201", options: o), options: options)
        options.log("loaded \(data.graphs.count) graphs, \(data.samples.count) samples in \(format(Date().timeIntervalSince(t0), 1)) s")
        let split = DatasetSplit(data, kind: .random, seed: options.seed)
        var rows: [(AccuracyReport, Double?)] = []
        var best: AccuracyReport?
        var figures: [String: Double] = [:]
        for kind in options.models {
            let (model, seconds) = try trainOne(options.hyper(kind), name: "nb201-\(kind.rawValue)", data: data, split: split, catalog: catalog, options: options)
            let report = try AccuracyReport(model: model, name: kind.rawValue, data: data, samples: split.test, catalog: catalog, group: setting)
            rows.append((report, seconds))
            figures["\(kind.rawValue).meanMAPE"] = report.deviceMean(\.mape)
            figures["\(kind.rawValue).meanWithin10"] = report.deviceMean(\.within10)
            figures["\(kind.rawValue).meanSpearman"] = report.deviceMean(\.spearman)
            figures["\(kind.rawValue).seconds"] = seconds
            if kind != .mlp, best == nil || report.deviceMean(\.mape) < best!.deviceMean(\.mape) { best = report }
        }
        for baseline in [FLOPsRegression(data, train: split.train) as any SampleTimePredictor, RooflineBaseline()] {
            rows.append((try AccuracyReport(baseline, data: data, samples: split.test, group: setting), nil))
        }
        var md = "NAS-Bench-201, random split of architectures (seed \(options.seed)): \(split.train.count) training, \(split.validation.count) validation, \(split.test.count) test samples over \(Set(data.samples.map { setting($0, data.info[$0.graph]) }).count) device settings (\(data.devices.count) devices).\n\n"
        md += cleaning + summary(rows, groupTitle: "device setting")
        if let best {
            md += "\n\nPer device setting, \(best.predictor) (test split):\n\n" + best.markdown(groupTitle: "device setting")
        }
        return StudyOutcome(markdown: md, figures: figures)
    }
}
