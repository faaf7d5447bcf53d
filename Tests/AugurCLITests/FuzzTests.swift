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
        "devices-yaml": 300, "onnx": 1000, "safetensors": 1000, "model-json": 150, "model-weights": 150, "json-syntax": 1500,
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

