import ClusterKit
import Foundation

extension PredictorStudies {
    /// One held-out unit (a family, a GPU): the model trained without it and the baselines
    /// fitted on the same training samples, judged on it.
    struct HeldOutRow {
        var label: String
        var model: AccuracyReport
        var roofline: AccuracyReport
        /// The baselines fitted on the same training samples (device efficiency, spec
        /// regression, FLOPs regression), each report named by its baseline.
        var baselines: [AccuracyReport]
        var seconds: Double
        /// The same models answering the held-out GPU from its specs alone
        /// (``UnseenDeviceRule/specs``), where the study compares that with the default.
        var specsOnly: AccuracyReport?
        /// `|ln(predicted / measured)|` of every answered test sample (for the group-conformal
        /// intervals of ``heldOutTable(_:unit:kind:)``).
        var absoluteLogResiduals: [Double]
        /// The judged samples, the model's time for each (seconds), and each training device's
        /// median `ln(t / prior)` (for ``EfficiencyStack``).
        var test: [Int] = []
        var modelTimes: [Double?] = []
        var deviceMedians: [String: Double] = [:]
        /// The stacked answers (``EfficiencyStack``), where the study computes them.
        var stacked: AccuracyReport?
        var beatsFitted: Bool { baselines.allSatisfy { model.overall.medianAPE < $0.overall.medianAPE } }
    }

    /// Trains `options.models[0]` (`options.ensemble` members, averaged) on every sample of `data` but `test` (a seeded random 70/10/20
    /// split of the rest gives the training and validation samples; the rest's test part joins
    /// training) and `excluded` (samples of the held-out unit that have no time to judge), and
    /// judges it and the baselines on `test`.
    static func heldOut(_ data: PerfDataset, test: [Int], excluded: [Int] = [], label: String, catalog: DeviceCatalog,
                        options: StudyOptions, nearestDevice: Bool = false) throws -> HeldOutRow {
        let kind = options.models.first ?? .seernet
        let rest = DatasetSplit(data, kind: .random, seed: options.seed)
        let testSet = Set(test).union(excluded)
        let split = DatasetSplit(train: rest.train.filter { !testSet.contains($0) } + rest.test.filter { !testSet.contains($0) },
                                 validation: rest.validation.filter { !testSet.contains($0) }, test: test)
        var members: [[SamplePrediction]] = [], specsMembers: [[SamplePrediction]] = [], seconds = 0.0
        for k in 0..<max(1, options.ensemble) {
            var o = options
            o.seed = options.seed &+ UInt64(k)
            o.training.seed = options.training.seed &+ UInt64(k)
            let name = options.ensemble > 1 ? "heldout-\(label)-m\(k + 1)" : "heldout-\(label)"
            let (model, s) = try trainOne(o.hyper(kind), name: name, data: data, split: split, catalog: catalog, options: o)
            members.append(try model.predict(data, samples: test, catalog: catalog))
            if nearestDevice {
                model.unseenDevices = .specs
                specsMembers.append(try model.predict(data, samples: test, catalog: catalog))
            }
            seconds += s
        }
        let predictions = EnsembleAverage.combine(members: members)
        let m = AccuracyReport(predictor: kind.rawValue, data: data, samples: test, modelPredictions: predictions)
        let residuals = zip(test, predictions).compactMap { i, p -> Double? in
            guard let y = data.samples[i].time, let t = p.time, t > 0, y > 0 else { return nil }
            return abs(log(t / y))
        }
        let deviceEfficiency = DeviceEfficiency(data, train: split.train, catalog: catalog)
        var fitted: [any SampleTimePredictor] = [deviceEfficiency,
                                                 SpecRegression(data, train: split.train, catalog: catalog),
                                                 FLOPsRegression(data, train: split.train)]
        if nearestDevice { fitted.append(NearestDeviceTransfer(data, train: split.train, catalog: catalog)) }
        var row = HeldOutRow(label: label, model: m, roofline: try AccuracyReport(RooflineBaseline(), data: data, samples: test),
                             baselines: try fitted.map { try AccuracyReport($0, data: data, samples: test) }, seconds: seconds,
                             absoluteLogResiduals: residuals)
        row.test = test
        row.modelTimes = predictions.map(\.time)
        row.deviceMedians = deviceEfficiency.perDevice
        if nearestDevice {
            row.specsOnly = AccuracyReport(predictor: "specs only", data: data, samples: test,
                                           modelPredictions: EnsembleAverage.combine(members: specsMembers))
        }
        return row
    }

    /// The Markdown table of held-out rows, its summary line, and its figures (`<label>.medianAPE`,
    /// `<label>.mape`, `wins`, `medianOfMedians`, `coverage`, `groupCoverage`).
    ///
    /// Besides the model's own intervals (calibrated on in-distribution validation samples), the
    /// table gives **group-conformal** 90% intervals (cross-conformal by group, as in Barber et
    /// al.'s jackknife+ with groups left out): for each held-out unit, the half-width is the
    /// ⌈(n + 1)·0.9⌉-th smallest `|ln residual|` of the *other* units' held-out samples (each
    /// predicted by a model that never saw its unit), so no unit's interval uses its own errors.
    /// This is the interval a model can honestly give a family or GPU it has never seen.
    static func heldOutTable(_ rows: [HeldOutRow], unit: String, units: String, kind: String) -> (String, [String: Double]) {
        let baselineNames = rows.first?.baselines.map(\.predictor) ?? []
        let specs = rows.compactMap(\.specsOnly), stacked = rows.compactMap(\.stacked)
        var md = "| held-out \(unit) | n | \(kind) median APE % | MAPE % | ρ | intervals hold | " + (specs.isEmpty ? "" : "specs only median APE % | MAPE % | ")
        md += stacked.isEmpty ? "" : "stacked median APE % | MAPE % | "
        md += "roofline median APE % | " + baselineNames.joined(separator: " | ") + " | beats every fitted baseline | training s |\n"
        md += "|---|---:|---:|---:|---:|---:|" + (specs.isEmpty ? "" : "---:|---:|") + (stacked.isEmpty ? "" : "---:|---:|") + "---:|" + String(repeating: "---:|", count: baselineNames.count) + "---|---:|\n"
        var figures: [String: Double] = [:], medians: [Double] = [], mapes: [Double] = []
        var held = 0, given = 0, wins = 0
        for r in rows {
            let m = r.model
            md += "| \(r.label) | \(m.overall.count) | \(format(m.overall.medianAPE, 1)) | \(format(m.overall.mape, 1)) | \(format(m.overall.spearman, 3)) | "
            md += "\(m.intervals.map { format(100 * $0.coverage, 1) + "%" } ?? "–") | "
            md += r.specsOnly.map { "\(format($0.overall.medianAPE, 1)) | \(format($0.overall.mape, 1)) | " } ?? ""
            md += r.stacked.map { "\(format($0.overall.medianAPE, 1)) | \(format($0.overall.mape, 1)) | " } ?? ""
            md += "\(format(r.roofline.overall.medianAPE, 1)) | "
            md += r.baselines.map { format($0.overall.medianAPE, 1) }.joined(separator: " | ")
            md += " | \(r.beatsFitted ? "yes" : "no") | \(format(r.seconds, 0)) |\n"
            if r.beatsFitted { wins += 1 }
            medians.append(m.overall.medianAPE)
            mapes.append(m.overall.mape)
            if let c = m.intervals { held += Int((c.coverage * Double(c.count)).rounded()); given += c.count }
            figures["\(r.label).medianAPE"] = m.overall.medianAPE
            figures["\(r.label).mape"] = m.overall.mape
        }
        // Group-conformal coverage: each unit judged with the quantile of the other units' residuals.
        var groupHeld = 0, groupGiven = 0, widths: [Double] = []
        for (k, r) in rows.enumerated() {
            let others = rows.enumerated().filter { $0.offset != k }.flatMap(\.element.absoluteLogResiduals).sorted()
            guard !others.isEmpty else { continue }
            let rank = min(others.count, Int((Double(others.count + 1) * 0.9).rounded(.up)))
            let q = others[rank - 1]
            widths.append(exp(2 * q))
            groupHeld += r.absoluteLogResiduals.filter { $0 <= q }.count
            groupGiven += r.absoluteLogResiduals.count
        }
        let median = medians.isEmpty ? Double.nan : medians.sorted()[medians.count / 2]
        let meanMAPE = mapes.isEmpty ? Double.nan : mapes.reduce(0, +) / Double(mapes.count)
        let coverage = given > 0 ? 100 * Double(held) / Double(given) : Double.nan
        md += "\nHeld-out \(units) where \(kind) beats every fitted baseline: \(wins) of \(rows.count); median over \(units) of its median APE: \(format(median, 1))%; "
        md += "mean over \(units) of its MAPE: \(format(meanMAPE, 1))%; its 90% intervals hold \(given > 0 ? format(coverage, 1) : "–")% of the \(given) held-out measurements.\n"
        // The same two summaries for every other answer in the table, so each can be read beside the model's.
        var others: [(String, [AccuracyReport])] = specs.isEmpty ? [] : [("\(kind) specs only", specs)]
        if !stacked.isEmpty {
            let stackWins = rows.filter { r in r.stacked.map { st in r.baselines.allSatisfy { st.overall.medianAPE < $0.overall.medianAPE } } ?? false }.count
            md += "Stacked (a ridge over the \(units)' out-of-\(unit) answers, nested): beats every fitted baseline on \(stackWins) of \(rows.count) held-out \(units).\n"
            others.append(("stacked", stacked))
            figures["stacked.wins"] = Double(stackWins)
            let med = stacked.map(\.overall.medianAPE).sorted(), mape = stacked.map(\.overall.mape)
            figures["stacked.medianOfMedians"] = med[med.count / 2]
            figures["stacked.meanMAPE"] = mape.reduce(0, +) / Double(mape.count)
        }
        others.append(("roofline", rows.map(\.roofline)))
        for (k, name) in baselineNames.enumerated() { others.append((name, rows.map { $0.baselines[k] })) }
        md += "Median over \(units) of the median APE / mean of the MAPE: " + others.map { name, reports in
            let med = reports.map(\.overall.medianAPE).sorted(), mape = reports.map(\.overall.mape)
            guard !med.isEmpty else { return "\(name) –" }
            return "\(name) \(format(med[med.count / 2], 1))% / \(format(mape.reduce(0, +) / Double(mape.count), 1))%"
        }.joined(separator: "; ") + ".\n"
        figures["wins"] = Double(wins)
        figures["medianOfMedians"] = median
        figures["meanMAPE"] = meanMAPE
        figures["coverage"] = coverage
        if groupGiven > 0 {
            let groupCoverage = 100 * Double(groupHeld) / Double(groupGiven)
            md += "Group-conformal 90% intervals (each \(unit)'s half-width from the other held-out \(units)' errors): they hold \(format(groupCoverage, 1))% of the \(groupGiven) held-out measurements; median width ×\(format(widths.sorted()[widths.count / 2], 2)) (upper / lower).\n"
            figures["groupCoverage"] = groupCoverage
        }
        return (md, figures)
    }
}
