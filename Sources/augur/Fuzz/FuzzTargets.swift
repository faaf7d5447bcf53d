import ClusterKit
import Foundation
import ModelGraph
import PerfModels
import Tensors

/// What the parsers under fuzz share: the device catalog, a small workload catalog, a scratch
/// folder the path-based parsers read their mutant from, and where the seed corpora are.
final class FuzzEnvironment {
    let scratch: String
    let catalog: DeviceCatalog
    let workloads: WorkloadCatalog
    let dataRoot: DataRoot
    /// The committed model whose files the model-directory targets keep beside the mutant.
    let modelJSON: [UInt8]
    let modelWeights: [UInt8]

    init(scratch: String, dataRoot: DataRoot = DataRoot.resolve()) throws {
        self.scratch = scratch
        self.dataRoot = dataRoot
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        catalog = try DeviceCatalog.load(path: "clusters/devices.yaml")
        // Production importers give each job a configuration; two entries, one of which only
        // fits jobs of up to 16 GPUs, so both the assignment and its rejection are reached.
        let a = ModelConfig(model: "resnet50", batchSize: 64, mode: .train, precision: .fp32)
        let b = ModelConfig(model: "nb201-0", batchSize: 32, mode: .infer, precision: .fp32)
        workloads = WorkloadCatalog(entries: [
            .init(config: a, family: "gavel", referenceDevice: "v100-pcie-32gb", devices: ["v100-pcie-32gb": 16]),
            .init(config: b, family: "nb201", referenceDevice: "v100-pcie-32gb", devices: ["v100-pcie-32gb": 8]),
        ])
        modelJSON = Self.read(Installation.resolve("models/default/model.json")) ?? []
        modelWeights = Self.read(Installation.resolve("models/default/weights.safetensors")) ?? []
    }

    static func read(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map { [UInt8]($0) } }

    /// The first `lines` lines of a file (a seed small enough to keep the fuzzer fast).
    static func head(_ path: String, lines: Int) -> [UInt8]? {
        guard let all = read(path) else { return nil }
        var n = 0
        for (i, b) in all.enumerated() where b == 0x0A {
            n += 1
            if n == lines { return Array(all[...i]) }
        }
        return all
    }

    /// Heads of the repository files under `folder` ending in `suffix`.
    func repoFiles(_ folder: String, suffix: String, lines: Int = 40, maxBytes: Int = .max) -> [[UInt8]] {
        let dir = Installation.resolve(folder)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
        return names.compactMap { name -> [UInt8]? in
            let path = dir + "/" + name
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil, size <= maxBytes else { return nil }
            return Self.head(path, lines: lines)
        }
    }

    /// Heads of public trace files under the data root (absent when the data root is).
    func shared(_ relatives: [String], lines: Int = 40) -> [[UInt8]] {
        relatives.compactMap { Self.head(dataRoot.file($0), lines: lines) }
    }

    func path(_ name: String) -> String { scratch + "/" + name }

    func write(_ bytes: [UInt8], to name: String) throws {
        let ok = bytes.withUnsafeBytes { FileManager.default.createFile(atPath: path(name), contents: Data($0)) }
        guard ok else { throw CocoaError(.fileWriteUnknown) }
    }
}

/// One parser under fuzz: its seed corpus and how one input is fed to it. `run` returns whether
/// the input was accepted; the parser's own error type means rejected; any other error is a
/// finding ("untyped"), as are crashes and hangs.
struct FuzzTarget {
    let name: String
    let summary: String
    let corpus: (FuzzEnvironment) -> [[UInt8]]
    let run: (FuzzEnvironment, [UInt8]) throws -> Bool
    let isTyped: (any Error) -> Bool

    static func named(_ name: String) -> FuzzTarget? { (all + [selfTest]).first { $0.name == name } }

    /// Checks the harness itself (not in `all`): a mutant whose first byte is 0x01 traps, one
    /// whose first byte is 0x02 loops for ever, one whose first byte is 0x03 throws an untyped error.
    static var selfTest: FuzzTarget {
        FuzzTarget(name: "self-test", summary: "the harness's own crash, hang and untyped-error paths",
                   corpus: { _ in [Array("abcdefgh".utf8)] },
                   run: { _, bytes in
                       switch bytes.first {
                       case 0x01: fatalError("self-test crash")
                       case 0x02: while ProcessInfo.processInfo.systemUptime > 0 { usleep(1000) }; return true
                       case 0x03: throw CocoaError(.featureUnsupported)
                       default:
                           guard bytes.count % 2 == 0 else { throw InputError(file: "self-test", reason: "odd") }
                           return true
                       }
                   }, isTyped: { $0 is InputError })
    }

    static let names: [String] = all.map(\.name)

    static var all: [FuzzTarget] {
        func inputError(_ e: any Error) -> Bool { e is InputError }
        /// A target whose parser reads a path: the mutant is written to a scratch file first.
        func file(_ name: String, _ summary: String, _ fileName: String, corpus: @escaping (FuzzEnvironment) -> [[UInt8]],
                  _ parse: @escaping (FuzzEnvironment, String) throws -> Void) -> FuzzTarget {
            FuzzTarget(name: name, summary: summary, corpus: corpus, run: { env, bytes in
                try env.write(bytes, to: fileName)
                try parse(env, env.path(fileName))
                return true
            }, isTyped: inputError)
        }
        return [
            file("augur-trace", "AugurTraceFormat.read (native CSV traces)", "trace.csv",
                 corpus: { $0.repoFiles("traces", suffix: ".csv") + [Array(Builtin.augurTrace.utf8)] }) { env, p in
                _ = try AugurTraceFormat.read(path: p, catalog: env.catalog)
            },
            file("philly", "PhillyImporter.read", "philly.csv",
                 corpus: { $0.shared(["traces/philly/philly.csv"]) + [Array(Builtin.philly.utf8)] }) { env, p in
                _ = try PhillyImporter.read(path: p, options: ProductionImport(catalog: env.workloads, seed: 1))
            },
            file("itp", "ITPImporter.read", "itp.csv",
                 corpus: { $0.shared(["traces/itp/cluster01.csv", "traces/itp/cluster05.csv"]) + [Array(Builtin.itp.utf8)] }) { env, p in
                _ = try ITPImporter.read(path: p, options: ProductionImport(catalog: env.workloads, seed: 1, skipUnassignable: true))
            },
            file("alibaba", "AlibabaImporter.read", "alibaba.csv",
                 corpus: { $0.shared(["traces/alibaba-gpu-2023/openb_pod_list_gpuspec33.csv", "traces/alibaba-gpu-2023/openb_pod_list_gpushare100.csv",
                                      "traces/alibaba-gpu-2023/openb_pod_list_multigpu50.csv"]) + [Array(Builtin.alibaba.utf8)] }) { env, p in
                _ = try AlibabaImporter.read(path: p, options: ProductionImport(catalog: env.workloads, seed: 1), devices: env.catalog)
            },
            file("gavel", "GavelImporter.read", "gavel.trace",
                 corpus: { $0.shared(["traces/gavel/physical_cluster/small_test.trace", "traces/gavel/physical_cluster/debug_v2.trace"]) + [Array(Builtin.gavel.utf8)] }) { _, p in
                _ = try GavelImporter.read(path: p)
            },
            file("cluster-yaml", "ClusterSpec.load (YAMLValue, Yams)", "cluster.yaml",
                 corpus: { env in env.repoFiles("clusters", suffix: ".yaml", lines: 200, maxBytes: 8000) }) { env, p in
                _ = try ClusterSpec.load(path: p, catalog: env.catalog)
            },
            file("devices-yaml", "DeviceCatalog.load", "devices.yaml",
                 corpus: { _ in Self.deviceSeeds() }) { _, p in
                _ = try DeviceCatalog.load(path: p)
            },
            FuzzTarget(name: "onnx", summary: "ONNXImporter.load(data:) (protobuf, shape inference), then fusingAttention()",
                       corpus: { env in
                           // Small zoo CNNs, and a one-layer transformer whose attention fuses.
                           env.repoFiles("data/graphs/zoo", suffix: ".onnx", lines: .max, maxBytes: 12000)
                               + env.repoFiles("data/graphs/onnx", suffix: "stack-h64-l1-s16.onnx", lines: .max, maxBytes: 30000)
                       },
                       run: { _, bytes in
                           let g = try ONNXImporter.load(data: Data(bytes), file: "fuzz.onnx", batchSize: 2)
                           _ = g.fusingAttention().savedActivationBytes()
                           return true
                       },
                       isTyped: { $0 is ModelGraphError }),
            FuzzTarget(name: "safetensors", summary: "SafeTensors(decoding:)",
                       corpus: { env in [env.modelWeights, Array(Builtin.safetensors)] },
                       run: { _, bytes in _ = try SafeTensors(decoding: bytes, file: "fuzz.safetensors"); return true },
                       isTyped: { $0 is SafeTensorsError }),
            checkpoint(mutating: "model.json"), checkpoint(mutating: "weights.safetensors"),
            FuzzTarget(name: "model-efficiencies", summary: "MeasuredEfficiencies(csv:file:) (a model's \(Checkpoint.efficienciesFile))",
                       corpus: { _ in
                           [FuzzEnvironment.head(Installation.resolve("models/default/" + Checkpoint.efficienciesFile), lines: 40) ?? [],
                            Array(Builtin.efficiencies.utf8)].filter { !$0.isEmpty }
                       },
                       run: { _, bytes in
                           _ = try MeasuredEfficiencies(csv: String(decoding: bytes, as: UTF8.self), file: "fuzz.csv")
                           return true
                       },
                       isTyped: { $0 is CheckpointError }),
            FuzzTarget(name: "json-syntax", summary: "JSONSyntax.firstError (never throws)",
                       corpus: { env in [env.modelJSON, Array(Builtin.json.utf8)] },
                       run: { _, bytes in JSONSyntax.firstError(in: bytes) == nil },
                       isTyped: { _ in false }),
        ]
    }

    /// The device catalog cut after its 1st, 2nd and 4th device (small seeds that parse).
    static func deviceSeeds() -> [[UInt8]] {
        guard let all = FuzzEnvironment.read(Installation.resolve("clusters/devices.yaml")) else { return [] }
        let text = String(decoding: all, as: UTF8.self)
        let parts = text.components(separatedBy: "\n  - name:")
        return [2, 3, 5].compactMap { n in
            parts.count > n ? Array(parts[..<n].joined(separator: "\n  - name:").utf8) + [0x0A] : nil
        }
    }

    /// Writes the model folder of a model target: the mutated file, and the committed other one
    /// (written once).
    /// `Checkpoint.load` on a model folder with one of its two files (`file`) mutated.
    static func checkpoint(mutating file: String) -> FuzzTarget {
        let json = file == "model.json"
        let name = json ? "model-json" : "model-weights"
        return FuzzTarget(name: name, summary: "Checkpoint.load with a mutated \(file)",
                          corpus: { env in [json ? env.modelJSON : env.modelWeights] },
                          run: { env, bytes in
                              try Self.modelDirectory(env, json: json ? bytes : nil, weights: json ? nil : bytes)
                              _ = try Checkpoint.load(env.path(name))
                              return true
                          }, isTyped: { $0 is CheckpointError })
    }

    static func modelDirectory(_ env: FuzzEnvironment, json: [UInt8]?, weights: [UInt8]?) throws {
        let folder = json != nil ? "model-json" : "model-weights"
        let dir = env.path(folder)
        if !FileManager.default.fileExists(atPath: dir) {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try env.write(env.modelJSON, to: folder + "/model.json")
            try env.write(env.modelWeights, to: folder + "/weights.safetensors")
        }
        if let json { try env.write(json, to: folder + "/model.json") }
        if let weights { try env.write(weights, to: folder + "/weights.safetensors") }
    }

    /// Small seeds that do not depend on any file, so every target has a corpus.
    enum Builtin {
        static let efficiencies = """
            operators,launches,flops,bytes,parameter_bytes,saved_bytes,batch,mode,precision,device,ln_time_over_prior
            175,175,4100000000,900000000,102000000,80000000,64,train,tf32,h100-sxm-80gb,0.71
            175,175,4100000000,900000000,102000000,80000000,64,train,tf32,a100-sxm4-40gb,0.52

            """
        static let augurTrace = """
            job_id,submit_s,model,batch_size,mode,precision,iterations,duration_s,reference_device,gpus,gpu_fraction,priority,deadline_s,device_constraint,user_estimate_s
            j1,0,resnet50,64,train,fp32,1000,,,1,,0,,,
            j2,10.5,nb201-7,32,infer,fp16,,120,v100,2,,1,500,v100|a100-80g,100
            j3,20,vgg16,8,train,bf16,50,,,1,0.5,0,,,30

            """
        static let philly = """
            timestamp,duration,num_gpus,gpu_time,cluster
            2017-10-09 07:01:55,66.0,1,66.0,11cb48
            2017-10-09 06:13:03,2951.0,8,2951.0,6214e9
            2017-10-10 00:00:00,12.5,32,400,6214e9

            """
        static let itp = """
            job_id,submission_time,duration,num_gpu
            a,1932025,2429,64
            b,2000581,1532,1
            c,0,1,2

            """
        static let alibaba = """
            name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
            p0,12000,16384,1,1000,,LS,Running,0,12537496,0
            p1,6000,12288,1,460,V100M16|V100M32,BE,Running,427061,12902960,427061
            p2,0,100,0,0,,Burstable,Pending,5,,
            p3,6000,12288,8,1000,G2,LS,Running,10,20,15

            """
        static let gavel = "ResNet-50 (batch size 64)\tcmd\tdir\t--num_steps\tFalse\t1000\t1\t1\t-1\t0\nTransformer (batch size 32)\tcmd\tdir\t--num_steps\tTrue\t500\t4\t2\t3600\t120.5\n"
        static let json = #"{"a": [1, -2.5e3, true, false, null, "x\u00e9\n"], "b": {"c": {}}, "d": []}"#
        static let safetensors: [UInt8] = {
            let header = Array(#"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"k":"v"}}"#.utf8)
            var out: [UInt8] = (0..<8).map { UInt8(truncatingIfNeeded: header.count >> (8 * $0)) }
            out += header
            out += [0, 0, 128, 63, 0, 0, 0, 64]
            return out
        }()
    }
}
