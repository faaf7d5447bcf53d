import ClusterKit

// `augur eval --json` writes these with `JSONText`, the one JSON writer for results: the keys
// are the Codable ones (`MetricsTests` checks that they stay the same), in sorted order;
// numbers have `JSONText.format`'s fixed format and non-finite ones are null.

extension AccuracyReport {
    /// The report as JSON: devices sorted by name, `intervals` left out where there are none.
    public var json: JSONText {
        var fields: [(String, JSONText)] = [("devices", .object(devices.keys.sorted().map { ($0, devices[$0]!.json) }))]
        if let intervals { fields.append(("intervals", intervals.json)) }
        fields += [("overall", overall.json), ("predictor", .string(predictor)), ("unanswered", .integer(unanswered))]
        return .object(fields)
    }
}

extension AccuracyMetrics {
    public var json: JSONText {
        .object([("count", .integer(count)), ("kendall", .number(kendall)), ("mape", .number(mape)),
                 ("medianAPE", .number(medianAPE)), ("rmspe", .number(rmspe)), ("spearman", .number(spearman)),
                 ("within10", .number(within10)), ("within5", .number(within5))])
    }
}

extension IntervalCoverage {
    public var json: JSONText {
        var fields: [(String, JSONText)] = [("count", .integer(count)), ("coverage", .number(coverage))]
        if let inDistribution { fields.append(("inDistribution", inDistribution.json)) }
        fields.append(("medianWidthRatio", .number(medianWidthRatio)))
        if let outOfDistribution { fields.append(("outOfDistribution", outOfDistribution.json)) }
        return .object(fields)
    }
}

extension IntervalCoverage.Part {
    public var json: JSONText {
        .object([("count", .integer(count)), ("coverage", .number(coverage)), ("medianWidthRatio", .number(medianWidthRatio))])
    }
}
