import Foundation
import Testing

/// `augur train`, `eval`, `adapt` and `predict` end to end on a tiny latency table, and their
/// errors on bad input.
@Suite(.serialized) struct PredictorCLITests {
    static let archs = [
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|",
        "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|",
        "|none~0|+|skip_connect~0|none~1|+|skip_connect~0|none~1|nor_conv_1x1~2|",
        "|nor_conv_1x1~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|avg_pool_3x3~2|",
        "|nor_conv_3x3~0|+|none~0|none~1|+|avg_pool_3x3~0|nor_conv_3x3~1|none~2|",
        "|skip_connect~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_3x3~0|skip_connect~1|nor_conv_1x1~2|",
        "|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|avg_pool_3x3~0|skip_connect~1|nor_conv_3x3~2|",
        "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|",
        "|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_1x1~0|nor_conv_1x1~1|nor_conv_1x1~2|",
        "|avg_pool_3x3~0|+|avg_pool_3x3~0|nor_conv_3x3~1|+|none~0|nor_conv_3x3~1|nor_conv_1x1~2|",
    ]

    static func table() -> String {
        var text = "arch_index,arch,1080ti_32,pixel3\n"
        for (i, a) in archs.enumerated() {
            text += "\(i),\"\(a)\",\(String(format: "%.3f", 3 + Double(i % 4) * 1.7)),\(String(format: "%.3f", 12 + Double((i * 7) % 5) * 3.1))\n"
        }
        return text
    }

    @Test func trainEvalAdaptPredict() throws {
        let data = CLI.write(Self.table(), "lat.csv")
        let model = CLI.temp("model")
        let t = try CLI.run(["train", "--data", data, "--model", "sage", "--hidden", "8", "--layers", "1", "--epochs", "3", "--out", model])
        #expect(t.status == 0, "\(t.stderr)")
        #expect(t.stdout.contains("epoch   1"))
        #expect(FileManager.default.fileExists(atPath: model + "/weights.safetensors"))
        let e = try CLI.run(["eval", "--model", model, "--data", data, "--json"])
        #expect(e.status == 0, "\(e.stderr)")
        #expect(e.stdout.contains("\"mape\""))
        // --rows: one CSV row per sample, what was measured beside what was predicted.
        let rows = CLI.temp("rows.csv")
        let r = try CLI.run(["eval", "--model", model, "--data", data, "--rows", rows])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOfFile: rows, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "model,family,device,batch,mode,precision,measured_ms,predicted_ms,prior_ms,lower_ms,upper_ms")
        #expect(lines.count > 1 && lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 11 })
        // A device neither the catalog nor the model knows: its samples are skipped and counted.
        let mixed = CLI.write("arch,1080ti_32,zz_board\n" + Self.archs.prefix(4).map { "\"\($0)\",4.2,9.9" }.joined(separator: "\n") + "\n", "mixed.csv")
        let m = try CLI.run(["eval", "--model", model, "--data", mixed])
        #expect(m.status == 0, "\(m.stderr)")
        #expect(m.stderr.contains("skipped 4 samples") && m.stderr.contains("zz_board"), "\(m.stderr)")
        let samples = CLI.write("arch,myboard\n" + Self.archs.prefix(4).map { "\"\($0)\",7.5" }.joined(separator: "\n") + "\n", "shots.csv")
        let adapted = CLI.temp("adapted")
        let a = try CLI.run(["adapt", "--model", model, "--samples", samples, "--device", "myboard", "--out", adapted, "--steps", "20"])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stdout.contains("not in the catalog"))
        #expect(a.stdout.contains("by reference to") && a.stdout.contains("no interval (fewer than 9 samples)"))
        let tuned = CLI.temp("tuned")
        let f = try CLI.run(["adapt", "--model", model, "--samples", samples, "--device", "myboard", "--out", tuned, "--method", "finetune", "--steps", "20"])
        #expect(f.status == 0, "\(f.stderr)")
        #expect(f.stdout.contains("fine-tuned (head)"))
        let one = CLI.write("arch,myboard\n\"\(Self.archs[0])\",7.5\n", "one-shot.csv")
        let never = CLI.temp("never-adapted")
        let tooFew = try CLI.run(["adapt", "--model", model, "--samples", one, "--device", "myboard", "--out", never])
        #expect(tooFew.status != 0 && tooFew.stderr.contains("one-shot.csv") && tooFew.stderr.contains("at least 2 samples"))
        #expect(!FileManager.default.fileExists(atPath: never))
        let p = try CLI.run(["predict", "--nb201", Self.archs[0], "--device", "myboard", "--model", adapted])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(p.stdout.contains("time per iteration"))
        let sim = try CLI.run(["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", "clusters/default.yaml",
                               "--scheduler", "srtf", "--placement", "hetero", "--predictor", "gnn:" + model, "--limit", "40"])
        #expect(sim.status == 0, "\(sim.stderr)")
        #expect(sim.stdout.contains("gnn:"), "the summary names the swapped-in predictor")
        let unknown = try CLI.run(["predict", "--nb201", Self.archs[0], "--device", "myboard", "--model", model])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("myboard"))
    }

    @Test func badInputGetsOneClearErrorAndNoOutput() throws {
        let out = CLI.temp("never")
        let noData = try CLI.run(["train", "--model", "sage", "--out", out])
        #expect(noData.status != 0 && noData.stderr.contains("--data"))
        let badModel = try CLI.run(["train", "--data", "nb201", "--model", "transformer", "--out", out])
        #expect(badModel.status != 0)
        let damaged = CLI.write("arch,pixel3\n|conv~0|,3\n", "bad.csv")
        let r = try CLI.run(["train", "--data", damaged, "--out", out])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.csv:2"))
        #expect(!FileManager.default.fileExists(atPath: out), "no partial output")
        let table = CLI.write(Self.table(), "targets.csv")
        let unmeasured = try CLI.run(["train", "--data", table, "--targets", "time,utilization", "--out", out])
        #expect(unmeasured.status == 2 && unmeasured.stderr.contains("utilization"), "\(unmeasured.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out), "no partial output")
        let missing = try CLI.run(["eval", "--model", "/nonexistent/model", "--data", damaged])
        #expect(missing.status == 2 && missing.stderr.contains("/nonexistent/model"))
        let junk = CLI.temp("junk")
        try FileManager.default.createDirectory(atPath: junk, withIntermediateDirectories: true)
        try Data("not json".utf8).write(to: URL(fileURLWithPath: junk + "/model.json"))
        let j = try CLI.run(["predict", "--nb201", Self.archs[0], "--device", "pixel3", "--model", junk])
        #expect(j.status == 2 && j.stderr.contains("model.json"))
        let sim = try CLI.run(["simulate", "--trace", "traces/philly-like-2k.csv", "--cluster", "clusters/default.yaml", "--predictor", "gnn:/nonexistent/model", "--limit", "10"])
        #expect(sim.status == 2 && sim.stderr.contains("/nonexistent/model"))
    }
}
