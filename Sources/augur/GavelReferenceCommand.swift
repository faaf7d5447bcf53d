import ArgumentParser
import ClusterKit
import ClusterSimulation
import Foundation

/// Replays Gavel's reference traces under `--mechanism gavel` and compares with what Gavel's
/// own simulator computed (`GavelReference`).
struct GavelReferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gavel-reference",
        abstract: "Replay the traces of datasets/gavel-reference under Gavel's mechanism (fifo, fifo_perf, max_min_fairness, max_min_fairness_perf) and compare average JCT, makespan, utilization and per-job JCT with Gavel's own simulator.")

    @OptionGroup var data: DataOptions

    @Option(help: "Gavel's cluster (36 V100 + 36 P100 + 36 K80).")
    var cluster = "clusters/gavel.yaml"

    @Option(help: "Write comparison.md and comparison.csv to this directory (e.g. sim-results/gavel-reference).")
    var out: String?

    func run() throws {
        try guarded {
            if let out { try OutputFolder.check(out) }
            let rows = try GavelReference.compare(root: data.root, devicesPath: data.devices, clusterPath: cluster, log: { printError($0) })
            let table = GavelReference.markdown(rows)
            print(table)
            for r in rows { print(String(format: "%@ %@: %.3f s", r.workload, r.policy.rawValue, r.wallSeconds)) }
            if let out {
                let md = "# Gavel's simulator reproduced\n\nAugur's `--mechanism gavel` on the traces of `datasets/gavel-reference/` (Gavel's cluster, `clusters/gavel.yaml`; measured throughputs from Gavel's table), against what Gavel's own simulator computed on them.\n\nCommand: `augur gavel-reference --out \(out)`\n\n" + table
                var csv = CSVTable.line(["workload", "policy", "jobs", "avg_jct_s", "gavel_avg_jct_s", "makespan_s", "gavel_makespan_s",
                                         "utilization", "gavel_utilization", "jct_correlation", "jobs_identical"]) + "\n"
                for r in rows {
                    csv += CSVTable.line([r.workload, r.policy.rawValue, "\(r.jobs)", JSONText.format(r.avgJCT), JSONText.format(r.gavelAvgJCT),
                                          JSONText.format(r.makespan), JSONText.format(r.gavelMakespan), JSONText.format(r.utilization),
                                          JSONText.format(r.gavelUtilization), JSONText.format(r.correlation), "\(r.identical)"]) + "\n"
                }
                try OutputFolder.replaceFiles(in: out, with: [("comparison.md", Data(md.utf8)), ("comparison.csv", Data(csv.utf8))])
                print("wrote \(out)/comparison.md, comparison.csv")
            }
        }
    }
}
