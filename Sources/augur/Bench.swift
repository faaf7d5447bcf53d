import ArgumentParser
import ClusterKit
import ClusterSimulation
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Benchmarks that print figures (use a release build).", subcommands: [BenchSim.self, BenchPredictor.self, BenchStartup.self])
}

struct BenchSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Replay the whole Philly trace on the 2,048-GPU cluster under several policies; print jobs, events, wall time, events/s, peak RSS.",
        discussion: """
            --trace may name a folder: its *.csv files are read (format detected per file) and replayed as one trace \
            (e.g. the ten ITP clusters). With --scale K each policy also replays the trace K times over (copy k's ids \
            get '#k', same submit times, same cluster: K times the load) and the ratio of wall times is printed, beside the ratio of the engine's \
            work (events handled plus preemptions).
            """)

    @OptionGroup var data: DataOptions

    @Option(help: "Cluster spec.")
    var cluster = "clusters/hetero-2048.yaml"

    @Option(help: "Trace file, or a folder of trace files replayed as one (default: the Philly trace under the data root).")
    var trace: String?

    @Option(help: "Seed.")
    var seed: UInt64 = 1

    @Option(help: "Also replay the trace this many times over, and print the wall-time ratio to one copy.")
    var scale: Int = 1

    @Option(help: "Seconds a preempted job needs to restore its checkpoint.")
    var restoreSeconds: Double = 30

    @Option(help: "Runs as SCHEDULER+PLACEMENT, comma-separated (default: the five below), or 'all': every scheduler with heterogeneity-aware placement.")
    var policies: String?

    @Option(help: "Model families the trace's jobs draw from (production traces; e.g. benchmarks on clusters/modern-2048.yaml) \(WorkloadFamilies.help).")
    var families: String?

    @Option(help: "Predictor the policies consult; its predictions are made inside the timed run: \(PredictorChoice.help). (default: \(PredictorChoice.measured))",
            transform: PredictorChoice.option)
    var predictor: PredictorChoice = .measured

    static let runs: [(SchedulerKind, PlacementKind)] = [(.fifo, .firstFit), (.srtf, .firstFit), (.las, .firstFit), (.fifo, .hetero), (.las, .hetero)]

    func validate() throws {
        guard scale >= 1, scale <= 100 else { throw ValidationError("--scale must be in [1, 100], got \(scale)") }
        guard restoreSeconds.isFinite, restoreSeconds >= 0, restoreSeconds <= Limits.maxRestoreSeconds else {
            throw ValidationError("--restore-seconds must be a finite number of seconds in [0, 1e6], got \(restoreSeconds)")
        }
        _ = try chosenRuns()
        try WorkloadFamilies.check(familySet)
    }

    var familySet: Set<String>? { families.map(WorkloadFamilies.parse) }

    func chosenRuns() throws -> [(SchedulerKind, PlacementKind)] {
        guard let policies else { return Self.runs }
        if policies == "all" { return SchedulerKind.allCases.map { ($0, .hetero) } }
        return try policies.split(separator: ",").map { item in
            let parts = item.split(separator: "+").map(String.init)
            guard parts.count == 2, let s = SchedulerKind(rawValue: parts[0]), let p = PlacementKind(rawValue: parts[1]) else {
                throw ValidationError("--policies: '\(item)' is not SCHEDULER+PLACEMENT")
            }
            return (s, p)
        }
    }

    func run() throws {
        try guarded {
            let t0 = Date()
            var scenario = try loadScenario()
            print("loaded \(scenario.trace.jobs.count) jobs and cluster '\(scenario.cluster.name)' (\(scenario.cluster.deviceCount) devices) in \(String(format: "%.2f", Date().timeIntervalSince(t0))) s")
            var config = SimulationConfig()
            config.checkpointRestoreSeconds = restoreSeconds
            let single = scenario.trace
            let scaled = scale > 1 ? single.replicated(scale) : nil
            print("policy               scale     jobs    events   wall s   events/s  peak RSS MiB  avg JCT h    done  preempt   ratio    work")
            for (s, p) in try chosenRuns() {
                var wall1 = 0.0
                var work1 = 0.0
                for trace in [single] + (scaled.map { [$0] } ?? []) {
                    scenario.trace = trace
                    let start = Date()
                    let (sim, summary) = try scenario.run(scheduler: s.make(), placement: p.make(),
                                                          predictor: try predictor.reading(data.root).make(scenario: scenario, seed: seed), config: config)
                    let wall = Date().timeIntervalSince(start)
                    let k = trace.jobs.count == single.jobs.count ? 1 : scale
                    // The engine's work: events handled plus preemptions (each a release and a requeue).
                    let work = Double(sim.eventsProcessed + summary.preemptions)
                    if k == 1 { wall1 = wall; work1 = work }
                    let name = "\(s.rawValue)+\(p.rawValue)".padding(toLength: 18, withPad: " ", startingAt: 0)
                    let ratio = k == 1 ? "" : String(format: "%6.1fx  %6.1fx", wall / max(wall1, 1e-9), work / max(work1, 1))
                    let row = String(format: "%@  %5d  %7d  %8d  %7.3f  %9.0f  %12.1f  %9.2f  %6d  %7d  %@", name, k, summary.jobs, sim.eventsProcessed, wall,
                                     Double(sim.eventsProcessed) / wall, peakRSSMiB(), summary.avgJCT / 3600, summary.completed, summary.preemptions, ratio)
                    print(row.hasSuffix(" ") ? String(row.reversed().drop { $0 == " " }.reversed()) : row)
                }
            }
        }
    }

    /// The scenario of the trace file, or of every *.csv of the trace folder (name order) as one trace.
    func loadScenario() throws -> Scenario {
        let path = trace ?? data.root.phillyTrace
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            return try Scenario.load(devicesPath: data.devices, clusterPath: cluster, tracePath: path, format: .auto, data: data.root, seed: seed,
                                     families: familySet, memoryAccount: data.memoryAccount)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".csv") }.sorted()
        guard !files.isEmpty else { throw InputError(file: path, reason: "no .csv trace in the folder") }
        let loaded = try ScenarioInputs.load(devicesPath: data.devices, clusterPath: cluster, data: data.root,
                                             jobs: .traces(files.map { (path + "/" + $0, TraceFormat.auto) }, limit: nil, families: familySet),
                                             memoryAccount: data.memoryAccount)
        var scenario = try Scenario.replaying(tracePath: path + "/" + files[0], format: .auto, seed: seed, inputs: loaded)
        var traces = [scenario.trace]
        for file in files.dropFirst() {
            traces.append(try Scenario.replaying(tracePath: path + "/" + file, format: .auto, seed: seed, inputs: loaded).trace)
        }
        scenario.trace = Trace.concatenating(traces, name: (path as NSString).lastPathComponent, source: path)
        return scenario
    }
}

/// Peak resident set size of this process, MiB.
func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
