import ClusterKit
import Foundation

/// Settings shared by the predictor studies (`augur experiment`).
public struct StudyOptions: Sendable {
    /// Encoders to train (each against the same split).
    public var models: [EncoderKind] = [.seernet, .eagat, .sage, .mlp]
    public var hidden = 64
    public var layers = 3
    public var heads = 4
    public var training = TrainingOptions()
    public var seed: UInt64 = 1
    /// Read every N-th architecture of latency tables (1: all).
    public var stride = 1
    /// Train with ``MonotoneTimeHead`` (`--monotone-time`).
    public var monotoneTime = false
    /// With it, separate efficiencies for matrix FLOPs, other FLOPs and bytes (`--work-classes`).
    public var workClasses = false
    /// Models per held-out unit (families and gpus studies): members trained from seeds
    /// `seed`, `seed + 1`, … on the same split, their answers averaged (``EnsembleAverage``).
    public var ensemble = 1
    /// How trained models answer for devices they never saw (``UnseenDeviceRule``).
    public var unseenDevices: UnseenDeviceRule = .measured
    /// Where trained models are saved (`<dir>/<study>-<model>`); nil: not saved.
    public var saveDirectory: String?
    /// Progress lines (stderr in the CLI).
    public var log: @Sendable (String) -> Void = { _ in }
    public init() {}

    /// The model's name in a study's tables: `seernet`, or `seernet ×3` for an ensemble.
    func modelLabel(_ kind: EncoderKind) -> String { ensemble > 1 ? "\(kind.rawValue) ×\(ensemble)" : kind.rawValue }

    func hyper(_ kind: EncoderKind, targets: [PerfTarget] = [.time], operatorHead: Bool = false, timeFromOperators: Bool = false) -> ModelHyper {
        ModelHyper(kind: kind, hidden: hidden, layers: layers, heads: heads, targets: targets,
                   operatorHead: operatorHead, timeFromOperators: timeFromOperators, seed: seed,
                   monotoneTime: monotoneTime, workClasses: workClasses)
    }
}

/// What a study found: Markdown tables for the README, and headline figures.
public struct StudyOutcome: Sendable {
    public var markdown: String
    /// Headline figures by name (e.g. `seernet.meanMAPE`).
    public var figures: [String: Double]
}

func format(_ x: Double, _ digits: Int = 2) -> String { x.isFinite ? String(format: "%.\(digits)f", x) : "–" }

extension PredictorStudies {
    /// Trains one model of `hyper` on `split` and reports; saves it when asked.
    static func trainOne(_ hyper: ModelHyper, name: String, data: PerfDataset, split: DatasetSplit, catalog: DeviceCatalog,
                         options: StudyOptions) throws -> (PerfModel, Double) {
        let start = Date()
        let model = Trainer.makeModel(hyper: hyper, data: data, train: split.train, catalog: catalog)
        options.log("training \(name): \(split.train.count) training, \(split.validation.count) validation samples, \(model.store.scalarCount) parameters; ln time residual over the prior: mean \(format(Double(model.stats.timeMean))), std \(format(Double(model.stats.timeStd)))")
        let reports = try Trainer.train(model, data: data, split: split, catalog: catalog, options: options.training) { r in
            options.log("  \(name) epoch \(r.epoch): loss \(format(r.trainLoss, 4)), validation time MAPE \(r.validationTimeMAPE.map { format($0) } ?? "–")% (median \(r.validationTimeMedianAPE.map { format($0) } ?? "–")%"
                        + (options.training.selection == .families ? r.validationTimeFamilyMedianAPE.map { "; mean over families \(format($0))%" } ?? "" : "") + ")"
                        + (r.validationMemoryMAPE.map { ", memory \(format($0))%" } ?? "") + ", \(format(r.seconds, 1)) s" + (r.best ? " *" : ""))
        }
        let seconds = Date().timeIntervalSince(start)
        model.unseenDevices = options.unseenDevices
        if let dir = options.saveDirectory {
            try Checkpoint.save(model, to: "\(dir)/\(name)", training: TrainingRecord(
                data: data.sources, split: name, trainSamples: split.train.count, validationSamples: split.validation.count,
                seconds: seconds, epochs: reports))
        }
        return (model, seconds)
    }

    /// `data` without damaged time labels (``PerfDataset/withoutDamagedTimes(fraction:)``), and a
    /// sentence saying what was dropped, for the study's Markdown.
    static func cleaned(_ data: PerfDataset, options: StudyOptions) -> (PerfDataset, String) {
        let (clean, dropped) = data.withoutDamagedTimes()
        guard !dropped.isEmpty else { return (clean, "") }
        let list = PerfDataset.describe(dropped: dropped)
        let note = "Damaged labels dropped (time under 1% of the device setting's median): \(list).\n\n"
        options.log(note.trimmingCharacters(in: .whitespacesAndNewlines))
        return (clean, note)
    }

    /// A summary table of several predictors' reports.
    static func summary(_ rows: [(AccuracyReport, Double?)], groupTitle: String = "device") -> String {
        var lines = ["| predictor | mean MAPE % (over \(groupTitle)s) | mean median APE % | mean ±10% | mean Spearman ρ | mean Kendall τ | pooled MAPE % | training s |",
                     "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for (r, seconds) in rows {
            lines.append("| \(r.predictor) | \(format(r.deviceMean(\.mape))) | \(format(r.deviceMean(\.medianAPE))) | \(format(100 * r.deviceMean(\.within10), 1))% | \(format(r.deviceMean(\.spearman), 3)) | \(format(r.deviceMean(\.kendall), 3)) | \(format(r.overall.mape)) | \(seconds.map { format($0, 0) } ?? "–") |")
        }
        return lines.joined(separator: "\n")
    }
}

/// The accuracy studies of the performance predictor (issue 3 item 6, issue 4 item 4).
public enum PredictorStudies {}
