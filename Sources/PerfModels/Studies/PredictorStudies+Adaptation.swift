import ClusterKit
import Foundation

extension PredictorStudies {
    /// HELP's nine meta-training device settings (Lee et al. 2021).
    public static let helpTrainingColumns = ["1080ti_1", "1080ti_32", "1080ti_256", "silver_4114", "silver_4210r",
                                             "samsung_a50", "pixel3", "essential_ph_1", "samsung_s7"]

    /// New devices from a few samples: train only on HELP's nine training device settings of
    /// the NAS-Bench-201 latency table, then for every other setting adapt a copy of the model
    /// with `shots` seeded-random architectures (``Adaptation``) and report Spearman ρ and MAPE
    /// on all the setting's other architectures.
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
        var rows: [String] = []
        var header2 = "| device setting |"
        var sep = "|---|"
        for kind in options.models where kind != .mlp {
            header2 += " \(kind.rawValue) ρ | \(kind.rawValue) MAPE % |"
            sep += "---:|---:|"
        }
        var perModel: [EncoderKind: [String: (Double, Double)]] = [:]
        for kind in options.models where kind != .mlp {
            let (model, _) = try trainOne(options.hyper(kind), name: "help-\(kind.rawValue)", data: data, split: split, catalog: catalog, options: options)
            var results: [String: (Double, Double)] = [:]
            for column in byColumn.keys.sorted() {
                let all = byColumn[column]!
                var generator = SeededGenerator(seed: options.seed, stream: "shots-\(column)")
                let chosen = Array(all.shuffled(using: &generator).prefix(shots))
                let rest = Array(Set(all).subtracting(chosen)).sorted()
                let adapted = model.clone()
                let device = data.samples[all[0]].device
                let vector = DeviceFeatures.vector(catalog[device])
                try Adaptation.adapt(adapted, data: data, samples: chosen, device: device, vector: vector, catalog: catalog, options: adapt)
                let report = try EvaluationReport(ModelTimePredictor(name: kind.rawValue, model: adapted, catalog: catalog), data: data, samples: rest)
                results[column] = (report.overall.spearman, report.overall.mape)
                options.log("  \(kind.rawValue) adapted to \(column): ρ \(format(report.overall.spearman, 3)), MAPE \(format(report.overall.mape))%")
            }
            perModel[kind] = results
            let rhos = results.values.map(\.0)
            figures["\(kind.rawValue).meanSpearman"] = rhos.reduce(0, +) / Double(max(rhos.count, 1))
        }
        for column in byColumn.keys.sorted() {
            var line = "| \(column) |"
            for kind in options.models where kind != .mlp {
                let r = perModel[kind]?[column]
                line += " \(r.map { format($0.0, 3) } ?? "–") | \(r.map { format($0.1) } ?? "–") |"
            }
            rows.append(line)
        }
        var mean = "| **mean** |"
        for kind in options.models where kind != .mlp {
            let r = perModel[kind]?.values.map { $0 } ?? []
            let n = Double(max(r.count, 1))
            mean += " \(format(r.reduce(0) { $0 + $1.0 } / n, 3)) | \(format(r.reduce(0) { $0 + $1.1 } / n)) |"
        }
        md += ([header2, sep] + rows + [mean]).joined(separator: "\n")
        return StudyOutcome(markdown: md, figures: figures)
    }
}
