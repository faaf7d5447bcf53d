import AugurCore
import ClusterKit
import Foundation

/// Augur's Gavel mechanism against what Gavel's own simulator computed on the same traces
/// (`datasets/gavel-reference/`: per policy, Gavel's average JCT, makespan and utilization, and
/// every job's JCT): issue 16's acceptance test, printed by `augur gavel-reference`.
public struct GavelReference: Sendable {
    /// One (trace, policy) compared.
    public struct Row: Sendable {
        public var workload: String
        public var policy: GavelPolicyName
        public var jobs: Int
        public var avgJCT: Double, gavelAvgJCT: Double
        public var makespan: Double, gavelMakespan: Double
        public var utilization: Double, gavelUtilization: Double
        /// Pearson correlation of per-job JCT.
        public var correlation: Double
        /// Jobs whose JCT is Gavel's within a millisecond.
        public var identical: Int
        public var wallSeconds: Double

        public var jctGap: Double { avgJCT / gavelAvgJCT - 1 }
        public var makespanGap: Double { makespan / gavelMakespan - 1 }
    }

    public static let workloads = ["static_single_n100", "cont_single_n1000_lam900"]
    /// The policies the reference results cover.
    public static let policies: [GavelPolicyName] = [.fifo, .fifoPerf, .maxMinFairness, .maxMinFairnessPerf, .fifoPacked, .maxMinFairnessPacked]

    /// The reference folder under a data root.
    public static func folder(_ root: DataRoot) -> String { root.file("datasets/gavel-reference") }

    /// Gavel's summary row of a (workload, policy): average JCT, makespan, utilization.
    static func summary(_ root: DataRoot) throws -> [String: (Double, Double, Double)] {
        let path = folder(root) + "/summary.csv"
        let table = try CSVTable(text: TextFile.read(path), path: path)
        let (w, p, j, m, u) = (try table.column("workload"), try table.column("policy"), try table.column("avg_jct_s"),
                               try table.column("makespan_s"), try table.column("utilization"))
        var out: [String: (Double, Double, Double)] = [:]
        for row in table.rows {
            out["\(try row.string(w, "workload", in: table))/\(try row.string(p, "policy", in: table))"] =
                (try row.double(j, "avg_jct_s", in: table), try row.double(m, "makespan_s", in: table), try row.double(u, "utilization", in: table))
        }
        return out
    }

    /// Gavel's JCT of every job of a (workload, policy), by the job's line in the trace.
    static func jobJCTs(_ root: DataRoot, workload: String, policy: GavelPolicyName) throws -> [Double] {
        let path = "\(folder(root))/\(workload)/\(workload).\(policy.rawValue).jobs.csv"
        let table = try CSVTable(text: TextFile.read(path), path: path)
        let (id, jct) = (try table.column("job_id"), try table.column("jct_s"))
        var out = Array(repeating: Double.nan, count: table.rows.count)
        for row in table.rows {
            let i = try row.int(id, "job_id", in: table)
            guard i >= 0, i < out.count else { throw InputError(file: path, line: row.line, field: "job_id", reason: "\(i) is not a line of the trace") }
            out[i] = try row.double(jct, "jct_s", in: table)
        }
        return out
    }

    /// Replays every reference trace under every policy with the measured oracle, on `cluster`
    /// (Gavel's 36 + 36 + 36 GPUs: `clusters/gavel.yaml`).
    /// `skip` leaves out (workload, policy) runs (tests keep to the quick ones).
    public static func compare(root: DataRoot, devicesPath: String, clusterPath: String,
                               skip: (String, GavelPolicyName) -> Bool = { _, _ in false },
                               log: ((String) -> Void)? = nil) throws -> [Row] {
        let gavel = try summary(root)
        var rows: [Row] = []
        for workload in workloads {
            let trace = "\(folder(root))/\(workload)/\(workload).trace"
            let scenario = try Scenario.load(devicesPath: devicesPath, clusterPath: clusterPath, tracePath: trace, format: .gavel, data: root, seed: 0)
            for policy in policies where !skip(workload, policy) {
                guard let reference = gavel["\(workload)/\(policy.rawValue)"] else {
                    throw InputError(file: folder(root) + "/summary.csv", field: "\(workload),\(policy.rawValue)", reason: "no such row")
                }
                let started = DispatchTime.now().uptimeNanoseconds
                let jobs = try GavelMechanism.jobs(scenario, predictor: scenario.oracle)
                let result = try GavelMechanism(policy: policy, scenario: scenario).run(jobs)
                let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                let ours = jobs.indices.map { result.outcomes[$0].completion - jobs[$0].arrival }
                let theirs = try jobJCTs(root, workload: workload, policy: policy)
                guard theirs.count == ours.count else {
                    throw InputError(file: "\(folder(root))/\(workload)", field: policy.rawValue, reason: "\(theirs.count) reference jobs for \(ours.count) in the trace")
                }
                rows.append(Row(workload: workload, policy: policy, jobs: jobs.count, avgJCT: result.avgJCT, gavelAvgJCT: reference.0,
                                makespan: result.makespan, gavelMakespan: reference.1, utilization: result.utilization, gavelUtilization: reference.2,
                                correlation: Correlation.pearson(ours, theirs), identical: zip(ours, theirs).filter { abs($0 - $1) < 1e-3 }.count,
                                wallSeconds: wall))
                log?("\(workload) \(policy.rawValue): avg JCT \(String(format: "%.1f", result.avgJCT)) s (Gavel \(String(format: "%.1f", reference.0)) s)")
            }
        }
        return rows
    }

    /// The comparison as a Markdown table (wall times left out: they are not reproducible).
    public static func markdown(_ rows: [Row]) -> String {
        var out = "| trace | policy | jobs | avg JCT s | Gavel's | gap | makespan s | Gavel's | gap | utilization | Gavel's | per-job JCT correlation | jobs identical |\n"
        out += "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        // Gaps below 0.005% print as +0.00% (never as a signed zero).
        func percent(_ x: Double) -> Double { abs(x) < 5e-5 ? 0 : 100 * x }
        for r in rows {
            out += String(format: "| %@ | %@ | %d | %.1f | %.1f | %+.2f%% | %.1f | %.1f | %+.2f%% | %.3f | %.3f | %.4f | %d |\n",
                          r.workload, r.policy.rawValue, r.jobs, r.avgJCT, r.gavelAvgJCT, percent(r.jctGap), r.makespan, r.gavelMakespan,
                          percent(r.makespanGap), r.utilization, r.gavelUtilization, r.correlation, r.identical)
        }
        return out
    }
}
