import ArgumentParser
import ClusterKit
import Foundation

struct Fuzz: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Seeded mutation fuzzing of Augur's parsers (and of the CLI's flags with --flags).",
        discussion: """
            Each parser is fed mutants of its seed corpus (the repository's traces, cluster specs, ONNX graphs and \
            model, and heads of the public traces under the data root). Every input must be accepted or rejected \
            with the parser's own error type; anything else is a finding: an error of another type (untyped), a \
            crash (a fatal signal) or a hang (an input running past --hang-seconds of CPU time, or 30 times that of wall \
            time). Each parser runs in a worker \
            process, so a crash is counted, its input saved under --findings as PARSER-seed-S-input-I.crash, and \
            the run resumes after it. Mutant I of a parser depends only on the seed and I. \
            `augur fuzz --parser P --replay FILE` feeds one saved input to P in this process. \
            Exit status 1 when there is any finding.
            """)

    @Option(help: "Parser to fuzz: \(FuzzTarget.names.joined(separator: ", ")), a comma-separated list, or all.")
    var parser = "all"

    @Option(help: "Inputs per parser.")
    var inputs = 10_000

    @Option(help: "Seed of the mutations.")
    var seed: UInt64 = 1

    @Option(help: "Stop each parser after this many seconds even if fewer inputs ran.")
    var seconds: Double?

    @Option(help: "An input using more than this many CPU seconds (or 30 times as many wall seconds, at least 60) is a hang.")
    var hangSeconds = 2.0

    @Option(help: "Folder for the inputs of findings.")
    var findings = "fuzz-findings"

    @Option(help: "Root of the public traces (default: $AUGUR_DATA, else ../shared).")
    var data: String?

    @Option(help: "Feed this one file to --parser and print the outcome.")
    var replay: String?

    @Option(help: "Also run the augur binary this many times with mutated flag sets (simulate, trace generate, predict, cluster show).")
    var flags = 0

    @Flag(help: "Run the parsers in this process (a crash ends the run).")
    var inProcess = false

    @Option(help: "Index of the first mutant (mutant I depends only on the seed, the parser and I, so a campaign stopped at I continues with --from I).")
    var from = 0

    @Flag(help: .hidden) var worker = false
    /// A worker runs mutants `from..<end` (its parent passes the campaign's end).
    @Option(help: .hidden) var end: Int?

    func validate() throws {
        guard inputs >= 0 else { throw ValidationError("--inputs must not be negative") }
        guard from >= 0, from <= Int.max - inputs else { throw ValidationError("--from must be non-negative (and --from plus --inputs representable)") }
        guard hangSeconds > 0 else { throw ValidationError("--hang-seconds must be positive") }
        guard flags >= 0 else { throw ValidationError("--flags must not be negative") }
        if let seconds { guard seconds > 0, seconds.isFinite else { throw ValidationError("--seconds must be positive") } }
        _ = try targets()
        if replay != nil, try targets().count != 1 { throw ValidationError("--replay needs one --parser") }
    }

    func targets() throws -> [FuzzTarget] {
        if parser == "all" { return FuzzTarget.all }
        return try parser.split(separator: ",").map { name in
            guard let t = FuzzTarget.named(String(name)) else {
                throw ValidationError("--parser: unknown parser '\(name)' (known: \(FuzzTarget.names.joined(separator: ", ")), all)")
            }
            return t
        }
    }

    func environment() throws -> FuzzEnvironment {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("augur-fuzz-\(getpid())").path
        return try FuzzEnvironment(scratch: scratch, dataRoot: DataRoot.resolve(flag: data))
    }

    func run() throws {
        if let replay { return try runReplay(replay) }
        if worker { return try runWorker() }
        try guarded { try OutputFolder.createFolder(findings) }
        var failures = 0
        if inputs > 0 && !(parser.isEmpty) {
            print(FuzzReport.header)
            var grand = FuzzCounts()
            for target in try targets() {
                let counts = try inProcess ? runInProcess(target) : supervise(target)
                print(FuzzReport.row(target.name, counts))
                grand = grand + counts
                failures += counts.failures
            }
            print(FuzzReport.row("total", grand))
        }
        if flags > 0 {
            let result = try FlagFuzzer(seed: seed, runs: flags, findings: findings).run()
            failures += result.failures
        }
        print("seed \(seed); findings: \(failures)\(failures > 0 ? " (inputs under \(findings)/)" : "")")
        if failures > 0 { throw ExitCode(1) }
    }

    func save(_ finding: FuzzFinding, _ target: FuzzTarget) -> String {
        let path = "\(findings)/\(target.name)-seed-\(seed)-input-\(finding.index).\(finding.kind)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(finding.input))
        return path
    }

    func runInProcess(_ target: FuzzTarget) throws -> FuzzCounts {
        let env = try environment()
        defer { try? FileManager.default.removeItem(atPath: env.scratch) }
        var runner = FuzzRunner(target: target, env: env, seed: seed)
        runner.hangSeconds = hangSeconds
        let deadline = seconds.map { ProcessInfo.processInfo.systemUptime + $0 }
        return runner.run(from: from, to: from + inputs, deadline: deadline) { f in
            printError("\(target.name): \(f.kind) at input \(f.index): \(ErrorLine.clean(f.message)) (saved as \(save(f, target)))")
        }.0
    }

    /// Runs one target in worker processes until its inputs or its time are spent.
    func supervise(_ target: FuzzTarget) throws -> FuzzCounts {
        var total = FuzzCounts()
        var next = from
        let last = from + inputs
        let start = ProcessInfo.processInfo.systemUptime
        let self_ = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let executable = FileManager.default.fileExists(atPath: self_.path) ? self_ : URL(fileURLWithPath: CommandLine.arguments[0])
        let current = "\(findings)/\(target.name).current"
        let log = "\(findings)/\(target.name).stderr"
        while next < last {
            let elapsed = ProcessInfo.processInfo.systemUptime - start
            if let seconds, elapsed >= seconds { break }
            var args = ["fuzz", "--worker", "--parser", target.name, "--seed", "\(seed)", "--from", "\(next)", "--end", "\(last)",
                        "--hang-seconds", "\(hangSeconds)", "--findings", findings]
            if let seconds { args += ["--seconds", "\(seconds - elapsed)"] }
            if let data { args += ["--data", data] }
            let p = Process()
            p.executableURL = executable
            p.arguments = args
            let out = Pipe()
            p.standardOutput = out
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            p.standardError = FileHandle(forWritingAtPath: log)
            try p.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            var ended = false
            for line in text.split(separator: "\n") {
                let f = line.split(separator: " ", maxSplits: 2).map(String.init)
                guard let kind = f.first else { continue }
                switch kind {
                case "untyped":
                    printError("\(target.name): untyped error at input \(f[1]): \(f.count > 2 ? f[2] : "") (saved under \(findings)/)")
                case "result":
                    let v = line.split(separator: " ").dropFirst().compactMap { Double($0) }
                    guard v.count == 8 else { continue }
                    total = total + FuzzCounts(inputs: Int(v[1]), accepted: Int(v[2]), rejected: Int(v[3]), untyped: Int(v[4]),
                                               crashes: 0, hangs: Int(v[5]), seconds: v[7], slowest: v[6])
                    next = Int(v[0])
                    ended = true
                case "crash", "hang":
                    let v = line.split(separator: " ").dropFirst().compactMap { Int($0) }
                    guard v.count == 4 else { continue }
                    let path = "\(findings)/\(target.name)-seed-\(seed)-input-\(v[0]).\(kind)"
                    try? FileManager.default.removeItem(atPath: path)
                    try? FileManager.default.moveItem(atPath: current, toPath: path)
                    let why = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").first { $0.contains("Fatal error") || $0.contains("error") }
                    printError("\(target.name): \(kind) at input \(v[0])\(why.map { ": " + ErrorLine.clean(String($0)) } ?? "") (saved as \(path))")
                    var c = FuzzCounts(inputs: v[1] + v[2] + v[3] + 1, accepted: v[1], rejected: v[2], untyped: v[3])
                    if kind == "crash" { c.crashes = 1 } else { c.hangs = 1 }
                    c.seconds = ProcessInfo.processInfo.systemUptime - start - total.seconds
                    total = total + c
                    next = v[0] + 1
                    ended = true
                default: continue
                }
            }
            guard ended else {
                let why = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                throw ValidationError("fuzz worker for \(target.name) ended (status \(p.terminationStatus)) without a report: \(why.prefix(500))")
            }
        }
        try? FileManager.default.removeItem(atPath: log)
        return total
    }

    /// A worker: runs inputs `from..<inputs` of one parser with the crash guard installed.
    func runWorker() throws {
        let target = try targets()[0]
        let env = try environment()
        defer { try? FileManager.default.removeItem(atPath: env.scratch) }
        var runner = FuzzRunner(target: target, env: env, seed: seed)
        runner.hangSeconds = hangSeconds
        FuzzGuard.install(savePath: "\(findings)/\(target.name).current", hangSeconds: hangSeconds)
        let deadline = seconds.map { ProcessInfo.processInfo.systemUptime + $0 }
        let (c, next) = runner.run(from: from, to: end ?? from + inputs, deadline: deadline, guarded: true) { f in
            _ = save(f, target)
            let message = ErrorLine.clean(f.message)
            print("\(f.kind) \(f.index) \(message)")
            fflush(nil)
        }
        print("result \(next) \(c.inputs) \(c.accepted) \(c.rejected) \(c.untyped) \(c.hangs) \(c.slowest) \(c.seconds)")
        fflush(nil)
    }

    func runReplay(_ path: String) throws {
        let target = try targets()[0]
        guard let bytes = FileManager.default.contents(atPath: path) else { throw ValidationError("--replay: cannot read \(path)") }
        let env = try environment()
        defer { try? FileManager.default.removeItem(atPath: env.scratch) }
        let runner = FuzzRunner(target: target, env: env, seed: seed)
        let t0 = ProcessInfo.processInfo.systemUptime
        let outcome = runner.feed([UInt8](bytes))
        let dt = ProcessInfo.processInfo.systemUptime - t0
        switch outcome {
        case .success(true): print("\(target.name): accepted (\(String(format: "%.3f", dt)) s)")
        case .success(false):
            do { _ = try target.run(env, [UInt8](bytes)) } catch { print("\(target.name): rejected: \(ErrorLine.clean("\(error)"))") }
        case .failure(let error):
            print("\(target.name): UNTYPED \(type(of: error)): \(ErrorLine.clean("\(error)"))")
            throw ExitCode(1)
        }
    }
}

enum FuzzReport {
    static let header = "parser            inputs   accepted   rejected  untyped  crashes  hangs   inputs/s  slowest"
    static func row(_ name: String, _ c: FuzzCounts) -> String {
        func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        let rate = c.seconds > 0 ? Double(c.inputs) / c.seconds : 0
        return name.padding(toLength: 14, withPad: " ", startingAt: 0) + pad("\(c.inputs)", 10) + pad("\(c.accepted)", 11) + pad("\(c.rejected)", 11)
            + pad("\(c.untyped)", 9) + pad("\(c.crashes)", 9) + pad("\(c.hangs)", 7) + pad(String(format: "%.0f", rate), 11)
            + pad(String(format: "%.3f s", c.slowest), 9)
    }
}
