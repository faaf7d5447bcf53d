import ClusterKit
import Foundation

extension PredictorStudies {
    /// HELP's nine meta-training device settings (Lee et al. 2021).
    public static let helpTrainingColumns = ["1080ti_1", "1080ti_32", "1080ti_256", "silver_4114", "silver_4210r",
                                             "samsung_a50", "pixel3", "essential_ph_1", "samsung_s7"]

    /// New devices from a few samples: train only on HELP's nine training device settings of
    /// the NAS-Bench-201 latency table, then for every other setting adapt two copies of the
    /// model with the same `shots` seeded-random architectures, one by reference
    /// (``Adaptation/reference(_:data:samples:device:catalog:)``) and one by fine-tuning
    /// (``Adaptation/adapt(_:data:samples:device:vector:catalog:options:)``), and report
    /// Spearman ρ and MAPE of each on all the setting's other architectures.
    public static func adaptation(root: DataRoot, catalog: DeviceCatalog, options: StudyOptions, shots: Int = 10,
                                  adapt: Adaptation.Options = .init()) throws -> StudyOutcome {
        var o = PerfDataSource.Options(root: root, catalog: catalog)
        o.nb201Stride = options.stride
        let (data, cleaning) = cleaned(try PerfDataSource.load("nb201", options: o), options: options)
        let header = try TextFile.read(root.nb201Latency).prefix { $0 != "\n" }.split(separator: ",").map(String.init)
        let columns = PerfDataset.latencyColumns(header: header, catalog: catalog)
        func key(_ device: String, _ batch: Int) -> String { "\(device)|\(batch)" }
        let columnOf = Dictionary(columns.map { (key($0.device, $0.batchSize), $0.header) }, uniquingKeysWith: { a, _ in a })
        let trainingSet = Set(helpTrainingColumns)
        var onTraining: [Int] = [], byColumn: [String: [Int]] = [:]
        for (i, s) in data.samples.enumerated() {
            let c = columnOf[key(s.device, s.batchSize)] ?? s.device
            if trainingSet.contains(c) { onTraining.append(i) } else { byColumn[c, default: []].append(i) }
        }
        // Architectures split 87.5/12.5 into training and validation on the training settings.
        let inner = DatasetSplit(data.filtered { _ in true }, kind: .family(test: []), seed: options.seed)
        let onTrainingSet = Set(onTraining)
        let split = DatasetSplit(train: inner.train.filter(onTrainingSet.contains), validation: inner.validation.filter(onTrainingSet.contains), test: [])
        var md = cleaning + "Few-shot adaptation (\(shots) samples) to NAS-Bench-201 device settings never trained on. Training: \(helpTrainingColumns.joined(separator: ", ")) (\(split.train.count) samples).\n\n"
        var figures: [String: Double] = [:]
        let kinds = options.models.filter { $0 != .mlp }
        // Per model, per column: (ρ, MAPE) by reference and by fine-tuning, and the reference chosen.
        var byReference: [EncoderKind: [String: (Double, Double)]] = [:], byTuning = byReference
        var chosen: [EncoderKind: [String]] = [:]
        // Interval coverage of the devices adapted by reference: (held, given) per setting.
        var coverage: [EncoderKind: [(Int, Int)]] = [:]
        for kind in kinds {
            let (model, _) = try trainOne(options.hyper(kind), name: "help-\(kind.rawValue)", data: data, split: split, catalog: catalog, options: options)
            for column in byColumn.keys.sorted() {
                let all = byColumn[column]!
                var generator = SeededGenerator(seed: options.seed, stream: "shots-\(column)")
                let shotList = Array(all.shuffled(using: &generator).prefix(shots))
                let rest = Array(Set(all).subtracting(shotList)).sorted()
                let device = data.samples[all[0]].device
                func judge(_ adapted: PerfModel) throws -> AccuracyReport {
                    try AccuracyReport(model: adapted, name: kind.rawValue, data: data, samples: rest, catalog: catalog)
                }
                let referenced = model.clone()
                let r = try Adaptation.reference(referenced, data: data, samples: shotList, device: device, catalog: catalog)
                let byRef = try judge(referenced)
                byReference[kind, default: [:]][column] = (byRef.overall.spearman, byRef.overall.mape)
                if let c = byRef.intervals { coverage[kind, default: []].append((Int((c.coverage * Double(c.count)).rounded()), c.count)) }
                chosen[kind, default: []].append("\(column) → \(r.reference == device ? "own specs" : r.reference)\(r.scale == 1 ? "" : " ×\(format(r.scale, 2))")")
                let tuned = model.clone()
                try Adaptation.adapt(tuned, data: data, samples: shotList, device: device, vector: DeviceFeatures.vector(catalog[device]), catalog: catalog, options: adapt)
                let byTune = try judge(tuned)
                byTuning[kind, default: [:]][column] = (byTune.overall.spearman, byTune.overall.mape)
                let (a, b) = (byReference[kind]![column]!, byTuning[kind]![column]!)
                options.log("  \(kind.rawValue) adapted to \(column): by reference (\(chosen[kind]!.last!)) ρ \(format(a.0, 3)), MAPE \(format(a.1))%; fine-tuned ρ \(format(b.0, 3)), MAPE \(format(b.1))%")
            }
            func mean(_ r: [String: (Double, Double)]?, _ k: KeyPath<(Double, Double), Double>) -> Double {
                let v = (r ?? [:]).values.map { $0[keyPath: k] }
                return v.reduce(0, +) / Double(max(v.count, 1))
            }
            figures["\(kind.rawValue).meanSpearman"] = mean(byReference[kind], \.0)
            figures["\(kind.rawValue).meanSpearmanFinetuned"] = mean(byTuning[kind], \.0)
        }
        var header2 = "| device setting |", sep = "|---|"
        for kind in kinds {
            header2 += " \(kind.rawValue) ρ reference | MAPE % | ρ fine-tuned | MAPE % |"
            sep += "---:|---:|---:|---:|"
        }
        func cells(_ r: (Double, Double)?) -> String { " \(r.map { format($0.0, 3) } ?? "–") | \(r.map { format($0.1) } ?? "–") |" }
        var rows: [String] = []
        for column in byColumn.keys.sorted() {
            rows.append("| \(column) |" + kinds.map { cells(byReference[$0]?[column]) + cells(byTuning[$0]?[column]) }.joined())
        }
        func meanCell(_ r: [String: (Double, Double)]?) -> String {
            let v = Array((r ?? [:]).values), n = Double(max(v.count, 1))
            return cells((v.reduce(0) { $0 + $1.0 } / n, v.reduce(0) { $0 + $1.1 } / n))
        }
        rows.append("| **mean** |" + kinds.map { meanCell(byReference[$0]) + meanCell(byTuning[$0]) }.joined())
        md += ([header2, sep] + rows).joined(separator: "\n")
        md += "\n\nReferences chosen (device setting → the trained device whose predictions were mapped, with the scale where one was fitted):\n\n"
        md += kinds.map { "- \($0.rawValue): " + (chosen[$0] ?? []).joined(separator: "; ") }.joined(separator: "\n")
        md += "\n\n90% time intervals of the devices adapted by reference (from the leave-one-out residuals of the whole choice), share holding the measurement on the rest:\n\n"
        md += kinds.map { kind -> String in
            let c = coverage[kind] ?? []
            let held = c.reduce(0) { $0 + $1.0 }, given = c.reduce(0) { $0 + $1.1 }
            let shares = c.map { Double($0.0) / Double(max($0.1, 1)) }
            guard given > 0 else { return "- \(kind.rawValue): no intervals" }
            return "- \(kind.rawValue): \(format(100 * Double(held) / Double(given), 1))% of \(given) (per setting \(format(100 * shares.min()!, 1))–\(format(100 * shares.max()!, 1))%)"
        }.joined(separator: "\n")
        return StudyOutcome(markdown: md, figures: figures)
    }
}
