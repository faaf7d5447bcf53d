import ClusterKit
import Foundation

/// Accuracy of one predictor on a set of samples: overall and per device.
public struct AccuracyReport: Sendable, Codable, Hashable {
    public var predictor: String
    public var overall: AccuracyMetrics
    /// Per device, sorted by name.
    public var devices: [String: AccuracyMetrics]
    /// Samples the predictor could not answer (left out of the metrics).
    public var unanswered: Int
    /// How often the predictor's time intervals held the measurement, where it gave intervals.
    public var intervals: IntervalCoverage?

    /// Compares `predictions` with the measured times of `samples`.
    /// `group` names each sample's row (default: its device).
    public init(predictor: String, data: PerfDataset, samples: [Int], predictions: [Double?],
                group: (PerfSample, PerfDataset.GraphInfo) -> String = { s, _ in s.device }) {
        self.predictor = predictor
        var p: [Double] = [], m: [Double] = []
        var byDevice: [String: ([Double], [Double])] = [:]
        var missing = 0
        for (i, prediction) in zip(samples, predictions) {
            guard let y = data.samples[i].time else { continue }
            guard let x = prediction, x.isFinite, x > 0 else { missing += 1; continue }
            p.append(x); m.append(y)
            let key = group(data.samples[i], data.info[data.samples[i].graph])
            byDevice[key, default: ([], [])].0.append(x)
            byDevice[key, default: ([], [])].1.append(y)
        }
        overall = AccuracyMetrics(predicted: p, measured: m)
        devices = byDevice.mapValues { AccuracyMetrics(predicted: $0.0, measured: $0.1) }
        unanswered = missing
    }

    /// Runs `predictor` on `samples` and compares.
    public init(_ predictor: any SampleTimePredictor, data: PerfDataset, samples: [Int],
                group: (PerfSample, PerfDataset.GraphInfo) -> String = { s, _ in s.device }) throws {
        self.init(predictor: predictor.name, data: data, samples: samples, predictions: try predictor.times(data, samples: samples), group: group)
    }

    /// Runs `model` on `samples` and compares, with the coverage of its time intervals where it
    /// has them.
    public init(model: PerfModel, name: String, data: PerfDataset, samples: [Int], catalog: DeviceCatalog?,
                group: (PerfSample, PerfDataset.GraphInfo) -> String = { s, _ in s.device }) throws {
        self.init(predictor: name, data: data, samples: samples,
                  modelPredictions: try model.predict(data, samples: samples, catalog: catalog), group: group)
    }

    /// Compares a model's predictions of `samples` (``PerfModel/predict(_:samples:catalog:graphsPerBatch:products:)``),
    /// with the coverage of their time intervals where they have them.
    public init(predictor: String, data: PerfDataset, samples: [Int], modelPredictions predictions: [SamplePrediction],
                group: (PerfSample, PerfDataset.GraphInfo) -> String = { s, _ in s.device }) {
        self.init(predictor: predictor, data: data, samples: samples, predictions: predictions.map(\.time), group: group)
        intervals = IntervalCoverage(predictions: predictions, data: data, samples: samples)
    }

    /// Mean over devices of a metric.
    public func deviceMean(_ metric: (AccuracyMetrics) -> Double) -> Double {
        let values = devices.values.map(metric).filter(\.isFinite)
        return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    /// A Markdown table: one row per device, then the mean over devices and the pooled overall.
    public func markdown(groupTitle: String = "device") -> String {
        func f(_ x: Double, _ digits: Int = 2) -> String { x.isFinite ? String(format: "%.\(digits)f", x) : "–" }
        var lines = ["| \(groupTitle) | n | MAPE % | median APE % | RMSPE % | ±5% | ±10% | Spearman ρ | Kendall τ |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        func row(_ name: String, _ m: AccuracyMetrics) -> String {
            "| \(name) | \(m.count) | \(f(m.mape)) | \(f(m.medianAPE)) | \(f(m.rmspe)) | \(f(100 * m.within5, 1))% | \(f(100 * m.within10, 1))% | \(f(m.spearman, 3)) | \(f(m.kendall, 3)) |"
        }
        for d in devices.keys.sorted() { lines.append(row(d, devices[d]!)) }
        lines.append("| **mean over \(groupTitle)s** | | \(f(deviceMean(\.mape))) | \(f(deviceMean(\.medianAPE))) | \(f(deviceMean(\.rmspe))) | \(f(100 * deviceMean(\.within5), 1))% | \(f(100 * deviceMean(\.within10), 1))% | \(f(deviceMean(\.spearman), 3)) | \(f(deviceMean(\.kendall), 3)) |")
        lines.append(row("**all samples**", overall))
        if let c = intervals {
            lines.append("")
            lines.append("Time intervals: \(c.count) given, \(f(100 * c.coverage, 1))% hold the measurement; median width ×\(f(c.medianWidthRatio, 3)) (upper / lower).")
            if c.inDistribution != nil || c.outOfDistribution != nil { lines.append("By novelty: \(c.partsDescription).") }
        }
        return lines.joined(separator: "\n")
    }
}
