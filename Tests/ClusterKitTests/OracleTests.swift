import Foundation
import Testing
@testable import ClusterKit

@Suite("Measured oracle")
struct OracleTests {
    static func gavelOnly() throws -> MeasuredOracle {
        var oracle = MeasuredOracle()
        try oracle.loadGavel(path: Fixtures.root.gavelThroughputs, catalog: try Fixtures.catalog())
        return oracle
    }

    static func gavelJSON() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.root.gavelThroughputs))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func throughput(_ json: [String: Any], gpu: String, key: String) throws -> Double {
        let jobs = try #require(json[gpu] as? [String: Any])
        let entry = try #require(jobs[key] as? [String: Any])
        return try #require((entry["null"] as? NSNumber)?.doubleValue)
    }

    @Test(arguments: ["k80", "p100-pcie-16gb", "v100-sxm2-16gb"])
    func gavelConfigsPerDevice(device: String) throws {
        let oracle = try Self.gavelOnly()
        let entries = oracle.table.filter { $0.key.device == device }
        #expect(entries.count == 26)
        #expect(entries.values.allSatisfy { $0.source == "gavel" })
        #expect(entries.keys.allSatisfy { $0.config.mode == .train && $0.config.precision == .fp32 })
        #expect(Set(entries.keys.map(\.config.model)) == ["resnet18-cifar10", "resnet50-imagenet", "transformer-multi30k",
                                                           "lstm-wikitext2", "autoencoder-ml20m", "a3c-pong", "cyclegan-monet2photo"])
    }

    @Test func gavelTimeIsInverseThroughput() throws {
        let oracle = try Self.gavelOnly()
        let json = try Self.gavelJSON()
        let config = ModelConfig(model: "resnet50-imagenet", batchSize: 64, mode: .train)
        let t = try #require(oracle.estimate(PerformanceQuery(config: config, device: "v100-sxm2-16gb"))?.timePerIteration)
        #expect(t == 1 / (try Self.throughput(json, gpu: "v100", key: "('ResNet-50 (batch size 64)', 1)")))
        let k80 = try #require(oracle.estimate(PerformanceQuery(config: config, device: "k80"))?.timePerIteration)
        #expect(k80 == 1 / (try Self.throughput(json, gpu: "k80", key: "('ResNet-50 (batch size 64)', 1)")))
        #expect(k80 > t, "K80 is slower than V100")
        // Every single-GPU consolidated entry, independently.
        for (gpu, device) in [("k80", "k80"), ("p100", "p100-pcie-16gb"), ("v100", "v100-sxm2-16gb")] {
            let jobs = try #require(json[gpu] as? [String: Any])
            for key in jobs.keys where key.hasSuffix(", 1)") {
                let type = String(key.dropFirst(2).prefix { $0 != "'" })
                let c = try #require(MeasuredOracle.gavelConfig(type))
                let expected = 1 / (try Self.throughput(json, gpu: gpu, key: key))
                #expect(oracle.estimate(PerformanceQuery(config: c, device: device))?.timePerIteration == expected, "\(key) on \(gpu)")
            }
        }
    }

    @Test func gavelReferenceDevicesAndColocations() throws {
        let oracle = try Self.gavelOnly()
        for model in ["resnet50-imagenet", "transformer-multi30k", "a3c-pong"] {
            #expect(oracle.referenceDevice(for: ModelConfig(model: model, batchSize: 1, mode: .train)) == "v100-sxm2-16gb")
        }
        #expect(oracle.referenceDevice(for: ModelConfig(model: "unknown", batchSize: 1, mode: .train)) == nil)
        #expect(!oracle.colocations.isEmpty)
        #expect(oracle.colocations.allSatisfy { $0.dataset == "gavel" && $0.speedA > 0 && $0.speedB > 0 })
    }

    @Test func scalingEfficiencies() throws {
        let oracle = try Self.gavelOnly()
        let scaling = oracle.scaling
        #expect(!scaling.measured.isEmpty)
        for (key, e) in scaling.measured {
            #expect(e > 0 && e <= 1, "\(key)")
            #expect([2, 4, 8].contains(key.gpus))
        }
        #expect(scaling.measured.keys.contains { !$0.consolidated })
        for consolidated in [true, false] {
            #expect(scaling.efficiency(model: "x", device: "y", gpus: 1, consolidated: consolidated) == 1)
            for n in [2, 3, 4, 8, 16, 64, 1024] {
                let e = scaling.efficiency(model: "unmeasured/b1", device: "k80", gpus: n, consolidated: consolidated)
                #expect(e > 0 && e <= 1, "\(n) GPUs")
            }
        }
        let key = try #require(scaling.measured.keys.first)
        #expect(scaling.efficiency(model: key.model, device: key.device, gpus: key.gpus, consolidated: key.consolidated) == scaling.measured[key])
        // Beyond 8 GPUs, efficiency never grows.
        #expect(scaling.fallback(gpus: 16, consolidated: true) <= scaling.fallback(gpus: 8, consolidated: true))
        #expect(scaling.fallback(gpus: 8, consolidated: true) == scaling.defaultMedians[0][3])
    }

    @Test func lucidAddsMemory() throws {
        var oracle = try Self.gavelOnly()
        try oracle.loadLucid(singlePath: Fixtures.root.lucidSingle, colocatePath: Fixtures.root.lucidColocate)
        let b64 = ModelConfig(model: "resnet50-imagenet", batchSize: 64, mode: .train)
        for device in ["v100-sxm2-16gb", "k80"] {
            let entry = try #require(oracle.entry(PerformanceQuery(config: b64, device: device)))
            #expect(entry.estimate.peakMemoryBytes == Int64(8570) * 1_048_576)
            #expect(entry.source == "gavel+lucid")
            #expect(entry.source.contains("+lucid"))
            #expect(entry.estimate.smUtilization == 1.0)
        }
        let b16 = try #require(oracle.entry(PerformanceQuery(config: ModelConfig(model: "resnet50-imagenet", batchSize: 16, mode: .train), device: "v100-sxm2-16gb")))
        #expect(b16.source.hasSuffix("+lucid~"))
        // Interpolation never goes below the smallest measured memory (5518 MiB at batch 32).
        #expect(b16.estimate.peakMemoryBytes == Int64(5518) * 1_048_576)
        let b128 = try #require(oracle.entry(PerformanceQuery(config: ModelConfig(model: "resnet50-imagenet", batchSize: 128, mode: .train), device: "p100-pcie-16gb")))
        #expect(b128.source == "gavel+lucid")
        #expect(b128.estimate.peakMemoryBytes == Int64(13326) * 1_048_576)
        // The time per iteration is unchanged.
        let gavel = try Self.gavelOnly()
        #expect(oracle.estimate(PerformanceQuery(config: b64, device: "v100-sxm2-16gb"))?.timePerIteration
                == gavel.estimate(PerformanceQuery(config: b64, device: "v100-sxm2-16gb"))?.timePerIteration)
        #expect(oracle.colocations.contains { $0.dataset == "lucid" })
        for (q, e) in oracle.table {
            if let m = e.estimate.peakMemoryBytes { #expect(m > 0, "\(q.config)") }
            if let u = e.estimate.smUtilization { #expect(u > 0 && u <= 1, "\(q.config)") }
        }
    }

    @Test func nb201WithStride() throws {
        var oracle = MeasuredOracle()
        try oracle.loadNB201(path: Fixtures.root.nb201Latency, catalog: try Fixtures.catalog(), stride: 125)
        let nb0 = oracle.table.keys.filter { $0.config.model == "nb201-0" }
        #expect(nb0.count == 21, "21 device settings")
        #expect(oracle.table.keys.allSatisfy { Int($0.config.model.dropFirst(6))! % 125 == 0 })
        #expect(Set(oracle.table.keys.map(\.config.model)).count == 125)
        #expect(oracle.table.keys.allSatisfy { $0.config.mode == .infer })
        #expect(oracle.table.values.allSatisfy { $0.source == "nb201" && $0.estimate.peakMemoryBytes == nil })
        #expect(oracle.referenceDevice(for: ModelConfig(model: "nb201-0", batchSize: 1, mode: .infer)) == "gtx-1080ti")

        let csv = try readCSVPrefix(Fixtures.root.nb201Latency, rows: 1)
        let row = try #require(csv.rows.first)
        #expect(row[0] == "0")
        func value(_ column: String) throws -> Double {
            let index = try #require(csv.header.firstIndex(of: column))
            return try #require(Double(row[index]))
        }
        let pixel = try #require(oracle.estimate(PerformanceQuery(config: ModelConfig(model: "nb201-0", batchSize: 1, mode: .infer), device: "pixel3")))
        #expect(pixel.timePerIteration == (try value("pixel3")) / 1000)
        let ti256 = try #require(oracle.estimate(PerformanceQuery(config: ModelConfig(model: "nb201-0", batchSize: 256, mode: .infer), device: "gtx-1080ti")))
        #expect(ti256.timePerIteration == (try value("1080ti_256")) / 1000)
        let titanRTX = try #require(oracle.estimate(PerformanceQuery(config: ModelConfig(model: "nb201-0", batchSize: 32, mode: .infer), device: "titan-rtx")))
        #expect(titanRTX.timePerIteration == (try value("titan_rtx_32")) / 1000)
    }

    @Test func nb201UnknownDeviceColumn() throws {
        try withTempFile("arch_index,arch,pixel3,iphone_12\n0,x,1.5,2.5\n", name: "latency.csv") { path in
            var oracle = MeasuredOracle()
            expectInputError(file: path, line: 1, field: "iphone_12", reason: "no 'nb201:iphone_12' alias") {
                try oracle.loadNB201(path: path, catalog: try Fixtures.catalog())
            }
        }
    }

    @Test func neusight() throws {
        var oracle = MeasuredOracle()
        try oracle.loadNeuSight(labelsDirectory: Fixtures.root.neusightLabels, catalog: try Fixtures.catalog())
        let config = ModelConfig(model: "bert_large-s512", batchSize: 8, mode: .infer)
        let entry = try #require(oracle.entry(PerformanceQuery(config: config, device: "t4")))
        #expect(entry.source == "neusight")
        func latency(_ gpu: String, _ file: String) throws -> Double {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(Fixtures.root.neusightLabels)/\(gpu)/\(file)"))
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            return try #require((object["e2e_latency"] as? NSNumber)?.doubleValue)
        }
        #expect(entry.estimate.timePerIteration == (try latency("Tesla_T4", "bert_large-inf-512-8.json")) / 1000)
        // Fusion variants are skipped: the unfused measurement is kept.
        let a100 = try #require(oracle.estimate(PerformanceQuery(config: config, device: "a100-pcie-40gb")))
        #expect(a100.timePerIteration == (try latency("NVIDIA_A100-PCIE-40GB", "bert_large-inf-512-8.json")) / 1000)
        #expect(a100.timePerIteration != (try latency("NVIDIA_A100-PCIE-40GB", "bert_large-inf-512-8-fusion.json")) / 1000)
        #expect(!oracle.table.keys.contains { $0.config.model.contains("fusion") })
        #expect(oracle.referenceDevice(for: config) == "v100-pcie-32gb")
        #expect(oracle.devices(for: config).contains("t4"))
    }

    @Test func publicOracle() throws {
        let oracle = try Fixtures.oracle()
        let families = Set(oracle.table.values.map { String($0.source.prefix { $0.isLetter || $0.isNumber }) })
        // The public datasets (the GPU benchmarks where ../shared has them), plus the project's
        // own measurements when data/measurements has them.
        #expect(families.subtracting(["augur", "benchmarks"]) == ["gavel", "nb201", "neusight"])
        for (q, e) in oracle.table {
            #expect(e.estimate.timePerIteration > 0 && e.estimate.timePerIteration.isFinite, "\(q.config) on \(q.device)")
        }
        let catalog = try Fixtures.catalog()
        #expect(oracle.table.keys.allSatisfy { catalog[$0.device] != nil }, "every device is a catalog device")
        #expect(oracle.configs == oracle.configs.sorted())
        #expect(oracle.name == "measured")
    }
}
