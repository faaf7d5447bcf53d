import ClusterKit
import Foundation

/// Runs the `augur` binary itself with mutated flag sets and checks the CLI's contract: exit
/// status 0 or 2 (never a crash, never 130 unasked), exactly one line on stderr with status 2,
/// no output folder or file left behind by a run that failed, and no temporary `.NAME.tmp-*`
/// left in the output's parent in any case.
struct FlagFuzzer {
    let seed: UInt64
    let runs: Int
    let findings: String
    /// Seconds after which a run is a hang (it is killed).
    var timeout = 120.0

    struct Outcome { var runs = 0, ok = 0, rejected = 0, failures = 0, seconds = 0.0 }

    /// Valid command lines; `OUT` is replaced by a fresh folder's path, `DIR` by its parent.
    static let bases: [[String]] = [
        ["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", "clusters/default.yaml", "--scheduler", "las",
         "--placement", "hetero", "--predictor", "user-estimate", "--seed", "3", "--limit", "40", "--restore-seconds", "30", "--out", "OUT"],
        ["simulate", "--trace", "traces/edge-mixed-1k.csv", "--cluster", "clusters/edge-mixed.yaml", "--predictor", "noisy:0.3",
         "--limit", "30", "--node-failures", "500:2", "--out", "OUT"],
        ["trace", "generate", "--jobs", "30", "--rate", "30", "--duration-scale", "0.1", "--max-gpus", "8", "--families", "nb201,neusight",
         "--seed", "2", "--out", "OUT/trace.csv"],
        ["predict", "data/graphs/zoo/alexnet.onnx", "--device", "v100-pcie-32gb", "--batch", "8", "--mode", "train"],
        ["predict", "--nb201", "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
         "--device", "a100-pcie-40gb", "--batch", "16"],
        ["cluster", "show", "clusters/hetero-2048.yaml"],
    ]

    static let values = [
        "-1", "0", "1", "nan", "inf", "-inf", "1e308", "9999999999999", "", " ", "abc", "--", "-", "/nonexistent/x", "/dev/null",
        "/", ".", "a,b,,c", "1:2:3", "noisy:-1", "noisy:nan", "gnn:/nonexistent", "roofline", "0.0001", "2147483648", "-0",
        "\u{1b}[31mred", "x\ny", String(repeating: "z", count: 5000), "clusters/devices.yaml", "traces/README.md", "README.md",
        "data/graphs/zoo/manifest.csv", "models/default", "fifo", "srtf", "first-fit", "pack", "nb201", "train", "infer",
    ]

    static let extraFlags = ["--seed", "--limit", "--out", "--help", "--version", "--bogus", "--data", "--devices", "--batch", "--scale"]

    func run() throws -> Outcome {
        var outcome = Outcome()
        let start = ProcessInfo.processInfo.systemUptime
        print("flag sets       runs     exit 0     exit 2  failures")
        for i in 0..<runs {
            var rng = SeededGenerator(seed: seed ^ 0xF1A6 &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15)
            _ = rng.next()
            let parent = FileManager.default.temporaryDirectory.appendingPathComponent("augur-flagfuzz-\(getpid())-\(i)").path
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: parent) }
            let args = mutate(Self.bases[Int(rng.next() % UInt64(Self.bases.count))], &rng)
                .map { $0.replacingOccurrences(of: "OUT", with: parent + "/out") }
            let (status, stderr, signaled) = try launch(args, in: parent)
            outcome.runs += 1
            var problems: [String] = []
            if signaled { problems.append("ended by signal \(status)") }
            else if status == 0 { outcome.ok += 1 }
            else if status == 2 { outcome.rejected += 1 }
            else if status == 124 { problems.append("hang (killed after \(Int(timeout)) s)") }
            else { problems.append("exit status \(status)") }
            let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false)
            // The error contract (`ErrorLine`): exit 2 means exactly one line, `error: …`.
            if status == 2 && !signaled && !(lines.count == 2 && lines[1].isEmpty && lines[0].hasPrefix("error: ")) {
                problems.append("stderr is not one error line: \(stderr.prefix(300).debugDescription)")
            }
            let left = ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []).filter { $0 != "out" || status != 0 }
            if left.contains(where: { $0.hasPrefix(".") && $0.contains(".tmp-") }) { problems.append("left a temporary: \(left)") }
            if status == 2 && !left.isEmpty { problems.append("failed but created \(left)") }
            if !problems.isEmpty {
                outcome.failures += 1
                let record = "\(findings)/flags-seed-\(seed)-run-\(i).txt"
                let text = "augur " + args.map { $0.debugDescription }.joined(separator: " ") + "\n" + problems.joined(separator: "\n") + "\n"
                _ = FileManager.default.createFile(atPath: record, contents: Data(text.utf8))
                printError("flags run \(i): \(problems.joined(separator: "; ")) (command in \(record))")
            }
        }
        outcome.seconds = ProcessInfo.processInfo.systemUptime - start
        print("flags".padding(toLength: 10, withPad: " ", startingAt: 0)
              + String(format: "%10d %10d %10d %9d   (%.1f runs/s)", outcome.runs, outcome.ok, outcome.rejected, outcome.failures,
                       Double(outcome.runs) / max(outcome.seconds, 1e-9)))
        return outcome
    }

    /// One to three edits: a value replaced, a flag dropped, a flag added, or two values swapped.
    func mutate(_ base: [String], _ rng: inout SeededGenerator) -> [String] {
        var a = base
        func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(rng.next() % UInt64(n)) }
        for _ in 0...below(3) {
            let values = a.indices.filter { $0 > 0 && !a[$0].hasPrefix("--") && !(a[0] == "trace" && $0 == 1) && !(a[0] == "cluster" && $0 == 1) }
            switch below(5) {
            case 0, 1:
                guard let i = values.randomElement(using: &rng) else { continue }
                a[i] = Self.values[below(Self.values.count)]
            case 2:
                let flags = a.indices.filter { a[$0].hasPrefix("--") }
                guard let i = flags.randomElement(using: &rng) else { continue }
                let n = i + 1 < a.count && !a[i + 1].hasPrefix("--") ? 2 : 1
                if !(a[i] == "--out" && below(2) == 0) { a.removeSubrange(i..<min(a.count, i + n)) }
            case 3:
                a += [Self.extraFlags[below(Self.extraFlags.count)], Self.values[below(Self.values.count)]]
            default:
                guard values.count >= 2 else { continue }
                let i = values[below(values.count)], j = values[below(values.count)]
                a.swapAt(i, j)
            }
        }
        return a
    }

    /// Runs the binary with `args` in `folder` (so a mutated relative --out lands there; Augur's
    /// own relative paths resolve under its installation root); kills it after `timeout`.
    func launch(_ args: [String], in folder: String) throws -> (status: Int32, stderr: String, signaled: Bool) {
        let p = Process()
        p.currentDirectoryURL = URL(fileURLWithPath: folder)
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        p.executableURL = FileManager.default.fileExists(atPath: exe.path) ? exe : URL(fileURLWithPath: CommandLine.arguments[0])
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        p.standardError = err
        try p.run()
        let timer = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        timer.cancel()
        if p.terminationReason == .uncaughtSignal {
            return p.terminationStatus == SIGTERM ? (124, text, false) : (p.terminationStatus, text, true)
        }
        return (p.terminationStatus, text, false)
    }
}
