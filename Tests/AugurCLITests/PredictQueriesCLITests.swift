import Foundation
import Testing

/// `augur predict` on real models by name and many queries at once, with the default model.
@Suite struct PredictQueriesCLITests {
    @Test func namedModelsAndNovelty() throws {
        let p = try CLI.run(["predict", "resnet50-r320", "--device", "a100-sxm4-40gb", "--batch", "16", "--mode", "train"])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(p.stdout.contains("time per iteration") && p.stdout.contains("possible range") && p.stdout.contains("training range"))
        let zoo = try CLI.run(["predict", "densenet121", "--device", "pixel3"])
        #expect(zoo.status == 0 && zoo.stdout.contains("time per iteration"), "\(zoo.stderr)")
        // TF32: the FP32 roofline of a CNN on an A100 counts its convolutions at the TF32 peak;
        // `tf32` counts matrix products there too; a V100 has no TF32.
        func roofline(_ args: [String]) throws -> String {
            let r = try CLI.run(["predict", "resnet50", "--batch", "64", "--mode", "train"] + args)
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout.split(separator: "\n").first { $0.hasPrefix("roofline") }.map(String.init) ?? ""
        }
        let v100 = try roofline(["--device", "v100-sxm2-16gb"]), v100tf32 = try roofline(["--device", "v100-sxm2-16gb", "--precision", "tf32"])
        #expect(!v100.isEmpty && v100 == v100tf32)
        #expect(try roofline(["--device", "a100-sxm4-40gb"]) != roofline(["--device", "a100-sxm4-40gb", "--precision", "fp16"]))
        let mixed = try CLI.run(["predict", "--queries", "q.csv", "--out", "a.csv", "--precision", "tf32"])
        #expect(mixed.status == 2 && mixed.stderr.contains("--precision"))
        let bad = try CLI.run(["predict", "no-such-net", "--device", "t4"])
        #expect(bad.status == 2 && bad.stderr.contains("no-such-net") && bad.stdout.isEmpty)
    }

    /// A GPU the default model never trained on (the H200) is answered from the H100 SXM's
    /// measurement of the same workload (Lambda's ResNet-50 at batch 640 in FP32 with TF32), and
    /// `predict` says so; `--unseen-device specs` reads its specs alone; a trained GPU is
    /// answered the same either way.
    @Test func unseenDevicesNameTheirAnchor() throws {
        func time(_ r: CLI.Result) -> String {
            r.stdout.split(separator: "\n").first { $0.hasPrefix("time per iteration") }.map(String.init) ?? ""
        }
        let query = ["predict", "resnet50", "--device", "h200-sxm-141gb", "--batch", "640", "--mode", "train", "--precision", "tf32"]
        let near = try CLI.run(query)
        #expect(near.status == 0, "\(near.stderr)")
        #expect(near.stdout.contains("answered from h100-sxm-80gb's measurement"), "\(near.stdout)")
        let specs = try CLI.run(query + ["--unseen-device", "specs"])
        #expect(specs.status == 0 && !specs.stdout.contains("measurement of this workload"), "\(specs.stderr)")
        #expect(!time(near).isEmpty && time(near) != time(specs))
        let a = try CLI.run(["predict", "resnet50", "--device", "a100-sxm4-40gb"]), b = try CLI.run(["predict", "resnet50", "--device", "a100-sxm4-40gb", "--unseen-device", "specs"])
        #expect(a.status == 0 && a.stdout == b.stdout && !a.stdout.contains("measurement of this workload"))
        // Many queries: the CSV names the measuring device of each such answer.
        let q = CLI.write("graph,device,batch,mode,precision\nresnet50,h200-sxm-141gb,640,train,tf32\nresnet50,h100-sxm-80gb,640,train,tf32\n", "unseen.csv")
        let out = CLI.temp("unseen-answers.csv")
        let r = try CLI.run(["predict", "--queries", q, "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let column = try #require(rows.first?.firstIndex(of: "time_measured_on"))
        #expect(rows.count == 3 && rows[1][column] == "h100-sxm-80gb" && rows[2][column] == "")
    }

    @Test func queriesAnswerEveryRowAndCountTheBadOnes() throws {
        let q = CLI.write("""
            graph,device,batch,mode,precision
            resnet18,t4,8,train,fp16
            nb201:|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|,pixel3,1,infer,fp32
            resnet18,no-such-device,1,infer,fp32
            resnet18,t4,0,infer,fp32
            mobilenet_v2,a100-sxm4-40gb,4,sideways,fp32
            Tests/ModelGraphTests/Resources/resnet50.onnx,t4,8,infer,fp32
            """, "q.csv")
        let out = CLI.temp("a.csv")
        let r = try CLI.run(["predict", "--queries", q, "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("answered 2 of 6 queries") && r.stderr.contains("4 rows not answered"))
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 7 && lines[0].hasPrefix("line,graph,device,batch,mode,precision,time_ms"))
        #expect(lines[3].contains("no-such-device") && lines[3].hasSuffix("the model was trained or adapted on"))
        #expect(lines[4].contains("batch") && lines[5].contains("not train or infer"))
        #expect(lines[6].contains("cannot take batch 8"), "a fixed-batch ONNX file is not answered at another batch")
        // The same queries give the same bytes.
        let again = CLI.temp("b.csv")
        _ = try CLI.run(["predict", "--queries", q, "--out", again])
        #expect(FileManager.default.contents(atPath: out) == FileManager.default.contents(atPath: again))
        // A file without the required columns is one error, exit 2, no output.
        let broken = CLI.write("graph,batch\nresnet18,1\n", "broken.csv")
        let none = CLI.temp("none.csv")
        let e = try CLI.run(["predict", "--queries", broken, "--out", none])
        #expect(e.status == 2 && e.stderr.contains("broken.csv") && e.stderr.contains("device"))
        #expect(!FileManager.default.fileExists(atPath: none))
        let flags = try CLI.run(["predict", "--queries", q])
        #expect(flags.status != 0 && flags.stderr.contains("--out"))
    }

    /// The `attention` column: `fused` fuses the graph's attention (`--fuse-attention` for one
    /// graph): the same BERT-base rows answer with a lower prior; a bad value is that row's error.
    @Test func attentionColumnFusesAttention() throws {
        let q = CLI.write("""
            graph,device,batch,mode,precision,attention
            bert-base-s128,a100-sxm4-40gb,8,train,fp16,
            bert-base-s128,a100-sxm4-40gb,8,train,fp16,fused
            bert-base-s128,a100-sxm4-40gb,8,train,fp16,flash
            """, "attention.csv")
        let out = CLI.temp("attention-answers.csv")
        let r = try CLI.run(["predict", "--queries", q, "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("answered 2 of 3 queries"))
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let prior = try #require(header.firstIndex(of: "prior_ms"))
        let priors = lines[1...2].map { Double($0.split(separator: ",", omittingEmptySubsequences: false)[prior]) ?? 0 }
        #expect(priors[1] > 0 && priors[1] < priors[0], "\(priors)")
        #expect(lines[3].contains("not as-built or fused"))
        // One graph: the flag gives the fused row's prior.
        let one = try CLI.run(["predict", "bert-base-s128", "--device", "a100-sxm4-40gb", "--batch", "8", "--mode", "train",
                               "--precision", "fp16", "--fuse-attention"])
        #expect(one.status == 0 && one.stdout.contains("fused kernels       12"), "\(one.stderr)")
    }
}
