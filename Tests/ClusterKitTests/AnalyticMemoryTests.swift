import Foundation
import Testing
@testable import ClusterKit

/// The oracle's analytic memory for GPU benchmark rows that printed none: anchored to what
/// each device ran, capped by the smallest device that ran the batch, marked in the source.
@Suite struct AnalyticMemoryTests {
    /// An account linear in the batch: `weights + perSample · batch` bytes (BERT-large only).
    struct LinearAccount: MemoryAccount {
        var weights: Int64
        var perSample: Int64
        func peakMemoryBytes(_ config: ModelConfig) -> Int64? {
            config.model.hasPrefix("bert-large") || config.model == "maskrcnn" ? weights + perSample * Int64(config.batchSize) : nil
        }
    }

    static let gb: Int64 = 1_000_000_000

    func oracle(_ rows: [String]) throws -> MeasuredOracle {
        let text = ([GPUThroughputTableTests.header] + rows).joined(separator: "\n") + "\n"
        var oracle = MeasuredOracle()
        _ = try withTempFile(text, name: "throughput.csv") { try oracle.loadGPUThroughput(path: $0, catalog: try Fixtures.catalog()) }
        return oracle
    }

    func bert(_ gpu: String, batch: Int) -> String {
        GPUThroughputTableTests.row(model: "bert_large_squad", config: "BERT-large; max_seq_length=384", gpu: gpu, batch: "\(batch)")
    }

    @Test func anchoredToWhatEachDeviceRan() throws {
        // Reference V100 16 GB at batch 32; the A100 40 GB ran 64; the A10 (24 GB) ran only 8.
        var o = try oracle([bert("V100-SXM2-16GB", batch: 32), bert("A100-SXM4-40GB", batch: 64), bert("A10", batch: 8)])
        let config = ModelConfig(model: "bert-large-s384", batchSize: 32, mode: .train, precision: .fp16)
        #expect(o.entry(PerformanceQuery(config: config, device: "a10"))?.estimate.peakMemoryBytes == nil)
        // The account says 4 GB + 1 GB per sample: 36 GB at batch 32, 12 GB at 8, 68 GB at 64.
        let filled = o.fillMemory(from: LinearAccount(weights: 4 * Self.gb, perSample: Self.gb), catalog: try Fixtures.catalog())
        #expect(filled == 3)
        let v100 = try #require(o.entry(PerformanceQuery(config: config, device: "v100-sxm2-16gb")))
        // The V100 ran batch 32: its memory, exactly (the account is 2.25× too high there).
        #expect(v100.estimate.peakMemoryBytes == 16 * Self.gb)
        #expect(v100.source.hasSuffix("+memory:analytic×0.44"))
        // The A100 ran 64 (account 68 GB > 40 GB): scaled by 40/68 to 21.2 GB, then capped by
        // the V100, which ran batch 32 in 16 GB.
        let a100 = try #require(o.entry(PerformanceQuery(config: config, device: "a100-sxm4-40gb")))
        #expect(a100.estimate.peakMemoryBytes == 16 * Self.gb)
        #expect(a100.source.hasSuffix("≤v100-sxm2-16gb"))
        // The A10 ran 8 (account 12 GB fits 24 GB): the account at 32, 36 GB, capped at 16 GB.
        let a10 = try #require(o.entry(PerformanceQuery(config: config, device: "a10")))
        #expect(a10.estimate.peakMemoryBytes == 16 * Self.gb)
        #expect(a10.source.contains("+memory:analytic≤"))
    }

    @Test func carriedAboveEveryRunMayNotFit() throws {
        // Only the reference (A100 40 GB) ran batch 32, and the account's 34 GB fits it; the A10
        // ran 8, so batch 32 there gets the account's 34 GB, above its 24 GB: OOM, as it would be.
        var o = try oracle([bert("A100-SXM4-40GB", batch: 32), bert("A10", batch: 8)])
        o.fillMemory(from: LinearAccount(weights: 2 * Self.gb, perSample: Self.gb), catalog: try Fixtures.catalog())
        let config = ModelConfig(model: "bert-large-s384", batchSize: 32, mode: .train, precision: .fp16)
        #expect(o.entry(PerformanceQuery(config: config, device: "a100-sxm4-40gb"))?.estimate.peakMemoryBytes == 34 * Self.gb)
        #expect(o.entry(PerformanceQuery(config: config, device: "a10"))?.estimate.peakMemoryBytes == 34 * Self.gb)
    }

    @Test func printedMemoryIsScaledNotReplaced() throws {
        let mask = { (gpu: String, batch: Int, mib: Int) in
            GPUThroughputTableTests.row(model: "maskrcnn", config: "Mask R-CNN", gpu: gpu, batch: "\(batch)", extras: "max_memory_allocated_mib=\(mib)")
        }
        var o = try oracle([mask("A100-SXM4-40GB", 24, 20_000), mask("A10", 12, 10_000)])
        let config = ModelConfig(model: "maskrcnn", batchSize: 24, mode: .train, precision: .fp16)
        let measured = o.entry(PerformanceQuery(config: config, device: "a100-sxm4-40gb"))?.estimate.peakMemoryBytes
        #expect(measured == Int64(20_000) * 1_048_576)
        o.fillMemory(from: LinearAccount(weights: 0, perSample: Self.gb), catalog: try Fixtures.catalog())
        #expect(o.entry(PerformanceQuery(config: config, device: "a100-sxm4-40gb"))?.estimate.peakMemoryBytes == measured, "measured memory kept")
        let a10 = try #require(o.entry(PerformanceQuery(config: config, device: "a10")))
        #expect(a10.estimate.peakMemoryBytes == Int64(2 * 10_000) * 1_048_576, "A10's 10,000 MiB at batch 12, doubled to batch 24")
        #expect(a10.source.hasSuffix("+memory:measured×analytic"))
    }

    @Test func withoutAGraphNothingIsInvented() throws {
        var o = try oracle([GPUThroughputTableTests.row(model: "waveglow", config: "WaveGlow; segment_length=8000", gpu: "A10")])
        #expect(o.fillMemory(from: LinearAccount(weights: 1, perSample: 1), catalog: try Fixtures.catalog()) == 0)
        #expect(o.table.values.allSatisfy { $0.estimate.peakMemoryBytes == nil })
    }
}
