import ClusterKit
import Foundation

/// Runs an ``EvaluationPlan`` on several threads and keeps each finished run as
/// `runs/<policy>--<predictor>--s<seed>.json` under the evaluation's directory.
///
/// Each run is single-threaded and deterministic; runs share nothing mutable but the
/// predictors the caller hands out (which must be thread-safe, as the seam requires). A run
/// whose file exists with the same fingerprint is not run again, so an interrupted evaluation
/// resumes where it stopped; files are written to a temporary name and renamed, so a run's file
/// is either whole or absent.
public struct EvaluationRunner: Sendable {
    public var plan: EvaluationPlan
    public var directory: String
    public var threads: Int
    /// Describes every input that changes results (files' hashes, options); part of each run's
    /// fingerprint.
    public var inputs: String
    /// The scenario (cluster, oracle, trace) for a seed.
    public var scenario: @Sendable (UInt64) throws -> Scenario
    /// The predictors, one per label of the plan.
    public var predictors: [any PredictorFactory]
    /// The engine's knobs for a scenario and a seed.
    public var config: @Sendable (Scenario, UInt64) -> SimulationConfig

    public init(plan: EvaluationPlan, directory: String, threads: Int, inputs: String,
                scenario: @escaping @Sendable (UInt64) throws -> Scenario,
                predictors: [any PredictorFactory],
                config: @escaping @Sendable (Scenario, UInt64) -> SimulationConfig) throws {
        for label in plan.predictors where !predictors.contains(where: { $0.label == label }) {
            throw InputError(file: "--predictors", reason: "no predictor labelled '\(label)'")
        }
        self.plan = plan
        self.directory = directory
        self.threads = max(1, threads)
        self.inputs = inputs
        self.scenario = scenario
        self.predictors = predictors
        self.config = config
    }

    /// A finished or reused run, as reported to `progress`.
    public struct Progress: Sendable {
        public var done: Int
        public var total: Int
        public var key: RunKey
        public var reused: Bool
        public var wallSeconds: Double
        public var result: RunResult
    }

    public struct Outcome: Sendable {
        /// Every run of the plan, in plan order (only those finished when stopped early).
        public var results: [RunResult]
        public var executed: Int
        public var reused: Int
        public var complete: Bool
    }

    public var runsDirectory: String { (directory as NSString).appendingPathComponent("runs") }

    public func path(of key: RunKey) -> String { (runsDirectory as NSString).appendingPathComponent(key.directoryName + ".json") }

    public func fingerprint(of key: RunKey) -> String {
        SHA256.hex(Data("\(inputs)\npolicy=\(key.policy)\npredictor=\(key.predictor)\nseed=\(key.seed)".utf8))
    }

    /// The stored result of `key`, if it exists and matches the current inputs.
    public func stored(_ key: RunKey) -> RunResult? {
        guard let data = FileManager.default.contents(atPath: path(of: key)),
              let r = try? JSONDecoder().decode(RunResult.self, from: data),
              r.key == key, r.fingerprint == fingerprint(of: key) else { return nil }
        return r
    }

    /// Runs what is missing. `shouldStop` is asked before each run starts (an interrupted
    /// evaluation keeps what finished). Throws the first error any run hit.
    public func run(shouldStop: @escaping @Sendable () -> Bool = { false },
                    progress: @escaping @Sendable (Progress) -> Void = { _ in }) throws -> Outcome {
        let keys = plan.keys
        let shared = Shared(total: keys.count)
        var pending: [Int] = []
        for (i, key) in keys.enumerated() {
            if let r = stored(key) {
                progress(Progress(done: shared.finish(i, r), total: keys.count, key: key, reused: true, wallSeconds: 0, result: r))
            } else {
                pending.append(i)
            }
        }
        // Scenarios load once per seed that still has runs, in seed order (deterministic).
        var scenarios: [UInt64: Scenario] = [:]
        let seedsToRun = Set(pending.map { keys[$0].seed })
        for seed in plan.seeds where seedsToRun.contains(seed) {
            scenarios[seed] = try scenario(seed)
        }
        let loaded = scenarios
        let work = pending
        // Only now, with every input loaded, does the evaluation write anything.
        try OutputFolder.createFolder(runsDirectory)
        DispatchQueue.concurrentPerform(iterations: min(threads, max(work.count, 1))) { _ in
            while let slot = shared.next(limit: work.count), !shared.failed, !shouldStop() {
                let i = work[slot]
                let key = keys[i]
                do {
                    let started = DispatchTime.now().uptimeNanoseconds
                    let r = try runOne(key, scenario: loaded[key.seed]!)
                    try write(r)
                    let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                    progress(Progress(done: shared.finish(i, r), total: keys.count, key: key, reused: false, wallSeconds: wall, result: r))
                } catch {
                    shared.fail(error)
                }
            }
        }
        if let e = shared.error { throw e }
        let results = shared.results.compactMap { $0 }
        let reused = keys.count - pending.count
        return Outcome(results: results, executed: results.count - reused, reused: reused, complete: results.count == keys.count)
    }

    private func runOne(_ key: RunKey, scenario: Scenario) throws -> RunResult {
        guard let pair = plan.policies.first(where: { $0.name == key.policy }) else {
            throw InputError(file: "--policies", reason: "no policy named \(key.policy)")
        }
        guard let factory = predictors.first(where: { $0.label == key.predictor }) else {
            throw InputError(file: "--predictors", reason: "no predictor labelled '\(key.predictor)'")
        }
        let predictor = try factory.make(scenario: scenario, seed: key.seed)
        let sim = try Simulator(trace: scenario.trace, cluster: scenario.cluster, oracle: scenario.oracle, predictor: predictor,
                                scheduler: pair.scheduler.make(), placement: pair.placement.make(), config: config(scenario, key.seed))
        let metrics = MetricsCollector()
        metrics.keepSeries = true
        sim.addObserver(metrics)
        sim.run()
        return RunResult(key: key, fingerprint: fingerprint(of: key), simulator: sim, summary: RunSummary(simulator: sim, metrics: metrics),
                         metrics: metrics)
    }

    private func write(_ r: RunResult) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let target = path(of: r.key)
        let temp = target + ".tmp-\(getpid())"  // one thread writes each run
        do { try encoder.encode(r).write(to: URL(fileURLWithPath: temp)) } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw InputError(file: temp, reason: "cannot write: \((error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription)")
        }
        guard rename(temp, target) == 0 else {
            try? FileManager.default.removeItem(atPath: temp)
            throw InputError(file: target, reason: "cannot write (errno \(errno))")
        }
    }

    /// Results shared by the worker threads.
    private final class Shared: @unchecked Sendable {
        let lock = NSLock()
        var results: [RunResult?]
        var cursor = 0
        /// Runs finished so far, reused ones included.
        var done = 0
        var error: (any Error)?
        init(total: Int) { results = Array(repeating: nil, count: total) }

        var failed: Bool { lock.withLock { error != nil } }

        func next(limit: Int) -> Int? {
            lock.withLock {
                guard cursor < limit else { return nil }
                cursor += 1
                return cursor - 1
            }
        }

        /// Keeps a finished run; returns how many are finished.
        func finish(_ i: Int, _ r: RunResult) -> Int {
            lock.withLock {
                results[i] = r
                done += 1
                return done
            }
        }

        func fail(_ e: any Error) { lock.withLock { if error == nil { error = e } } }
    }
}
