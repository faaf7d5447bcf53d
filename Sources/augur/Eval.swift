import ArgumentParser
import ClusterKit
import Foundation
import PerfModels

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Accuracy of a trained model on measured data: MAPE, RMSPE, share within ±5% and ±10%, Spearman ρ and Kendall τ per device and overall.")

    @OptionGroup var data: PerfDataOptions

    @Option(help: "Model directory (from augur train or adapt).")
    var model: String

    @Option(help: "Evaluate only the test part of this split (random|family|device), as train made it; default: every sample.")
    var split: String?

    @Option(help: "Held-out families or devices of --split family|device.")
    var test: String?

    @Option(help: "Seed of --split.")
    var seed: UInt64 = 1

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Option(help: "Also write one CSV row per sample (model, family, device, batch, mode, precision, measured, predicted and prior ms, interval) to this file.")
    var rows: String?

    @Option(help: unseenDeviceHelp)
    var unseenDevice: UnseenDeviceRule = .measured

    func validate() throws {
        if data.sources.isEmpty { throw ValidationError("--data is required") }
        if let split, !["random", "family", "device"].contains(split) { throw ValidationError("--split must be random, family or device") }
        if test != nil && (split == nil || split == "random") { throw ValidationError("--test applies to --split family or device") }
        if let rows, rows.isEmpty || rows.hasSuffix("/") { throw ValidationError("--rows must name a file") }
    }

    func run() throws {
        try guardedPerf {
            let (net, _) = try Checkpoint.load(model)
            net.unseenDevices = unseenDevice
            let catalog = try data.loadCatalog()
            let dataset = try data.load(catalog)
            var samples = Array(dataset.samples.indices)
            if let split {
                let held = test?.split(separator: ",").map(String.init) ?? []
                let kind: DatasetSplit.Kind = split == "random" ? .random : split == "family" ? .family(test: held) : .device(test: held)
                samples = DatasetSplit(dataset, kind: kind, seed: seed).test
            }
            // Samples on a device neither the catalog nor the model knows cannot be answered:
            // skipped and counted, never fatal to the rest.
            let unknown = Set(samples.map { dataset.samples[$0].device }).filter { !net.canPredict($0, catalog: catalog) }
            if !unknown.isEmpty {
                let before = samples.count
                samples = samples.filter { !unknown.contains(dataset.samples[$0].device) }
                printError("skipped \(before - samples.count) samples on devices neither in the catalog nor known to the model: \(unknown.sorted().joined(separator: ", "))")
                guard !samples.isEmpty else { throw UnknownDeviceError(device: unknown.sorted()[0]) }
            }
            let predictions = try net.predict(dataset, samples: samples, catalog: catalog)
            let report = AccuracyReport(predictor: (model as NSString).lastPathComponent, data: dataset, samples: samples, modelPredictions: predictions)
            if let rows { try writeText(Self.rowsCSV(dataset, samples: samples, predictions: predictions), to: rows) }
            if json { print(report.json.render()) } else { print(report.markdown()) }
        }
    }

    /// One CSV line per sample (RFC 4180): what was measured beside what the model and its
    /// analytic prior answered, in milliseconds.
    static func rowsCSV(_ data: PerfDataset, samples: [Int], predictions: [SamplePrediction]) -> String {
        func ms(_ x: Double?) -> String { x.map { String(format: "%.6g", $0 * 1000) } ?? "" }
        var lines = ["model,family,device,batch,mode,precision,measured_ms,predicted_ms,prior_ms,lower_ms,upper_ms"]
        for (i, p) in zip(samples, predictions) {
            let s = data.samples[i], g = data.info[s.graph]
            lines.append(CSVTable.line([g.model, g.family, s.device, String(s.batchSize), s.mode.rawValue, s.precision.rawValue,
                                        ms(s.time), ms(p.time), ms(s.priorTime), ms(p.timeLower), ms(p.timeUpper)]))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
