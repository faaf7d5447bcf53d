import Foundation
import Testing

/// GNN answers do not depend on the OpenBLAS kernel set: the same queries, and the same
/// evaluation, in two processes whose OpenBLAS runs different kernels (AVX2 `Haswell` and the
/// SSE3 fallback `Prescott`) give the same bytes.
@Suite(.serialized) struct KernelIndependenceCLITests {
    static let coreTypes = ["Haswell", "Prescott"]

    /// The model's unrounded answers (17 significant digits: every bit of a Double) for a few
    /// zoo graphs, several batched together, are identical under both kernel sets.
    @Test func rawGNNAnswersAreBitIdenticalUnderTwoBLASKernelSets() throws {
        let q = CLI.write("""
            graph,device,batch,mode,precision
            resnet18,t4,8,train,fp16
            resnet50-r320,a100-sxm4-40gb,16,train,fp32
            densenet121,pixel3,1,infer,fp32
            mobilenet_v2,a100-sxm4-40gb,4,infer,fp32
            nb201:|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|,pixel3,1,infer,fp32
            resnet18,t4,64,infer,bf16
            """, "q.csv")
        var files: [Data] = []
        for core in Self.coreTypes {
            let out = CLI.temp("\(core).csv")
            let r = try CLI.run(["predict", "--queries", q, "--out", out, "--exact"], environment: ["OPENBLAS_CORETYPE": core])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("answered 6 of 6 queries") && r.stdout.contains("BLAS core: \(core)"), "\(r.stdout)")
            files.append(try Data(contentsOf: URL(fileURLWithPath: out)))
        }
        #expect(files[0] == files[1], "raw answers differ between OpenBLAS kernel sets")
        // Every figure carries its 17 digits (the comparison is of the unrounded answers).
        let row = String(decoding: files[0], as: UTF8.self).split(separator: "\n")[1].split(separator: ",")
        #expect(row[6].filter(\.isNumber).count >= 16, "\(row)")
    }

    /// `augur evaluate` with the GNN predictor writes the same table and run files under both
    /// kernel sets. Each process runs in its own directory with the same relative `--out`, so
    /// that even the command line the files record is the same. Small (20 NAS-Bench-201 jobs,
    /// one policy, one seed: about 7 s a process in the debug build, nearly all GNN inference).
    @Test func evaluationWithGNNIsByteIdenticalUnderTwoBLASKernelSets() throws {
        let root = FileManager.default.currentDirectoryPath
        var outs: [String] = []
        for core in Self.coreTypes {
            let dir = CLI.temp(core)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let r = try CLI.run(["evaluate", "--generate-jobs", "20", "--families", "nb201", "--cluster", "\(root)/clusters/default.yaml", "--devices", "\(root)/clusters/devices.yaml",
                                 "--policies", "srtf+hetero", "--predictors", "measured,gnn:\(root)/models/default", "--seeds", "1",
                                 "--threads", "1", "--title", "t", "--out", "out"],
                                in: dir, environment: ["OPENBLAS_CORETYPE": core])
            #expect(r.status == 0, "\(r.stderr)")
            outs.append(dir + "/out")
        }
        let runs = try FileManager.default.contentsOfDirectory(atPath: outs[0] + "/runs").sorted()
        #expect(!runs.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outs[1] + "/runs").sorted() == runs)
        for file in ["comparison.csv"] + runs.map({ "runs/" + $0 }) {
            let a = try Data(contentsOf: URL(fileURLWithPath: "\(outs[0])/\(file)"))
            let b = try Data(contentsOf: URL(fileURLWithPath: "\(outs[1])/\(file)"))
            #expect(a == b, "\(file) differs between OpenBLAS kernel sets")
        }
        let table = try String(contentsOfFile: outs[0] + "/comparison.csv", encoding: .utf8)
        #expect(table.contains("gnn"), "\(table)")
    }
}
