import Foundation
import Testing

/// Issue 18's error contract: every bad input or flag of every subcommand exits 2 with one
/// line on stderr, `error: …`, control characters escaped and long values cut; nothing is
/// left behind in an output folder.
@Suite(.serialized) struct ErrorContractTests {
    /// Every leaf subcommand and the arguments it needs to get as far as flag parsing.
    static let subcommands: [[String]] = [
        ["demo"], ["simulate"], ["gavel-reference"], ["evaluate"], ["train"], ["eval"], ["adapt"], ["remember"], ["predict"], ["experiment"],
        ["bench", "sim"], ["bench", "predictor"], ["trace", "generate"], ["trace", "convert"], ["cluster", "alibaba"],
        ["cluster", "show"], ["calibrate", "interference"], ["doctor"],
    ]

    static func expectOneLineError(_ r: CLI.Result, containing text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 2, "exit status \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        #expect(lines.count == 1, "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(lines.first?.hasPrefix("error: ") == true, "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(text), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(!r.stderr.contains("\r"), sourceLocation: sourceLocation)
    }

    @Test(arguments: subcommands)
    func unknownFlagIsOneLineAndExitTwo(command: [String]) throws {
        // A subcommand with required arguments may name the first one missing instead.
        let r = try CLI.run(command + ["--no-such-flag"])
        Self.expectOneLineError(r, containing: "error: ")
    }

    @Test(arguments: [
        (["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", "clusters/default.yaml", "--restore-seconds", "nan"], "--restore-seconds"),
        (["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", "clusters/default.yaml", "--restore-seconds", "1e12"], "--restore-seconds"),
        (["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", "clusters/default.yaml", "--node-failures", "1:inf"], "--node-failures"),
        (["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", "clusters/default.yaml", "--predictor", "noisy:1e308"], "noisy"),
        (["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", "clusters/default.yaml", "--predictor", "roofline:x"], "roofline takes no argument"),
        (["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", "clusters/default.yaml", "--predictor", "bogus"], "unknown predictor"),
        (["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", "clusters/default.yaml", "--limit", "0"], "--limit"),
        (["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", "clusters/default.yaml", "--scheduler", "fifo_perf"], "add --mechanism gavel"),
        (["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", "clusters/default.yaml", "--mechanism", "gavel", "--scheduler", "las"], "runs Gavel's policies"),
        (["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", "clusters/default.yaml", "--mechanism", "gavel", "--scheduler", "fifo_packed", "--placement", "pack"], "--placement is not used by --mechanism gavel"),
        (["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", "clusters/default.yaml", "--scheduler", "lottery"], "--scheduler"),
        (["simulate", "--trace", "no-such.csv", "--cluster", "clusters/default.yaml"], "no-such.csv: no such file"),
        (["evaluate", "--generate-jobs", "10", "--rate", "1e-300", "--cluster", "clusters/default.yaml", "--policies", "fifo+first-fit",
          "--predictors", "measured", "--out", "x"], "--rate"),
        (["trace", "generate", "--duration-scale", "1e300", "--out", "x.csv"], "--duration-scale"),
        (["predict", "resnet50", "--device", "no-such-gpu"], "no-such-gpu"),
        (["predict", "resnet50", "--device", "a100-sxm4-40gb", "--model", "no-such-model"], "no-such-model"),
        (["cluster", "show", "no-such.yaml"], "no-such.yaml"),
        (["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", "clusters/default.yaml", "--families", "nope"], "unknown family 'nope'"),
        (["bench", "sim", "--families", "nope"], "unknown family 'nope'"),
        (["bench", "sim", "--predictor", "bogus"], "unknown predictor"),
        (["train", "--data", "nb201", "--family-balance", "2", "--out", "x"], "--family-balance"),
        (["experiment", "gpus", "--family-balance", "nan"], "--family-balance"),
        (["experiment", "gpus", "--ensemble", "0"], "--ensemble"),
        (["train", "--data", "nb201", "--weight-average", "0", "--out", "x"], "--weight-average"),
        (["experiment", "families", "--weight-average", "inf"], "--weight-average"),
        (["predict", "resnet50", "--device", "t4", "--unseen-device", "nearest"], "--unseen-device"),
        (["experiment", "gpus", "--unseen-device", "x"], "--unseen-device"),
        (["experiment", "nb201", "--ensemble", "3"], "--ensemble applies to the families and gpus studies"),
        (["eval", "--model", "models/default", "--data", "nb201", "--rows", ""], "--rows"),
        (["predict", "--queries", "q.csv", "--out", "a.csv", "--fuse-attention"], "--fuse-attention"),
    ])
    func badValuesAreOneLineAndExitTwo(arguments: [String], mention: String) throws {
        Self.expectOneLineError(try CLI.run(arguments), containing: mention)
    }

    @Test func controlCharactersAreEscapedAndLongValuesCut() throws {
        let huge = String(repeating: "x", count: 3_000_000)
        let trace = CLI.write(CLITests.header + "a,\r\u{1B}[2J\(huge),m,1,train,fp32,10,,,1,,0,,,\n", "hostile.csv")
        let r = try CLI.run(["simulate", "--trace", trace, "--cluster", "clusters/default.yaml"])
        Self.expectOneLineError(r, containing: "hostile.csv:2")
        #expect(!r.stderr.contains("\u{1B}"))
        #expect(r.stderr.utf8.count < 1200, "\(r.stderr.utf8.count) bytes")
    }

    @Test func hugeClusterIsRejectedBeforeAllocating() throws {
        let spec = CLI.write("name: big\nnode_groups:\n  - name: g\n    count: 1\n    device: v100-sxm2-16gb\n    devices_per_node: 1000000000000\n", "big.yaml")
        let r = try CLI.run(["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", spec, "--limit", "10"])
        Self.expectOneLineError(r, containing: "devices_per_node: 1000000000000 is beyond the limit of 1024")
    }

    static let small = ["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", "clusters/default.yaml", "--limit", "20"]

    @Test func outMustBeAFolder() throws {
        Self.expectOneLineError(try CLI.run(Self.small + ["--out", ""]), containing: "--out")
        let file = CLI.write("keep", "a-file")
        Self.expectOneLineError(try CLI.run(Self.small + ["--out", file]), containing: "is a file")
        let parent = (file as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["a-file"])
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep")
    }

    @Test func unwritableOutLeavesNothing() throws {
        let r = try CLI.run(Self.small + ["--out", "/proc/augur-cannot-write-here"])
        Self.expectOneLineError(r, containing: "/proc/augur-cannot-write-here")
    }

    @Test func concurrentRunsToOneFolderEndWithOneCompleteResult() throws {
        let out = CLI.temp("race")
        let parent = (out as NSString).deletingLastPathComponent
        let results = ThreadSafeBox<[Int32]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let status = (try? CLI.run(Self.small + ["--out", out]))?.status ?? -1
            results.mutate { $0.append(status) }
        }
        #expect(results.value == [0, 0, 0, 0])
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["race"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["jobs.csv", "run.json", "summary.json"])
    }

    @Test func runsFromAnotherDirectory() throws {
        let elsewhere = (CLI.temp("x") as NSString).deletingLastPathComponent
        let trace = FileManager.default.currentDirectoryPath + "/traces/philly-like-2k.csv"
        let r = try CLI.run(["simulate", "--trace", trace, "--cluster", "clusters/default.yaml", "--limit", "20", "--predictor", "gnn",
                             "--out", "here"], in: elsewhere)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: elsewhere + "/here/summary.json"))
        let doctor = try CLI.run(["doctor"], in: elsewhere)
        #expect(doctor.stdout.contains("default model    \(FileManager.default.currentDirectoryPath)/models/default (installation)"), "\(doctor.stdout)")
    }

    @Test func helpAndVersionExitZero() throws {
        #expect(try CLI.run(["--version"]).status == 0)
        #expect(try CLI.run(["simulate", "--help"]).status == 0)
    }
}

/// A value shared between threads of a test.
final class ThreadSafeBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T { lock.lock(); defer { lock.unlock() }; return stored }
    func mutate(_ f: (inout T) -> Void) { lock.lock(); defer { lock.unlock() }; f(&stored) }
}
