import ClusterKit
import Foundation

extension PredictorStudies {
    /// Held-out families on real GPUs: a trained model (by default `models/default`, which saw
    /// NAS-Bench-201 cells, NeuSight's transformers and CPU measurements, and no torchvision
    /// network on a GPU) against the torchvision GPU benchmark (ResNet, ResNeXt, wide ResNet,
    /// VGG, MobileNetV2 at 224×224, batch 12, train and inference, fp32 and fp16, on four GPUs it
    /// was trained on and the A100 it was not). Baselines on the same samples: the roofline
    /// prior, a per-device efficiency over it and a per-device FLOPs regression, both fitted on
    /// the training data the model saw (`sources`). Tables by family and by device, with the
    /// model's interval coverage inside and outside its training range.
    public static func torchvision(root: DataRoot, catalog: DeviceCatalog, options: StudyOptions, model: PerfModel, modelName: String,
                                   trainedOn: [String], sources: [String] = ["nb201", "neusight", "augur"]) throws -> StudyOutcome {
        var dataOptions = PerfDataSource.Options(root: root, catalog: catalog)
        dataOptions.nb201Stride = options.stride
        let heldOut = try PerfDataSource.load("torchvision", options: dataOptions)
        let train = try PerfDataSource.load(sources, options: dataOptions).withoutDamagedTimes().0
        options.log("held out: \(heldOut.samples.count) torchvision samples; baselines fitted on \(train.samples.count) training samples")
        let all = Array(heldOut.samples.indices)
        let baselines: [any SampleTimePredictor] = [RooflineBaseline(), DeviceEfficiency(train, train: Array(train.samples.indices), catalog: catalog),
                                                    FLOPsRegression(train, train: Array(train.samples.indices))]
        func family(_ s: PerfSample, _ info: PerfDataset.GraphInfo) -> String { "\(info.family) \(s.mode.rawValue) \(s.precision.rawValue)" }
        func device(_ s: PerfSample, _ info: PerfDataset.GraphInfo) -> String { s.device + (model.isTrained(device: s.device) ? "" : " (not trained on)") }
        var md = "Trained model `\(modelName)` on the torchvision GPU benchmark (\(heldOut.samples.count) single-GPU samples, fp32 and fp16; "
        md += "rows skipped: " + heldOut.skipped.keys.sorted().map { "\(heldOut.skipped[$0]!) \($0)" }.joined(separator: ", ") + "). "
        md += trainedOn.contains(where: { $0.contains("torchvision") })
            ? "Its training data included this benchmark, so these are not held-out figures (`augur experiment families` holds families out). "
            : "No torchvision network on a GPU was in its training data (\(trainedOn.joined(separator: ", "))). "
        md += "Baselines fitted on the model's training sources (\(sources.joined(separator: ", ")), \(train.samples.count) samples).\n\n"
        var figures: [String: Double] = [:]
        for (title, group) in [("family, mode, precision", family as (PerfSample, PerfDataset.GraphInfo) -> String), ("device", device)] {
            var reports = [try AccuracyReport(model: model, name: modelName, data: heldOut, samples: all, catalog: catalog, group: group)]
            for b in baselines { reports.append(try AccuracyReport(b, data: heldOut, samples: all, group: group)) }
            md += "Median APE % (MAPE %) by \(title):\n\n| \(title) | n | " + reports.map(\.predictor).joined(separator: " | ") + " |\n|---|---:|" + reports.map { _ in "---:|" }.joined() + "\n"
            for g in reports[0].devices.keys.sorted() {
                md += "| \(g) | \(reports[0].devices[g]!.count) | " + reports.map { r in r.devices[g].map { "\(format($0.medianAPE, 1)) (\(format($0.mape, 1)))" } ?? "–" }.joined(separator: " | ") + " |\n"
            }
            md += "| **all samples** | \(reports[0].overall.count) | " + reports.map { "\(format($0.overall.medianAPE, 1)) (\(format($0.overall.mape, 1)))" }.joined(separator: " | ") + " |\n"
            md += "| **Spearman ρ, all** | | " + reports.map { format($0.overall.spearman, 3) }.joined(separator: " | ") + " |\n\n"
            if title == "device" {
                for r in reports { figures["\(r.predictor).medianAPE"] = r.overall.medianAPE; figures["\(r.predictor).mape"] = r.overall.mape }
                if let c = reports[0].intervals {
                    md += "The model's 90% time intervals: \(c.count) given, \(format(100 * c.coverage, 1))% hold the measurement (median width ×\(format(c.medianWidthRatio, 2))); \(c.partsDescription).\n"
                    figures["coverage"] = c.coverage
                }
            }
        }
        return StudyOutcome(markdown: md, figures: figures)
    }
}
