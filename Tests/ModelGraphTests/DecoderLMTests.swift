import Foundation
import Testing
@testable import ModelGraph

/// The Swift-built decoders (``DecoderLM``, ``MPT``) against published parameter counts and
/// the 2·N FLOPs-per-token rule.
@Suite struct DecoderLMTests {
    /// GPT-3: 174.6 B (Brown et al. 2020 Table 2.1 "175.0B"; the exact count of the
    /// architecture, tied embeddings, 50257 tokens, 2048 learned positions). Llama 2 70B and
    /// Llama 3.1 8B: the Hugging Face model cards' safetensors parameter totals.
    static let published: [(name: String, parameters: Int)] = [
        ("gpt3-175b", 174_604_259_328),
        ("llama2-70b", 68_976_648_192),
        ("llama31-8b", 8_030_261_248),
    ]

    /// llm-foundry's benchmark table, as the shared dataset's `model_config` column gives it
    /// (/work/shared/datasets/gpu-training-throughput/throughput.csv: "MPT-125m (llm-foundry
    /// yamls), 125311488 parameters, seq_len 2048", ...).
    static let mpt: [(name: String, sequence: Int, parameters: Int)] = [
        ("mpt-125m", 512, 124_131_840), ("mpt-125m", 2048, 125_311_488), ("mpt-125m", 65536, 174_070_272),
        ("mpt-350m", 2048, 355_985_408), ("mpt-760m", 2048, 760_470_528), ("mpt-1b", 2048, 1_315_950_592),
        ("mpt-3b", 2048, 2_651_837_440), ("mpt-7b", 2048, 6_658_859_008), ("mpt-7b", 8192, 6_684_024_832),
        ("mpt-13b", 2048, 12_853_954_560), ("mpt-30b", 512, 29_964_204_032), ("mpt-30b", 2048, 29_975_214_080),
        ("mpt-70b", 2048, 64_862_437_376),
    ]

    @Test func namesAreTheZooNames() {
        #expect(DecoderLM.names == ["gpt3-175b", "llama2-70b", "llama31-8b"])
        #expect(MPT.names == ["mpt-125m", "mpt-350m", "mpt-760m", "mpt-1b", "mpt-3b", "mpt-7b", "mpt-13b", "mpt-30b", "mpt-70b"])
    }

    @Test(arguments: published.map(\.name))
    func parameterCountsMatchThePublishedModels(_ name: String) throws {
        let c = try #require(Self.published.first { $0.name == name })
        let g = try #require(try DecoderLM.graph(named: name, batchSize: 1, sequence: 256))
        #expect(g.parameterCount == c.parameters)
        #expect(g.uncostedOperators().isEmpty, "\(g.uncostedOperators())")
    }

    @Test(arguments: mpt.indices)
    func mptParameterCountsMatchTheBenchmarkTable(_ i: Int) throws {
        let c = Self.mpt[i]
        let g = try #require(try MPT.graph(named: c.name, batchSize: 1, sequence: c.sequence))
        #expect(g.parameterCount == c.parameters, "\(c.name) at \(c.sequence)")
        #expect(g.uncostedOperators().isEmpty)
    }

    /// Forward FLOPs per token against the transformer's accounting: 2 per weight of the
    /// layers and the output projection, plus the dense attention products 4·L·S·d
    /// (Kaplan et al. 2020 §2.1 count half of it, for a causal mask); within 3%, the rest being
    /// element-wise work. For the large models 2·N alone is within 15%.
    @Test(arguments: ["mpt-125m", "mpt-1b", "mpt-7b", "mpt-70b", "gpt3-175b", "llama2-70b", "llama31-8b"])
    func flopsPerTokenAreTwiceTheParameters(_ name: String) throws {
        let config = try #require(MPT.config(named: name) ?? DecoderLM.configs[name])
        let s = name.hasPrefix("llama") ? 1024 : 2048
        let g = try #require(try MPT.graph(named: name, sequence: s) ?? DecoderLM.graph(named: name, sequence: s))
        let d = config.dModel, v = config.vocabulary
        let positions = if case .learned(let rows) = config.positions { (rows ?? s) * d } else { 0 }
        let embeddings = v * d + positions
        let head = config.tiedEmbeddings ? v * d : 0  // untied: lm_head is among the parameters
        let weights = g.parameterCount - embeddings + head
        let perToken = Double(g.cost(mode: .infer).flops) / Double(s)
        let expected = Double(2 * weights + 4 * config.layers * s * d)
        #expect(abs(perToken / expected - 1) < 0.03, "\(name): \(perToken / expected)")
        if config.layers >= 32 {
            let ratio = perToken / Double(2 * g.parameterCount)
            #expect(abs(ratio - 1) < 0.15, "\(name): \(ratio) of 2·N")
        }
    }

    @Test func scalesWithBatchAndSequence() throws {
        let f = { (g: ModelGraph) in Double(g.cost(mode: .infer).flops) }
        let base = try #require(try MPT.graph(named: "mpt-125m", batchSize: 1, sequence: 512))
        let batch4 = try #require(try MPT.graph(named: "mpt-125m", batchSize: 4, sequence: 512))
        let long = try #require(try MPT.graph(named: "mpt-125m", batchSize: 1, sequence: 2048))
        #expect(abs(f(batch4) / f(base) - 4) < 0.01)
        #expect(f(long) / f(base) > 4)
        let gqa = try #require(try DecoderLM.graph(named: "llama31-8b", batchSize: 2, sequence: 128))
        let gqa4 = try #require(try DecoderLM.graph(named: "llama31-8b", batchSize: 2, sequence: 512))
        #expect(f(gqa4) / f(gqa) > 4)
        #expect(gqa.parameterCount == gqa4.parameterCount)
    }

    @Test func rejectsBadSizesAndUnknownNames() throws {
        #expect(throws: ModelGraphError.self) { try MPT.graph(named: "mpt-7b", batchSize: 0) }
        #expect(throws: ModelGraphError.self) { try MPT.graph(named: "mpt-7b", sequence: 0) }
        #expect(throws: ModelGraphError.self) { try DecoderLM.graph(named: "gpt3-175b", sequence: 4096) }  // 2048 learned positions
        #expect(throws: ModelGraphError.self) { try DecoderLM.graph(named: "llama31-8b", batchSize: -1) }
        var odd = try #require(DecoderLM.configs["llama31-8b"])
        odd.kvHeads = 5
        #expect(throws: ModelGraphError.self) { try DecoderLM.graph(odd, sequence: 16) }
        #expect(try MPT.graph(named: "gpt3-175b") == nil)
        #expect(try DecoderLM.graph(named: "mpt-7b") == nil)
    }

    /// The builder records shapes only: the largest graphs build in well under a second.
    @Test func largeModelsBuildQuickly() throws {
        let clock = ContinuousClock()
        for name in ["mpt-70b", "gpt3-175b", "llama2-70b"] {
            let elapsed = try clock.measure {
                _ = try MPT.graph(named: name, batchSize: 1) ?? DecoderLM.graph(named: name, batchSize: 1)
            }
            #expect(elapsed < .seconds(1), "\(name): \(elapsed)")
        }
    }
}
