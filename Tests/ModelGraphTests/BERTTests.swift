import Foundation
import Testing
@testable import ModelGraph

/// The Swift-built BERT SQuAD graphs (``BERT``) against parameter counts computed from the
/// published architecture (Devlin et al. 2019; Hugging Face's `bert-base-uncased`
/// 109,482,240 and `bert-large-uncased` 335,141,888 parameters, plus DeepLearningExamples'
/// 6 padding rows of the vocabulary and the 2-output QA head).
@Suite struct BERTTests {
    static let published: [(name: String, parameters: Int, hidden: Int)] = [
        ("bert-base", 109_482_240 + 6 * 768 + (768 * 2 + 2), 768),
        ("bert-large", 335_141_888 + 6 * 1024 + (1024 * 2 + 2), 1024),
    ]

    @Test func namesAreTheZooNames() {
        #expect(BERT.names == ["bert-base", "bert-large"])
    }

    @Test(arguments: published.map(\.name))
    func parameterCountsMatchThePublishedModel(_ name: String) throws {
        let c = try #require(Self.published.first { $0.name == name })
        let g = try #require(try BERT.graph(named: name, batchSize: 2))
        #expect(g.parameterCount == c.parameters)
        #expect(g.uncostedOperators().isEmpty, "\(g.uncostedOperators())")
    }

    /// Forward FLOPs per token ≈ 2 × non-embedding parameters (Kaplan et al. 2020, §2.1), the
    /// attention scores adding a few percent at 384 tokens.
    @Test(arguments: published.map(\.name))
    func flopsPerTokenAreTwiceTheParameters(_ name: String) throws {
        let c = try #require(Self.published.first { $0.name == name })
        let g = try #require(try BERT.graph(named: name, batchSize: 4))
        let embeddings = (30528 + 512 + 2) * c.hidden
        let perToken = Double(g.cost(mode: .infer).flops) / Double(4 * BERT.defaultSequence)
        let ratio = perToken / Double(2 * (g.parameterCount - embeddings))
        #expect(ratio > 0.95 && ratio < 1.15, "\(name): \(ratio)")
    }

    @Test func scalesWithBatchAndSequence() throws {
        let base = try #require(try BERT.graph(named: "bert-base", batchSize: 1, sequence: 128))
        let batch8 = try #require(try BERT.graph(named: "bert-base", batchSize: 8, sequence: 128))
        let long = try #require(try BERT.graph(named: "bert-base", batchSize: 1, sequence: 512))
        let f = { (g: ModelGraph) in Double(g.cost(mode: .infer).flops) }
        #expect(f(batch8) / f(base) > 7.9 && f(batch8) / f(base) < 8.1)
        #expect(f(long) / f(base) > 4)  // linear in tokens plus the quadratic scores
        #expect(base.parameterCount == long.parameterCount)
        let train = base.cost(mode: .train)
        #expect(train.forwardFLOPs + train.backwardFLOPs > 5 * base.cost(mode: .infer).flops / 2)
    }

    @Test func rejectsBadSizesAndUnknownNames() throws {
        #expect(throws: ModelGraphError.self) { try BERT.graph(named: "bert-base", batchSize: 0) }
        #expect(throws: ModelGraphError.self) { try BERT.graph(named: "bert-base", sequence: 513) }
        #expect(throws: ModelGraphError.self) { try BERT.graph(named: "bert-large", sequence: 0) }
        #expect(try BERT.graph(named: "bert-huge") == nil)
    }
}
