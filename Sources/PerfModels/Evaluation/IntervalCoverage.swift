import Foundation

/// How well a predictor's time intervals hold the measurements: the share of intervals that
/// contain the measured time (a calibrated 90% interval should hold about 90%) and how wide
/// they are, overall and separately for queries inside and outside the model's training range
/// (``Novelty``: distance 0, or more).
public struct IntervalCoverage: Sendable, Codable, Hashable {
    /// Samples with a measured time and an interval.
    public var count: Int
    /// Share of them whose interval holds the measurement (0...1).
    public var coverage: Double
    /// Median of upper / lower.
    public var medianWidthRatio: Double
    /// The same figures for queries inside every training range on a trained device, and for
    /// the others (nil where the model has no novelty measure or no such query).
    public var inDistribution: Part?
    public var outOfDistribution: Part?

    /// Coverage of one group of queries.
    public struct Part: Sendable, Codable, Hashable {
        public var count: Int
        public var coverage: Double
        public var medianWidthRatio: Double
    }

    /// Coverage of `predictions` on `samples` of `data` (same order); nil without intervals.
    public init?(predictions: [SamplePrediction], data: PerfDataset, samples: [Int]) {
        var all: [(held: Bool, ratio: Double)] = [], inside: [(held: Bool, ratio: Double)] = [], outside: [(held: Bool, ratio: Double)] = []
        for (p, i) in zip(predictions, samples) {
            guard let y = data.samples[i].time, let lo = p.timeLower, let hi = p.timeUpper, lo > 0 else { continue }
            let r = (held: lo <= y && y <= hi, ratio: hi / lo)
            all.append(r)
            if let d = p.novelty { if d > 0 { outside.append(r) } else { inside.append(r) } }
        }
        guard let part = Self.part(all) else { return nil }
        count = part.count
        coverage = part.coverage
        medianWidthRatio = part.medianWidthRatio
        inDistribution = Self.part(inside)
        outOfDistribution = Self.part(outside)
    }

    private static func part(_ rows: [(held: Bool, ratio: Double)]) -> Part? {
        guard !rows.isEmpty else { return nil }
        let ratios = rows.map(\.ratio).sorted()
        return Part(count: rows.count, coverage: Double(rows.filter(\.held).count) / Double(rows.count), medianWidthRatio: ratios[ratios.count / 2])
    }

    /// One line per group, for reports: `in distribution: 812 given, 90.1% hold …`.
    public var partsDescription: String {
        func f(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
        return [("inside the training range", inDistribution), ("outside it", outOfDistribution)].compactMap { name, p in
            p.map { "\(name): \($0.count) given, \(f(100 * $0.coverage, 1))% hold the measurement; median width ×\(f($0.medianWidthRatio, 3))" }
        }.joined(separator: "; ")
    }
}
