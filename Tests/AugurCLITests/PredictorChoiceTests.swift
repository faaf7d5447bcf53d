import ClusterKit
import ClusterSimulation
import Testing
@testable import augur

/// The CLI's one typed predictor choice: every spelling parses once to its kind and keeps its text
/// as the label runs and tables use; bad spellings are one `--predictor` error.
@Suite struct PredictorChoiceTests {
    @Test func everySpellingParsesToItsKindAndKeepsItsText() throws {
        let cases: [(String, PredictorChoice.Kind)] = [
            ("measured", .measured), ("user-estimate", .userEstimate), ("noisy:0.3", .noisy(sigma: 0.3)), ("noisy:0", .noisy(sigma: 0)),
            ("roofline", .roofline), ("gnn", .gnn(directory: "models/default")), ("gnn:models/x", .gnn(directory: "models/x")),
        ]
        for (text, kind) in cases {
            let c = try PredictorChoice(parsing: text)
            #expect(c.kind == kind && c.label == text && c.description == text)
            #expect(PredictorChoice(argument: text) == c)
            #expect(c.fingerprint() == nil || text.hasPrefix("gnn"))
        }
        #expect(try PredictorChoice.list("measured,noisy:0.3,gnn", data: DataRoot(path: "x")).map(\.label) == ["measured", "noisy:0.3", "gnn"])
        #expect(try PredictorChoice(parsing: "gnn").fingerprint()?.hasPrefix("model gnn ") == true)
    }

    @Test func badSpellingsAreOneErrorNamingTheFlag() {
        for (text, needle) in [("noisy:-1", "noisy needs a σ"), ("noisy:1e308", "noisy needs a σ"), ("noisy:x", "noisy needs a σ"),
                               ("roofline:x", "roofline takes no argument"), ("gnn:", "gnn takes a model directory"),
                               ("bogus", "unknown predictor 'bogus'"), ("foo:bar", "unknown predictor kind 'foo'"), ("", "unknown predictor")] {
            do {
                _ = try PredictorChoice(parsing: text)
                Issue.record("'\(text)' was accepted")
            } catch let e as InputError {
                #expect(e.file == "--predictor" && e.reason.contains(needle) && !e.description.contains("\n"), "\(e)")
            } catch {
                Issue.record("\(error)")
            }
            #expect(PredictorChoice(argument: text) == nil)
        }
    }
}
