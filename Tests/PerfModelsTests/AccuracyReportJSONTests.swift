import ClusterKit
import Foundation
@testable import PerfModels
import Testing

/// `augur eval --json` writes an ``AccuracyReport`` with `JSONText` (the one JSON writer):
/// valid JSON with exactly the keys of its Codable form, the same numbers to JSONText's six
/// decimals, and null where Codable would need a non-finite number.
@Suite struct AccuracyReportJSONTests {
    static func report(intervals: Bool) -> AccuracyReport {
        var data = PerfDataset()
        data.info = [PerfDataset.GraphInfo(model: "m", family: "f", batchSize: 1, hasOperatorLabels: false)]
        let times: [(String, Double)] = [("A100", 1.0), ("A100", 2.0), ("A100", 4.0), ("V100", 3.0), ("V100", 5.0)]
        data.samples = times.map { PerfSample(graph: 0, device: $0.0, batchSize: 1, mode: .infer, time: $0.1) }
        let predicted: [Double?] = [1.1, 1.9, 4.4, 3.3, nil]
        var report = AccuracyReport(predictor: "p \"q\"", data: data, samples: Array(times.indices), predictions: predicted)
        if intervals {
            let predictions = predicted.enumerated().map { i, t in
                SamplePrediction(time: t, timeLower: t.map { $0 * 0.9 }, timeUpper: t.map { $0 * 1.2 }, novelty: Double(i % 2))
            }
            report.intervals = IntervalCoverage(predictions: predictions, data: data, samples: Array(times.indices))
        }
        return report
    }

    /// The value of `json` with Codable's "nan"/"inf" strings as null, numbers as Double.
    static func normalized(_ json: Any) -> AnyHashable {
        switch json {
        case let d as [String: Any]: return d.mapValues { normalized($0) } as [String: AnyHashable]
        case let a as [Any]: return a.map { normalized($0) } as [AnyHashable]
        case let s as String where ["nan", "inf", "-inf"].contains(s): return "null"
        case is NSNull: return "null"
        case let n as NSNumber: return (n.doubleValue * 1e6).rounded()
        case let s as String: return s
        default: return "\(json)"
        }
    }

    @Test(arguments: [false, true]) func jsonHasTheCodableKeysAndValues(intervals: Bool) throws {
        let report = Self.report(intervals: intervals)
        #expect((report.intervals != nil) == intervals)
        #expect(report.unanswered == 1 && report.devices["V100"]?.spearman.isNaN == true)
        let written = try JSONSerialization.jsonObject(with: Data(report.json.render().utf8))
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let codable = try JSONSerialization.jsonObject(with: encoder.encode(report))
        #expect(Self.normalized(written) == Self.normalized(codable))
        #expect(report.json.render().contains("\"inDistribution\"") == intervals)
    }
}
