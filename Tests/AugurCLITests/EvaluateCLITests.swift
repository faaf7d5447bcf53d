import ClusterKit
import Foundation
import Testing

@Suite(.serialized) struct EvaluateCLITests {
    static let args = ["evaluate", "--trace", "traces/philly-like-2k.csv", "--limit", "150", "--cluster", "clusters/default.yaml",
                       "--policies", "fifo+first-fit,srtf+hetero", "--predictors", "measured,noisy:0.3", "--seeds", "1-2", "--title", "t"]

    /// Two processes (with different thread counts) write byte-identical tables and reports;
    /// a second run into the same directory reuses every run.
    @Test func evaluationIsByteIdenticalAcrossProcessesAndResumes() throws {
        let a = CLI.temp("a"), b = CLI.temp("b")
        let ra = try CLI.run(Self.args + ["--out", a, "--threads", "1"])
        let rb = try CLI.run(Self.args + ["--out", b, "--threads", "2"])
        #expect(ra.status == 0 && rb.status == 0, "\(ra.stderr)\(rb.stderr)")
        // Identical but for the command line each file records (its --out and --threads).
        func body(_ path: String) throws -> String {
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.contains("Command: ") }.joined(separator: "\n")
        }
        for file in ["comparison.csv", "comparison.md", "report.html"] {
            #expect(try body("\(a)/\(file)") == body("\(b)/\(file)"), "\(file) differs")
        }
        #expect(ra.stdout.contains("| srtf+hetero | noisy:0.3 |"))
        #expect(ra.stderr.contains("[8/8]"))
        let again = try CLI.run(Self.args + ["--out", a])
        #expect(again.status == 0)
        #expect(again.stderr.contains("0 run(s) made, 8 kept from an earlier run"))
        let report = try String(contentsOfFile: "\(a)/report.html", encoding: .utf8)
        #expect(report.contains("<svg") && !report.contains("<script") && !report.contains("src=\"http"))
    }

    /// The README's main command, on one seed: every policy and predictor of the study runs.
    @Test func demoRunsItsStudy() throws {
        let out = CLI.temp("demo")
        let r = try CLI.run(["demo", "--seeds", "1", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        for row in ["| sjf+best-fit | measured |", "| srtf+hetero | gnn |", "| ftf+hetero | roofline |", "| las+hetero | user-estimate |"] {
            #expect(r.stdout.contains(row), "missing \(row)")
        }
        for file in ["comparison.csv", "comparison.md", "report.html", "evaluation.json"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(file)"), "missing \(file)")
        }
    }

    @Test func badFlagsAreOneErrorAndNoOutput() throws {
        let out = CLI.temp("bad")
        for (flags, needle) in [(["--policies", "lottery+first-fit"], "unknown scheduler 'lottery'"),
                                (["--predictors", "measured,oracle"], "unknown predictor 'oracle'"),
                                (["--seeds", "3-1"], "'3-1' is not a seed"),
                                (["--predictors", "gnn:/nonexistent/model"], "/nonexistent/model")] {
            var args = Self.args
            for (i, f) in stride(from: 0, to: flags.count, by: 2).map({ ($0, flags[$0]) }) {
                if let k = args.firstIndex(of: f) { args[k + 1] = flags[i + 1] }
            }
            let r = try CLI.run(args + ["--out", out])
            #expect(r.status != 0)
            #expect(r.stderr.contains(needle), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out + "/comparison.csv") && !FileManager.default.fileExists(atPath: out + "/runs"))
        }
        let both = try CLI.run(["evaluate", "--trace", "x.csv", "--generate-jobs", "10", "--cluster", "clusters/default.yaml", "--out", out])
        #expect(both.status != 0 && both.stderr.contains("exclude each other"))
    }
}

/// `augur simulate --mechanism gavel`: Gavel's policy names, and `summary.json` with Gavel's metrics.
@Suite struct GavelMechanismCLITests {
    @Test func gavelMechanismWritesGavelsMetrics() throws {
        let trace = DataRoot.resolve().path + "/datasets/gavel-reference/static_single_n100/static_single_n100.trace"
        guard FileManager.default.fileExists(atPath: trace) else { return }
        let out = CLI.temp("gavel")
        let r = try CLI.run(["simulate", "--trace", trace, "--cluster", "clusters/gavel.yaml", "--mechanism", "gavel",
                             "--scheduler", "fifo_perf", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("avg JCT 51414.439 s"), "\(r.stdout)")
        let summary = try String(contentsOfFile: out + "/summary.json", encoding: .utf8)
        #expect(summary.contains("\"avg_jct_s\": 51414.4386") && summary.contains("\"makespan_s\": 445880.5205"), "\(summary)")
        let jobs = try String(contentsOfFile: out + "/jobs.csv", encoding: .utf8)
        #expect(jobs.hasPrefix("job_id,arrival_s,completion_s,jct_s,rounds_v100,rounds_p100,rounds_k80,rounds_colocated\n"), "\(jobs.prefix(120))")
    }
}
