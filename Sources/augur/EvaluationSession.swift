import ArgumentParser
import ClusterKit
import ClusterSimulation
import Foundation
import PerfModels

/// Where an evaluation's jobs come from: a trace file (its seeded parts, e.g. model assignment
/// of production traces, vary with the seed) or a Philly-like trace generated per seed.
enum TraceSource: Sendable {
    case file(path: String, format: TraceFormat, limit: Int?, families: Set<String>? = nil)
    case generated(PhillyLikeGenerator, families: Set<String>?, name: String)

    var description: String {
        switch self {
        case .file(let path, let format, let limit, let families):
            "trace \(path) (format \(format.rawValue)\(limit.map { ", first \($0) jobs" } ?? "")\(families.map { ", models of " + $0.sorted().joined(separator: "+") } ?? ""))"
        case .generated(let g, let families, _):
            "Philly-like trace generated per seed: \(g.jobs) jobs, \(JSONText.format(g.arrivalsPerHour)) arrivals/h, durations ×\(JSONText.format(g.durationScale)), ≤ \(g.maxGPUs) GPUs, families \(families.map { $0.sorted().joined(separator: "+") } ?? "all")"
        }
    }
}

/// Everything `augur evaluate` and `augur demo` share: load inputs, run the plan in parallel with
/// progress, write `comparison.csv`, `comparison.md`, `report.html` and `evaluation.json`.
struct EvaluationSession {
    var data: DataOptions
    var cluster: String
    var source: TraceSource
    var plan: EvaluationPlan
    /// The plan's predictors, in its order.
    var predictors: [PredictorChoice]
    var out: String
    var threads: Int
    var engine = EngineSettings()
    var title: String
    var command: String

    /// Runs what is missing and writes the tables and report. Returns the table.
    func run() throws -> ComparisonTable {
        try OutputFolder.check(out)
        let jobs: ScenarioInputs.Jobs
        switch source {
        case .file(let path, let format, let limit, let families): jobs = .traces([(path, format)], limit: limit, families: families)
        case .generated(_, let families, _): jobs = .drawn(families: families)
        }
        // The configurations jobs are drawn from: one catalog for every seed.
        let loaded = try ScenarioInputs.load(devicesPath: data.devices, clusterPath: cluster, data: data.root, jobs: jobs,
                                             memoryAccount: data.memoryAccount)
        let catalog = loaded.catalog, spec = loaded.cluster, oracle = loaded.oracle, workloads = loaded.workloads, inputs = loaded.inputs
        let factories: [any PredictorFactory] = predictors.map { SharedPredictor($0.reading(data.root)) }
        let source = self.source, engine = self.engine
        if case .generated = source, workloads.isEmpty {
            throw InputError(file: "--families", reason: "no measured configuration of these families runs on cluster \(cluster)")
        }
        let scenario: @Sendable (UInt64) throws -> Scenario = { seed in
            switch source {
            case .file(let path, let format, let limit, _):
                return try Scenario.replaying(tracePath: path, format: format, seed: seed, limit: limit, skipInfeasible: engine.skipInfeasible,
                                              catalog: catalog, cluster: spec, oracle: oracle, workloads: workloads, inputs: inputs)
            case .generated(var g, _, let name):
                g.seed = seed
                let trace = try g.generate(catalog: workloads, name: name).bindingWork(to: oracle)
                return Scenario(catalog: catalog, cluster: spec, oracle: oracle, trace: trace, inputs: inputs)
            }
        }
        // Every predictor is made once up front, so a bad model is one error before any run.
        let firstSeed = plan.seeds[0]
        let first = try scenario(firstSeed)
        for p in factories { _ = try p.make(scenario: first, seed: firstSeed) }
        try engine.check(for: first)

        let runner = try EvaluationRunner(
            plan: plan, directory: out, threads: threads, inputs: try fingerprintInputs(),
            scenario: { $0 == firstSeed ? first : try scenario($0) },
            predictors: factories,
            config: { engine.config(seed: $1, for: $0) })
        let interrupted = Interrupt.install()
        let tty = isatty(2) != 0
        let outcome = try runner.run(shouldStop: { interrupted.isSet }) { p in
            let name = "\(p.key.policy) \(p.key.predictor) seed \(p.key.seed)"
            let detail = p.reused ? "kept from an earlier run" : String(format: "avg JCT %.2f h, %.1f s", p.result.metric(.avgJCTHours), p.wallSeconds)
            printError("\(tty ? "\r\u{1B}[K" : "")[\(p.done)/\(p.total)] \(name): \(detail)", newline: !tty || p.done == p.total)
        }
        if tty { printError("") }
        guard outcome.complete else {
            printError("interrupted: \(outcome.results.count) of \(plan.keys.count) runs are kept in \(runner.runsDirectory); run the same command again to finish")
            throw ExitCode(130)
        }
        printError("\(outcome.executed) run(s) made, \(outcome.reused) kept from an earlier run")
        let table = ComparisonTable(plan: plan, results: outcome.results)
        let description = [source.description + " on cluster \(cluster) (\(spec.deviceTypes.map(\.name).joined(separator: ", ")))", "Command: \(command)"]
        let report = EvaluationReport(title: title, description: description, plan: plan, results: outcome.results)
        let header = "# \(title)\n\n" + description.map { $0 + "\n" }.joined(separator: "\n") + "\n"
        try TextFile.writeAtomically(table.csv, to: "\(out)/comparison.csv")
        try TextFile.writeAtomically(header + table.markdown, to: "\(out)/comparison.md")
        try TextFile.writeAtomically(report.render(), to: "\(out)/report.html")
        try TextFile.writeAtomically(evaluationJSON().render() + "\n", to: "\(out)/evaluation.json")
        return table
    }

    func evaluationJSON() -> JSONText {
        .object([("title", .string(title)), ("command", .string(command)), ("augur_version", .string(Augur.version)),
                 ("cluster", .string(cluster)), ("jobs", .string(source.description)),
                 ("policies", .array(plan.policies.map { .string($0.name) })), ("predictors", .array(plan.predictors.map { .string($0) })),
                 ("seeds", .array(plan.seeds.map { .integer(Int($0)) }))])
    }

    /// Every input that changes a run's result, hashed where it is a file.
    func fingerprintInputs() throws -> String {
        func hash(_ path: String) -> String { SHA256.hex(FileManager.default.contents(atPath: path) ?? Data()) }
        // The build: a rebuilt Augur does not reuse another build's runs. Its size and
        // modification time identify it (hashing the executable cost seconds per invocation).
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let attributes = (try? FileManager.default.attributesOfItem(atPath: exe)) ?? [:]
        let build = "\(attributes[.size] ?? 0) \((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        var lines = ["augur \(Augur.version) build \(build)", "devices \(hash(data.devices))", "cluster \(hash(cluster))", "data \(data.root.path)",
                     engine.description]
        switch source {
        case .file(let path, let format, let limit, let families):
            lines.append("trace \(hash(path)) \(format.rawValue) \(limit ?? 0)" + (families.map { " families " + $0.sorted().joined(separator: ",") } ?? ""))
        case .generated(let g, let families, let name):
            lines.append("generated \(name) \(g.jobs) \(g.arrivalsPerHour) \(g.durationScale) \(g.maxGPUs) \(families?.sorted() ?? [])")
        }
        lines += predictors.compactMap { $0.fingerprint() }
        return lines.joined(separator: "\n")
    }
}

/// SIGINT sets a flag the runner checks between runs, so finished runs are kept.
final class Interrupt: @unchecked Sendable {
    nonisolated(unsafe) private static var flag: Int32 = 0
    var isSet: Bool { Interrupt.flag != 0 }

    static func install() -> Interrupt {
        signal(SIGINT) { _ in
            if Interrupt.flag != 0 { _exit(130) }
            Interrupt.flag = 1
        }
        return Interrupt()
    }
}
