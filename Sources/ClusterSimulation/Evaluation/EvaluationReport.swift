import ClusterKit

/// `report.html`: one self-contained page (inline SVG and CSS, no scripts, no network) with the
/// comparison tables, JCT CDFs per predictor, bars of average JCT, makespan, OOM failures and
/// utilization per (policy, predictor), cluster occupancy over time, predicted against measured
/// time and memory for the jobs' (configuration, device type) pairs, where each device type's
/// busy hours went, and JCT loss against prediction error.
public struct EvaluationReport: Sendable {
    public let title: String
    /// Lines describing the inputs and the command, shown at the top.
    public let description: [String]
    public let plan: EvaluationPlan
    public let results: [RunResult]
    let byKey: [RunKey: RunResult]

    public init(title: String, description: [String], plan: EvaluationPlan, results: [RunResult]) {
        self.title = title
        self.description = description
        self.plan = plan
        self.results = results
        byKey = Dictionary(results.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func color(ofPredictor p: String) -> String { SVGPlot.palette[(plan.predictors.firstIndex(of: p) ?? 0) % SVGPlot.palette.count] }
    func color(ofIndex i: Int) -> String { SVGPlot.palette[i % SVGPlot.palette.count] }

    func runs(_ policy: String, _ predictor: String) -> [RunResult] {
        plan.seeds.compactMap { byKey[RunKey(policy: policy, predictor: predictor, seed: $0)] }
    }

    public func render() -> String {
        let table = ComparisonTable(plan: plan, results: results)
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(SVGPlot.escape(title))</title>
        <style>
        body{font-family:sans-serif;max-width:1320px;margin:24px auto;padding:0 16px;color:#222}
        table{border-collapse:collapse;font-size:12px;margin:8px 0 18px}
        td,th{border:1px solid #ccc;padding:3px 7px}td.n{text-align:right}th{background:#f0f0f0}
        .charts{display:flex;flex-wrap:wrap;gap:12px}.note{color:#555;font-size:13px}code{background:#f4f4f4;padding:1px 3px}
        </style></head><body>
        <h1>\(SVGPlot.escape(title))</h1>

        """
        html += description.map { "<p class=\"note\">\(SVGPlot.escape($0))</p>" }.joined(separator: "\n")
        html += "\n<p class=\"note\">The engine executes measured performance; each policy consults the predictor named. "
        html += "\(plan.policies.count) policies × \(plan.predictors.count) predictors × \(plan.seeds.count) seeds = \(plan.keys.count) runs; "
        html += "values are means over seeds with 95% intervals (Student's t). JCT, wait and FTF cover completed jobs only: "
        html += "a job failed by OOM or refused leaves them, so a predictor that causes failures can look faster.</p>\n"
        html += "<h2>Comparison</h2>\n" + tableHTML(table)
        html += "<h2>Job completion time</h2>\n<div class=\"charts\">\n" + plan.policies.map { jctCDF($0.name) }.joined(separator: "\n") + "</div>\n"
        html += "<h2>Per policy and predictor</h2>\n<div class=\"charts\">\n"
        html += [(Metric.avgJCTHours, "Average JCT (h)"), (.makespanHours, "Makespan (h)"), (.oomFailures, "OOM failures"),
                 (.gpuUtilization, "GPU-time utilization")].map { bars($0.0, $0.1) }.joined(separator: "\n")
        html += "</div>\n<h2>Utilization over time</h2>\n<p class=\"note\">Busy share of all devices, seed \(plan.seeds[0]).</p>\n<div class=\"charts\">\n"
        html += plan.policies.map { occupancy($0.name) }.joined(separator: "\n") + "</div>\n"
        html += "<h2>Predicted against measured</h2>\n<p class=\"note\">Every (configuration, device type) pair the jobs of seed \(plan.seeds[0]) could run on; the diagonal is a perfect prediction.</p>\n<div class=\"charts\">\n"
        html += plan.predictors.filter { $0 != plan.baseline }.map { scatter($0) }.joined(separator: "\n") + "</div>\n"
        html += "<h2>Where the device-hours went</h2>\n<div class=\"charts\">\n" + deviceHours() + "</div>\n"
        if let loss = lossVersusError(table) {
            html += "<h2>JCT loss against prediction error</h2>\n<div class=\"charts\">\n" + loss + "</div>\n"
        }
        html += "</body></html>\n"
        return html
    }

    func tableHTML(_ t: ComparisonTable) -> String {
        func table(_ header: [String], _ rows: [[String]], numericFrom: Int) -> String {
            var s = "<table><tr>" + header.map { "<th>\(SVGPlot.escape($0))</th>" }.joined() + "</tr>\n"
            for r in rows {
                s += "<tr>" + r.enumerated().map { i, c in "<td\(i >= numericFrom ? " class=\"n\"" : "")>\(SVGPlot.escape(c))</td>" }.joined() + "</tr>\n"
            }
            return s + "</table>\n"
        }
        return t.sections.map { table($0.header, $0.rows, numericFrom: $0.numericFrom) }.joined()
    }

    /// Quantile functions averaged over seeds (Vincentization), one line per predictor.
    func jctCDF(_ policy: String) -> String {
        var curves: [(String, [Double])] = []
        for p in plan.predictors {
            let qs = runs(policy, p).map(\.jctQuantilesHours).filter { !$0.isEmpty }
            guard let n = qs.first?.count, qs.allSatisfy({ $0.count == n }) else { continue }
            curves.append((p, (0..<n).map { i in qs.reduce(0) { $0 + $1[i] } / Double(qs.count) }))
        }
        let all = curves.flatMap(\.1).filter { $0 > 0 }
        var plot = SVGPlot(title: "JCT CDF — \(policy)", xLabel: "job completion time (h, log)", yLabel: "fraction of completed jobs",
                           x: (all.min() ?? 0.01)...(all.max() ?? 1), y: 0...1, xLog: true)
        for (p, q) in curves {
            let n = Double(q.count)
            plot.line(q.enumerated().map { ($1, (Double($0) + 0.5) / n) }, color: color(ofPredictor: p), dash: p == plan.baseline)
            plot.legend.append((p, color(ofPredictor: p)))
        }
        return plot.render()
    }

    func bars(_ metric: Metric, _ label: String) -> String {
        let policies = plan.policies.map(\.name)
        var values: [(Int, Int, MeanInterval)] = []
        for (i, policy) in policies.enumerated() {
            for (j, p) in plan.predictors.enumerated() {
                let rs = runs(policy, p)
                if !rs.isEmpty { values.append((i, j, MeanInterval(rs.map { $0.metric(metric) }))) }
            }
        }
        let top = values.map { $0.2.mean + ($0.2.halfWidth.isFinite ? $0.2.halfWidth : 0) }.max() ?? 1
        var plot = SVGPlot(title: label, xLabel: "policy", yLabel: label, x: 0...Double(max(policies.count, 1)), y: 0...(top > 0 ? top * 1.05 : 1))
        plot.width = 640
        plot.categories = policies
        let k = Double(plan.predictors.count)
        for (i, j, m) in values {
            let x0 = Double(i) + 0.1 + 0.8 * Double(j) / k, x1 = x0 + 0.8 / k * 0.9
            plot.rect(x0: x0, x1: x1, y0: 0, y1: m.mean, color: color(ofIndex: j),
                      label: "\(policies[i]) · \(plan.predictors[j]): \(ComparisonTable.cell(m, 3))")
            if m.count > 1 { plot.whisker(x: (x0 + x1) / 2, y0: max(0, m.mean - m.halfWidth), y1: m.mean + m.halfWidth) }
        }
        plot.legend = plan.predictors.enumerated().map { ($1, color(ofIndex: $0)) }
        return plot.render()
    }

    func occupancy(_ policy: String) -> String {
        let seed = plan.seeds[0]
        let runs = plan.predictors.compactMap { p in byKey[RunKey(policy: policy, predictor: p, seed: seed)].map { (p, $0) } }
        let span = runs.map(\.1.makespanHours).max() ?? 1
        var plot = SVGPlot(title: "Busy devices — \(policy)", xLabel: "hours since first submit", yLabel: "share of devices busy",
                           x: 0...max(span, 1e-6), y: 0...1)
        for (p, r) in runs where !r.occupancy.isEmpty {
            let w = r.makespanHours / Double(r.occupancy.count)
            plot.line(r.occupancy.enumerated().map { (w * (Double($0) + 0.5), $1) }, color: color(ofPredictor: p), width: 1.4,
                      dash: p == plan.baseline)
            plot.legend.append((p, color(ofPredictor: p)))
        }
        return plot.render()
    }

    func scatter(_ predictor: String) -> String {
        guard let run = runs(plan.policies[0].name, predictor).first else { return "" }
        var out = ""
        for (name, unit, get) in [("time per iteration", "s", { (p: RunResult.Pair) -> (Double?, Double?) in (p.measuredTime, p.predictedTime) }),
                                  ("peak memory", "GB", { (p: RunResult.Pair) -> (Double?, Double?) in (p.measuredMemory.map { $0 / 1e9 }, p.predictedMemory.map { $0 / 1e9 }) })] {
            let pts = run.pairs.compactMap { p -> (Double, Double, String)? in
                let (m, q) = get(p)
                guard let m, let q, m > 0, q > 0 else { return nil }
                return (m, q, "\(p.config) on \(p.device)")
            }
            guard !pts.isEmpty else {
                if name == "peak memory" { continue }
                out += "<p class=\"note\">\(SVGPlot.escape(predictor)) answered no time query.</p>"
                continue
            }
            let all = pts.flatMap { [$0.0, $0.1] }
            let lo = all.min()!, hi = all.max()!
            var plot = SVGPlot(title: "\(predictor): \(name)", xLabel: "measured (\(unit), log)", yLabel: "predicted (\(unit), log)",
                               x: lo...hi, y: lo...hi, xLog: true, yLog: true)
            plot.width = 420
            plot.height = 380
            plot.line([(lo, lo), (hi, hi)], color: "#999", width: 1, dash: true)
            let stride = max(1, pts.count / 3000)
            let devices = Array(Set(pts.map { String($0.2.split(separator: " ").last ?? "") })).sorted()
            for (i, p) in pts.enumerated() where i % stride == 0 {
                let d = String(p.2.split(separator: " ").last ?? "")
                plot.point(p.0, p.1, color: color(ofIndex: devices.firstIndex(of: d) ?? 0), label: p.2)
            }
            plot.legend = devices.enumerated().map { ($1, color(ofIndex: $0)) }
            out += plot.render() + "\n"
        }
        return out
    }

    func deviceHours() -> String {
        var rows: [(String, [String: Double])] = []
        var devices: [String] = []
        for policy in plan.policies.map(\.name) {
            for p in plan.predictors {
                let rs = runs(policy, p)
                guard !rs.isEmpty else { continue }
                var hours: [String: Double] = [:]
                for r in rs { for d in r.deviceTypes { hours[d.device, default: 0] += d.busyHours / Double(rs.count); if !devices.contains(d.device) { devices.append(d.device) } } }
                rows.append(("\(policy) · \(p)", hours))
            }
        }
        let top = rows.map { $0.1.values.reduce(0, +) }.max() ?? 1
        var plot = SVGPlot(title: "Busy device-hours by device type", xLabel: "run (policy · predictor)", yLabel: "device-hours",
                           x: 0...Double(max(rows.count, 1)), y: 0...(top > 0 ? top * 1.05 : 1))
        plot.width = max(640, Double(rows.count) * 26 + 80)
        plot.bottom = 190
        plot.height = 480
        plot.categories = rows.map { _ in "" }
        for (i, (name, hours)) in rows.enumerated() {
            var base = 0.0
            for (k, d) in devices.enumerated() {
                let h = hours[d] ?? 0
                guard h > 0 else { continue }
                plot.rect(x0: Double(i) + 0.15, x1: Double(i) + 0.85, y0: base, y1: base + h, color: color(ofIndex: k),
                          label: "\(name): \(d) \(String(format: "%.1f", h)) h")
                base += h
            }
            plot.body.append("<text transform=\"translate(\(SVGPlot.f(plot.px(Double(i) + 0.5) - 2)),\(SVGPlot.f(plot.py(0) + 8))) rotate(60)\" font-size=\"9\">\(SVGPlot.escape(name))</text>")
        }
        plot.legend = devices.enumerated().map { ($1, color(ofIndex: $0)) }
        return plot.render()
    }

    /// Each predictor's per-job time error against its average-JCT gap to the baseline, per policy.
    func lossVersusError(_ t: ComparisonTable) -> String? {
        let errors = Dictionary(t.errors.map { ($0.predictor, $0.error.timeJobWeightedAPE) }, uniquingKeysWith: { a, _ in a })
        let points = t.rows.compactMap { r -> (String, String, Double, Double)? in
            guard let g = r.jctGap?.mean, let e = errors[r.predictor], e.isFinite, g.isFinite else { return nil }
            return (r.policy, r.predictor, e, g)
        }
        guard !points.isEmpty else { return nil }
        let xs = points.map(\.2), ys = points.map(\.3)
        var plot = SVGPlot(title: "Average-JCT gap to \(plan.baseline) against prediction error", xLabel: "time APE per job (%): pairs weighted by their jobs",
                           yLabel: "avg JCT gap to \(plan.baseline) (%)", x: 0...max(xs.max()! * 1.1, 1), y: min(0, ys.min()! * 1.1)...max(ys.max()! * 1.1, 1))
        plot.width = 640
        plot.line([(0, 0), (plot.xRange.upperBound, 0)], color: "#999", width: 1, dash: true)
        let policies = plan.policies.map(\.name)
        for (policy, predictor, x, y) in points {
            let c = color(ofIndex: policies.firstIndex(of: policy) ?? 0)
            plot.point(x, y, color: c, radius: 4, label: "\(policy) · \(predictor): \(String(format: "%.1f", x))% error, \(String(format: "%+.1f", y))% JCT", opacity: 0.85)
            plot.text(x, y, "  " + predictor, size: 8)
        }
        plot.legend = policies.enumerated().map { ($1, color(ofIndex: $0)) }
        return plot.render()
    }
}
