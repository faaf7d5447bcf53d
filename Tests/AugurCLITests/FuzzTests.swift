import Foundation
import Testing
@testable import augur

/// The bounded fuzz run of CI: every parser gets a fixed number of seeded mutants (seed 18) in
/// this process, and each must be accepted or rejected with the parser's own error type, within
/// the hang bound. Sized so that the whole suite takes about two minutes in a debug build on two
/// cores; `augur fuzz` runs the long campaign (README, "Fuzzing").
@Suite(.serialized) struct FuzzTests {
    /// Inputs per parser (the slow ones get fewer).
    static let budget: [String: Int] = [
        "augur-trace": 1500, "philly": 1500, "itp": 1500, "alibaba": 1500, "gavel": 1500, "cluster-yaml": 800,
        "devices-yaml": 300, "onnx": 1000, "safetensors": 1000, "model-json": 150, "model-weights": 150, "model-efficiencies": 1000, "json-syntax": 1500,
    ]

    @Test(arguments: FuzzTarget.names) func parserSurvivesMutants(_ name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("augur-fuzz-test-\(name)-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let env = try FuzzEnvironment(scratch: scratch)
        var runner = FuzzRunner(target: target, env: env, seed: 18)
        runner.hangSeconds = 10
        #expect(!runner.corpus.isEmpty)
        let n = Self.budget[name] ?? 500
        var findings: [String] = []
        let (counts, next) = runner.run(from: 0, to: n) { findings.append("\($0.kind) at input \($0.index): \($0.message)") }
        #expect(next == n)
        #expect(counts.inputs == n)
        #expect(counts.accepted + counts.rejected == n, "\(findings.prefix(5))")
        #expect(counts.failures == 0, "\(findings.prefix(5))")
        if name != "json-syntax" { #expect(counts.accepted > 0, "no mutant of \(name) is accepted: the corpus or the harness is broken") }
        #expect(counts.rejected > 0)
    }

    @Test func mutantsAreDeterministic() throws {
        let target = try #require(FuzzTarget.named("augur-trace"))
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("augur-fuzz-test-det-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let env = try FuzzEnvironment(scratch: scratch)
        let a = FuzzRunner(target: target, env: env, seed: 7), b = FuzzRunner(target: target, env: env, seed: 7)
        for i in [0, 1, 99, 12345] { #expect(a.mutant(i) == b.mutant(i)) }
        #expect(a.mutant(1) != a.mutant(2))
    }
}

/// Reproducers of the fuzzer's findings, kept as tests.
@Suite struct FuzzFindingTests {
    /// `augur fuzz --parser philly` (seed 1, input 27444) and `--parser itp` (input 11796):
    /// an integer field of -9223372036854775808 made `abs` trap in `CSVTable.Row.int`.
    @Test func smallestIntegerIsRejectedNotATrap() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("augur-int-min-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = "timestamp,duration,num_gpus,gpu_time,cluster\n2017-10-09 06:13:03,2951.0,-9223372036854775808,2951.0,6214e9\n"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        let env = try FuzzEnvironment(scratch: path + ".d")
        defer { try? FileManager.default.removeItem(atPath: path + ".d") }
        let philly = try #require(FuzzTarget.named("philly"))
        let runner = FuzzRunner(target: philly, env: env, seed: 1)
        guard case .success(false) = runner.feed(Array(text.utf8)) else { Issue.record("not rejected with an InputError"); return }
        let itp = try #require(FuzzTarget.named("itp"))
        let itpText = "job_id,submission_time,duration,num_gpu\na,1,2,-9223372036854775808\n"
        guard case .success(false) = FuzzRunner(target: itp, env: env, seed: 1).feed(Array(itpText.utf8)) else { Issue.record("itp: not rejected"); return }
        let cluster = try #require(FuzzTarget.named("cluster-yaml"))
        let yaml = "name: x\nnode_groups:\n  - name: a\n    count: -9223372036854775808\n    device: v100-pcie-32gb\n    devices_per_node: 4\n"
        guard case .success(false) = FuzzRunner(target: cluster, env: env, seed: 1).feed(Array(yaml.utf8)) else { Issue.record("cluster: not rejected"); return }
    }
}
