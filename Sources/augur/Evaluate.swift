import ArgumentParser
import ClusterKit
import ClusterSimulation
import Foundation

/// `augur evaluate`: every policy pair under every predictor for every seed, in parallel, then a
/// comparison table and a report.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare policies driven by different predictors: the product of runs over seeds, a table (CSV, Markdown) and report.html.",
        discussion: "Each run is single-threaded and deterministic; runs go in parallel on --threads cores. Finished runs are kept in OUT/runs/, so an interrupted evaluation resumes where it stopped when run again with the same inputs.")

    @OptionGroup var data: DataOptions
    @OptionGroup var jobs: JobSourceOptions

    @Option(help: "Cluster spec (YAML).")
    var cluster: String

    @Option(help: ArgumentHelp("Comma-separated SCHEDULER+PLACEMENT pairs.",
                               discussion: "Schedulers: \(SchedulerKind.allCases.map(\.rawValue).joined(separator: ", ")). Placements: \(PlacementKind.allCases.map(\.rawValue).joined(separator: ", "))."))
    var policies = "fifo+first-fit,las+hetero"

    @Option(help: "Comma-separated predictors the policies consult: \(PredictorChoice.help).")
    var predictors = "measured,user-estimate"

    @Option(help: "Seeds: a range (1-5), a list (1,3,7) or both.")
    var seeds = "1-3"

    @Option(help: "Output directory (tables, report.html, runs/).")
    var out: String

    @Option(help: "Runs in parallel (default: all cores).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Title of the report.")
    var title: String?

    @OptionGroup var engine: EngineOptions

    func validate() throws {
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
        _ = try plan()
        _ = try jobs.source()
    }

    /// An argument as a shell would need it to give it back (single-quoted if it has anything but
    /// letters, digits and `-_.,:+/=`).
    static func shellQuoted(_ a: String) -> String {
        let plain = !a.isEmpty && a.allSatisfy { $0.isLetter || $0.isNumber || "-_.,:+/=".contains($0) }
        return plain ? a : "'" + a.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The predictors, parsed once from `--predictors`.
    func predictorChoices() throws -> [PredictorChoice] {
        do { return try PredictorChoice.list(predictors, data: data.root) } catch let e as InputError { throw ValidationError(e.description) }
    }

    func plan() throws -> EvaluationPlan {
        let choices = try predictorChoices()
        do { return try EvaluationPlan(policies: policies, predictors: choices.map(\.label), seeds: seeds) } catch let e as InputError {
            throw ValidationError(e.description)
        }
    }

    func run() throws {
        try guarded {
            let session = EvaluationSession(
                data: data, cluster: cluster, source: try jobs.source(), plan: try plan(), predictors: try predictorChoices(), out: out, threads: threads, engine: engine.settings,
                title: title ?? "Augur evaluation: \((out as NSString).lastPathComponent)",
                command: (["augur"] + CommandLine.arguments.dropFirst().map(Self.shellQuoted)).joined(separator: " "))
            let table = try session.run()
            print(table.markdown)
            print("wrote \(out)/comparison.csv, comparison.md, report.html, evaluation.json (runs in \(out)/runs/)")
        }
    }
}

/// The jobs of an evaluation: `--trace FILE`, or a Philly-like trace generated per seed.
struct JobSourceOptions: ParsableArguments {
    @Option(help: "Job trace file (its seeded parts, e.g. production traces' model assignment, vary with the seed).")
    var trace: String?

    @Option(help: "Trace format: \(TraceFormat.allCases.map(\.rawValue).joined(separator: "|")).")
    var traceFormat: TraceFormat = .auto

    @Option(help: "Use only the first N jobs of the trace.")
    var limit: Int?

    @Option(help: "Instead of --trace: generate a Philly-like trace of N jobs per seed.")
    var generateJobs: Int?

    @OptionGroup var shape: GeneratorOptions

    func source() throws -> TraceSource {
        switch (trace, generateJobs) {
        case (nil, nil): throw ValidationError("give --trace FILE or --generate-jobs N")
        case (.some, .some): throw ValidationError("--trace and --generate-jobs exclude each other")
        case (let path?, nil):
            if let limit, limit <= 0 { throw ValidationError("--limit must be positive") }
            return .file(path: path, format: traceFormat, limit: limit, families: shape.familySet)
        case (nil, let n?):
            try shape.check(jobs: n, flag: "--generate-jobs")
            return .generated(shape.generator(jobs: n, seed: 1),
                              families: shape.familySet, name: "philly-like-\(n)")
        }
    }
}
