import ClusterKit

/// The comparison an evaluation prints: every metric per (policy, predictor) as the mean and
/// 95% interval over seeds, each predictor's gap to the plan's baseline (the measured oracle by
/// default) under the same policy (paired by seed: `x_predictor / x_baseline − 1`), and each predictor's error on the jobs'
/// (configuration, device) pairs.
public struct ComparisonTable: Sendable {
    public struct Row: Sendable {
        public var policy: String
        public var predictor: String
        public var runs: Int
        public var metrics: [Metric: MeanInterval]
        /// Gaps to the plan's baseline in percent (nil for the baseline itself or when it is not in the plan).
        public var jctGap: MeanInterval?
        public var makespanGap: MeanInterval?
    }

    public var rows: [Row]
    /// Per predictor, in plan order: its error on the pairs of every seed (from the first policy's runs).
    public var errors: [(predictor: String, error: PredictionError)]

    /// The predictor the gaps are measured against (the plan's ``EvaluationPlan/baseline``).
    public var baseline: String

    public init(plan: EvaluationPlan, results: [RunResult]) {
        baseline = plan.baseline
        var byKey: [RunKey: RunResult] = [:]
        for r in results { byKey[r.key] = r }
        var rows: [Row] = []
        for policy in plan.policies.map(\.name) {
            for predictor in plan.predictors {
                let runs = plan.seeds.compactMap { byKey[RunKey(policy: policy, predictor: predictor, seed: $0)] }
                guard !runs.isEmpty else { continue }
                var metrics: [Metric: MeanInterval] = [:]
                for m in Metric.allCases { metrics[m] = MeanInterval(runs.map { $0.metric(m) }) }
                var row = Row(policy: policy, predictor: predictor, runs: runs.count, metrics: metrics)
                if predictor != plan.baseline, plan.predictors.contains(plan.baseline) {
                    func gap(_ metric: Metric) -> MeanInterval? {
                        let g = runs.compactMap { r -> Double? in
                            guard let m = byKey[RunKey(policy: policy, predictor: plan.baseline, seed: r.key.seed)], m.metric(metric) > 0 else { return nil }
                            return (r.metric(metric) / m.metric(metric) - 1) * 100
                        }
                        return g.isEmpty ? nil : MeanInterval(g)
                    }
                    row.jctGap = gap(.avgJCTHours)
                    row.makespanGap = gap(.makespanHours)
                }
                rows.append(row)
            }
        }
        self.rows = rows
        let first = plan.policies[0].name
        errors = plan.predictors.map { p in
            (p, PredictionError(plan.seeds.flatMap { byKey[RunKey(policy: first, predictor: p, seed: $0)]?.pairs ?? [] }))
        }
    }

    static func number(_ x: Double) -> String { x.isFinite ? JSONText.format(x) : "" }

    /// One line per (policy, predictor): `<metric>_mean`, `<metric>_ci95` for every metric, then the gaps.
    public var csv: String {
        var header = ["policy", "predictor", "runs"]
        for m in Metric.allCases { header += ["\(m.key)_mean", "\(m.key)_ci95"] }
        header += ["jct_gap_pct_mean", "jct_gap_pct_ci95", "makespan_gap_pct_mean", "makespan_gap_pct_ci95"]
        var lines = [header.joined(separator: ",")]
        for r in rows {
            var cells = [r.policy, r.predictor, "\(r.runs)"]
            for m in Metric.allCases { cells += [Self.number(r.metrics[m]!.mean), Self.number(r.metrics[m]!.halfWidth)] }
            for g in [r.jctGap, r.makespanGap] { cells += [g.map { Self.number($0.mean) } ?? "", g.map { Self.number($0.halfWidth) } ?? ""] }
            lines.append(CSVTable.line(cells))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `mean ± half-width` with `digits` decimals (just the mean for one run).
    static func cell(_ m: MeanInterval?, _ digits: Int, percent: Bool = false) -> String {
        guard let m, m.mean.isFinite else { return "–" }
        let unit = percent ? "%" : ""
        let sign = percent && m.mean > 0 ? "+" : ""
        let mean = sign + String(format: "%.\(digits)f", m.mean) + unit
        return m.count > 1 ? mean + " ± " + String(format: "%.\(digits)f", m.halfWidth) + unit : mean
    }

    /// The main table's metrics: (metric, short column label, decimals).
    static let mainColumns: [(Metric, String, Int)] = [
        (.completed, "done", 0), (.oomFailures, "OOM", 1), (.refused, "refused", 1), (.avgJCTHours, "avg JCT h", 2), (.p99JCTHours, "p99 JCT h", 1),
        (.avgWaitHours, "wait h", 2), (.makespanHours, "makespan h", 1), (.gpuUtilization, "GPU util", 3),
        (.preemptions, "preempt", 0),
    ]

    static let otherColumns: [(Metric, String, Int)] = [
        (.jobs, "jobs", 0), (.unschedulable, "unschedulable", 0), (.p50JCTHours, "p50 JCT h", 3), (.p95JCTHours, "p95 JCT h", 2),
        (.smUtilization, "SM util", 3), (.colocatedJobs, "co-located", 0), (.meanFTF, "mean FTF ρ", 2),
        (.maxFTF, "max FTF ρ", 1), (.events, "events", 0), (.fallbackJobs, "fallback jobs", 0),
    ]

    /// One table of the comparison: a caption (none for the first), a header and rows of cells;
    /// columns from `numericFrom` on are numbers.
    public struct Section: Sendable {
        public var caption: String?
        public var header: [String]
        public var rows: [[String]]
        public var numericFrom: Int
    }

    /// The tables, as Markdown and the report render them: main metrics and gaps, the other
    /// metrics, and predictor errors.
    public var sections: [Section] {
        [Section(caption: nil, header: ["policy", "predictor"] + Self.mainColumns.map(\.1) + ["JCT gap", "makespan gap"],
                 rows: rows.map { r in
                     [r.policy, r.predictor] + Self.mainColumns.map { Self.cell(r.metrics[$0.0], $0.2) }
                         + [Self.cell(r.jctGap, 1, percent: true), Self.cell(r.makespanGap, 1, percent: true)]
                 }, numericFrom: 2),
         Section(caption: "Other metrics:", header: ["policy", "predictor"] + Self.otherColumns.map(\.1),
                 rows: rows.map { r in [r.policy, r.predictor] + Self.otherColumns.map { Self.cell(r.metrics[$0.0], $0.2) } }, numericFrom: 2),
         Section(caption: "Predictors against measurements on the jobs' (configuration, device type) pairs (per job: each pair weighted by the trace's jobs of its configuration):",
                 header: Self.errorHeader, rows: errors.map { Self.errorRow($0.predictor, $0.error) }, numericFrom: 1)]
    }

    /// The tables in Markdown, after a note on what the numbers are.
    public var markdown: String {
        let seedsNote = "Mean ± 95% interval (Student's t) over seeds; gaps are paired by seed against `\(baseline)` under the same policy. "
            + "JCT, wait and FTF cover completed jobs only: a job failed by OOM or refused leaves them (see done, OOM, refused)."
        return seedsNote + "\n\n" + sections.map { section in
            (section.caption.map { "\n\($0)\n\n" } ?? "") + Self.mdTable(section.header, section.rows, rightFrom: section.numericFrom)
        }.joined()
    }

    static let errorHeader = ["predictor", "pairs", "answered", "time MAPE", "time median APE", "time APE per job", "memory pairs", "memory MAPE"]

    static func errorRow(_ p: String, _ e: PredictionError) -> [String] {
        [p, "\(e.pairs)", "\(e.answered)", percent(e.timeMAPE), percent(e.timeMedianAPE), percent(e.timeJobWeightedAPE), "\(e.memoryPairs)", percent(e.memoryMAPE)]
    }

    static func percent(_ x: Double) -> String { x.isFinite ? String(format: "%.1f%%", x) : "–" }

    static func mdTable(_ header: [String], _ rows: [[String]], rightFrom: Int) -> String {
        var lines = ["| " + header.joined(separator: " | ") + " |"]
        lines.append("|" + header.indices.map { $0 >= rightFrom ? "---:" : "---" }.joined(separator: "|") + "|")
        for r in rows { lines.append("| " + r.joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n") + "\n"
    }
}
