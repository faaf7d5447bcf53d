import ArgumentParser
import ClusterKit
import ClusterSimulation
import Foundation
import PerfModels

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Replay a job trace on a cluster under a scheduling and a placement policy.")

    @OptionGroup var data: DataOptions
    @OptionGroup var options: RunOptions

    @Option(help: "Write run.json, summary.json and jobs.csv to this directory (e.g. sim-results/NAME).")
    var out: String?

    @Flag(help: "Check engine invariants after every event (slow).")
    var checkInvariants = false

    func run() throws {
        try guarded {
            if let out { try OutputFolder.check(out) }
            let scenario = try Scenario.load(devicesPath: data.devices, clusterPath: options.cluster, tracePath: options.trace,
                                             format: options.traceFormat, data: data.root, seed: options.seed, limit: options.limit,
                                             skipInfeasible: options.engine.skipInfeasible, families: options.familySet,
                                             memoryAccount: data.memoryAccount)
            let predictor = try options.predictor.reading(data.root).make(scenario: scenario, seed: options.seed)
            if options.mechanism == .gavel { return try runGavel(scenario, predictor: predictor) }
            guard let scheduler = options.scheduler.kind else { return }
            try options.engine.settings.check(for: scenario)
            var config = options.engine.settings.config(seed: options.seed, for: scenario)
            config.checkInvariants = checkInvariants
            let bar = ProgressBar("simulate")
            let (sim, summary) = try scenario.run(scheduler: scheduler.make(), placement: options.placement.make(),
                                                  predictor: predictor, config: config, progress: bar.update)
            bar.finish()
            if scenario.trace.dropped > 0 { printError("note: dropped \(scenario.trace.dropped) job(s) on import that no measured configuration could run on this cluster (--skip-infeasible)") }
            if summary.refused > 0 { printError("note: the policy never placed \(summary.refused) job(s): its predictor said they fit on no device (counted as refused)") }
            if summary.unschedulable > 0 { printError("note: dropped \(summary.unschedulable) job(s) no node could ever hold (--skip-infeasible)") }
            print(SummaryTable.render([("\(options.scheduler.rawValue)+\(options.placement.rawValue)", predictor.name, summary)]))
            if let out {
                let runJSON = ResultWriter.runJSON(
                    inputs: scenario.inputs, seed: options.seed, scheduler: options.scheduler.rawValue, placement: options.placement.rawValue,
                    predictor: predictor.name, version: Augur.version,
                    extra: [("trace_format", .string(options.traceFormat.rawValue)), ("jobs", .integer(scenario.trace.jobs.count)),
                            ("restore_seconds", .number(options.engine.restoreSeconds)), ("node_failures", .string(options.engine.nodeFailures ?? ""))])
                try ResultWriter.write(directory: out, run: runJSON, summary: summary.json, jobsCSV: ResultWriter.jobsCSV(sim.state))
                print("wrote \(out)/run.json, summary.json, jobs.csv")
            }
        }
    }
}

extension Simulate {
    /// Gavel's round-based mechanism (`GavelMechanism`) on the scenario: the policy sees
    /// `predictor`, the rounds run measured throughputs.
    func runGavel(_ scenario: Scenario, predictor: any PerformancePredictor) throws {
        let policy = options.gavelPolicy
        // Gavel's own seed (0), as in its reference runs; `--seed` does not reach Gavel's streams.
        let mechanism = GavelMechanism(policy: policy, scenario: scenario)
        let jobs = try GavelMechanism.jobs(scenario, predictor: predictor)
        let result = try mechanism.run(jobs)
        print(String(format: "%@ (gavel mechanism), predictor %@: %d jobs, avg JCT %.3f s (%.2f h), makespan %.3f s (%.2f h), utilization %.3f, %d rounds",
                     policy.rawValue, predictor.name, jobs.count, result.avgJCT, result.avgJCT / 3600, result.makespan, result.makespan / 3600,
                     result.utilization, result.rounds))
        if let out {
            let runJSON = ResultWriter.runJSON(
                inputs: scenario.inputs, seed: options.seed, scheduler: policy.rawValue, placement: "gavel",
                predictor: predictor.name, version: Augur.version,
                extra: [("mechanism", .string("gavel")), ("trace_format", .string(options.traceFormat.rawValue)), ("jobs", .integer(jobs.count))])
            try ResultWriter.write(directory: out, run: runJSON, summary: result.summaryJSON(policy: policy, predictor: predictor.name),
                                   jobsCSV: result.jobsCSV(jobs: jobs, ids: scenario.trace.jobs.map(\.id), typeNames: mechanism.typeNames))
            print("wrote \(out)/run.json, summary.json, jobs.csv")
        }
    }
}

/// A fixed-width table of run summaries: `simulate`'s and `bench`'s columns, as ``Metric``s.
enum SummaryTable {
    /// (metric, column label, decimals; nil for a count).
    static let columns: [(Metric, String, Int?)] = [
        (.jobs, "jobs", nil), (.completed, "done", nil), (.oomFailures, "OOM", nil), (.avgJCTHours, "avg JCT h", 2),
        (.p99JCTHours, "p99 JCT h", 2), (.avgWaitHours, "wait h", 2), (.makespanHours, "makespan h", 2),
        (.gpuUtilization, "GPU util", 3), (.smUtilization, "SM util", 3), (.preemptions, "preempt", nil),
    ]

    static func render(_ rows: [(policy: String, predictor: String, summary: RunSummary)]) -> String {
        let header = ["policy", "predictor"] + columns.map(\.1)
        var lines = [header]
        for r in rows {
            lines.append([r.policy, r.predictor] + columns.map { m, _, digits in
                let v = m.value(of: r.summary)
                return digits.map { String(format: "%.\($0)f", v) } ?? "\(Int(v))"
            })
        }
        let widths = header.indices.map { c in lines.map { $0[c].count }.max()! }
        return lines.enumerated().map { i, row in
            let cells = row.enumerated().map { c, cell in c < 2 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[c] - cell.count) + cell }
            let line = cells.joined(separator: "  ")
            return i == 0 ? line + "\n" + String(repeating: "-", count: line.count) : line
        }.joined(separator: "\n")
    }

    static func f(_ x: Double) -> String { String(format: "%.2f", x) }
}
