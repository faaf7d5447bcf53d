import Foundation
import Testing

/// Runs the built `augur` binary as a separate process, from the package root.
enum CLI {
    static let binary: URL = {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = runner.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("augur").path) && dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("augur")
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the debug `augur`; `environment` adds to (or overrides) this process's variables.
    static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// One scratch folder for this test process, removed when it exits (the CLI tests make
    /// hundreds of folders; none should outlive the run).
    static let scratch: URL = {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory() + "augur-cli-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "augur-cli-tests-\(getpid())") }
        return dir
    }()

    static func temp(_ name: String) -> String {
        let dir = scratch.appendingPathComponent(UUID().uuidString)
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    static func write(_ text: String, _ name: String) -> String {
        let path = temp(name)
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }
}

@Suite(.serialized) struct CLITests {
    static let header = "job_id,submit_s,model,batch_size,mode,precision,iterations,duration_s,reference_device,gpus,gpu_fraction,priority,deadline_s,device_constraint,user_estimate_s\n"

    @Test func summaryIsByteIdenticalAcrossProcesses() throws {
        let a = CLI.temp("a"), b = CLI.temp("b")
        for out in [a, b] {
            let r = try CLI.run(["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", "clusters/default.yaml", "--scheduler", "las",
                                 "--placement", "hetero", "--predictor", "noisy:0.3", "--seed", "5", "--limit", "400", "--out", out])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let sa = try Data(contentsOf: URL(fileURLWithPath: a + "/summary.json"))
        let sb = try Data(contentsOf: URL(fileURLWithPath: b + "/summary.json"))
        #expect(sa == sb)
        #expect(try Data(contentsOf: URL(fileURLWithPath: a + "/jobs.csv")) == Data(contentsOf: URL(fileURLWithPath: b + "/jobs.csv")))
        let summary = try JSONSerialization.jsonObject(with: sa) as! [String: Any]
        for key in ["jobs", "completed", "oom_failures", "avg_jct_s", "p99_jct_s", "makespan_s", "gpu_utilization"] {
            #expect(summary[key] != nil, "summary.json lacks \(key)")
        }
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: a + "/run.json"))) as! [String: Any]
        let inputs = run["inputs"] as! [[String: Any]]
        #expect(inputs.allSatisfy { ($0["sha256"] as? String)?.count == 64 })
        #expect(run["seed"] as? Int == 5)
    }

    @Test func missingTraceFile() throws {
        let out = CLI.temp("out")
        let r = try CLI.run(["simulate", "--trace", "no/such.csv", "--cluster", "clusters/default.yaml", "--out", out])
        #expect(r.status != 0)
        #expect(r.stderr.contains("no/such.csv: no such file"))
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func malformedRowNamesFileLineAndField() throws {
        let trace = CLI.write(Self.header + "a,0,resnet50-imagenet,64,train,fp32,100,,,1,,0,,,\nb,zero,resnet50-imagenet,64,train,fp32,100,,,1,,0,,,\n", "bad.csv")
        let out = CLI.temp("out")
        let r = try CLI.run(["simulate", "--trace", trace, "--cluster", "clusters/default.yaml", "--out", out])
        #expect(r.status != 0)
        #expect(r.stderr.contains("bad.csv:3: submit_s:"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func unknownDeviceInClusterSpec() throws {
        let spec = CLI.write("name: x\nnode_groups:\n  - name: g\n    count: 1\n    device: v200-imaginary\n    devices_per_node: 4\n", "c.yaml")
        let r = try CLI.run(["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", spec])
        #expect(r.status != 0)
        #expect(r.stderr.contains("c.yaml:5: node_groups[0].device: unknown device 'v200-imaginary'"), "\(r.stderr)")
    }

    @Test func jobNoNodeCouldEverHold() throws {
        let trace = CLI.write(Self.header + "wide,0,resnet50-imagenet,64,train,fp32,100,,,64,,0,,,\n", "wide.csv")
        let r = try CLI.run(["simulate", "--trace", trace, "--cluster", "clusters/default.yaml"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("job wide") && r.stderr.contains("could ever hold"), "\(r.stderr)")
    }

    @Test func badFlagsAreRejected() throws {
        let r = try CLI.run(["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", "clusters/default.yaml", "--scheduler", "lottery"])
        #expect(r.status != 0)
        let p = try CLI.run(["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", "clusters/default.yaml", "--predictor", "noisy:-1"])
        #expect(p.status != 0)
    }

    @Test func helpListsEveryChoice() throws {
        let r = try CLI.run(["simulate", "--help"])
        for choice in ["fifo", "sjf", "srtf", "las", "max-min-fairness", "ftf", "first-fit", "best-fit", "hetero", "pack", "pack-upper",
                       "measured", "user-estimate", "noisy:SIGMA", "philly", "itp", "alibaba", "gavel"] {
            #expect(r.stdout.contains(choice), "--help lacks \(choice)")
        }
    }

    @Test func doctorReportsJemallocInUse() throws {
        let r = try CLI.run(["doctor"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("jemalloc 5.") && r.stdout.contains("malloc and Swift allocations counted by jemalloc"), "\(r.stdout)")
    }
}
