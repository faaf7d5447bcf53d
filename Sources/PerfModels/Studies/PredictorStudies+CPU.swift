import ClusterKit
import Foundation

extension PredictorStudies {
    /// The project's own CPU measurements (`data/measurements`): time and peak memory on this
    /// machine's two device settings, on a random split of architectures and on a split that
    /// holds out one family (`heldOut`). Each GNN trains time and memory jointly with PCGrad;
    /// the first also trains single-target variants for comparison.
    public static func cpu(root: DataRoot, catalog: DeviceCatalog, options: StudyOptions,
                           measurements: String = "data/measurements", heldOut: String = "densenet") throws -> StudyOutcome {
        let (data, skipped) = try PerfDataset.augur(measurements: measurements, graphs: "data/graphs/onnx", catalog: catalog)
        options.log("loaded \(data.graphs.count) graphs, \(data.samples.count) samples (\(skipped) rows skipped: failures or no exported graph)")
        var md = ""
        var figures: [String: Double] = [:]
        for (title, kind) in [("random split of architectures", DatasetSplit.Kind.random), ("\(heldOut) held out", .family(test: [heldOut]))] {
            let split = DatasetSplit(data, kind: kind, seed: options.seed)
            let tag = title.hasPrefix("random") ? "random" : "family"
            var lines = ["| predictor | targets | time MAPE % | time ±10% | time Spearman ρ | memory MAPE % | training s |", "|---|---|---:|---:|---:|---:|---:|"]
            var variants: [(String, ModelHyper)] = []
            for (i, k) in options.models.enumerated() {
                variants.append((k.rawValue, options.hyper(k, targets: [.time, .memory])))
                if i == 0 {
                    variants.append((k.rawValue + " (time only)", options.hyper(k, targets: [.time])))
                    variants.append((k.rawValue + " (memory only)", options.hyper(k, targets: [.memory])))
                }
            }
            for (name, hyper) in variants {
                let (model, seconds) = try trainOne(hyper, name: "cpu-\(tag)-\(name.replacingOccurrences(of: " ", with: "_").filter { $0 != "(" && $0 != ")" })",
                                                    data: data, split: split, catalog: catalog, options: options)
                let p = try model.predict(data, samples: split.test, catalog: catalog)
                let time = AccuracyReport(predictor: name, data: data, samples: split.test, predictions: p.map(\.time))
                var memoryData = data
                for i in split.test { memoryData.samples[i].time = data.samples[i].memory }
                let memory = AccuracyReport(predictor: name, data: memoryData, samples: split.test, predictions: p.map(\.memory))
                let targets = hyper.targets.map(\.rawValue).joined(separator: "+")
                lines.append("| \(name) | \(targets) | \(hyper.targets.contains(.time) ? format(time.overall.mape) : "–") | \(hyper.targets.contains(.time) ? format(100 * time.overall.within10, 1) + "%" : "–") | \(hyper.targets.contains(.time) ? format(time.overall.spearman, 3) : "–") | \(hyper.targets.contains(.memory) ? format(memory.overall.mape) : "–") | \(format(seconds, 0)) |")
                if hyper.targets.contains(.time) { figures["\(tag).\(name).timeMAPE"] = time.overall.mape }
                if hyper.targets.contains(.memory) { figures["\(tag).\(name).memoryMAPE"] = memory.overall.mape }
            }
            for baseline in [FLOPsRegression(data, train: split.train) as any SampleTimePredictor, RooflineBaseline()] {
                let r = try AccuracyReport(baseline, data: data, samples: split.test)
                lines.append("| \(baseline.name) | time | \(format(r.overall.mape)) | \(format(100 * r.overall.within10, 1))% | \(format(r.overall.spearman, 3)) | – | – |")
            }
            md += "**\(title)** (seed \(options.seed)): \(split.train.count) training, \(split.validation.count) validation, \(split.test.count) test samples.\n\n" + lines.joined(separator: "\n") + "\n\n"
        }
        return StudyOutcome(markdown: md, figures: figures)
    }
}
