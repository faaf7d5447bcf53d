/// BERT (Devlin, Chang, Lee and Toutanova, "BERT: Pre-training of Deep Bidirectional
/// Transformers for Language Understanding", NAACL 2019) fine-tuned for SQuAD question
/// answering as NVIDIA DeepLearningExamples builds it
/// (`PyTorch/LanguageModeling/BERT/modeling.py`, `run_squad.py`): the forward graph of
/// `BertForQuestionAnswering` at any batch size and sequence length (≤ 512 positions).
///
/// DeepLearningExamples pads the 30522-token WordPiece vocabulary to a multiple of 8: its
/// `bert_configs/base.json` states `vocab_size` 30528, and its scripts round any other
/// configuration up the same way ("Padding for divisibility by 8"); the graph has 30528 rows. Its
/// `BertModel` always builds and runs the pooler (`Linear(hidden, hidden)` + tanh on the first
/// token) even though the QA loss ignores it; both are in the graph. The QA head is
/// `Linear(hidden, 2)` (start and end logits). Post-norm layers: attention (separate Q, K, V
/// projections with biases, scale 1/√d_head, additive padding mask `[B, 1, 1, S]`), output
/// projection, residual Add, LayerNorm; FFN `Linear(hidden, 4·hidden)` + GELU +
/// `Linear(4·hidden, hidden)`, residual Add, LayerNorm.
///
/// Parameters: bert-base 109,488,386 and bert-large 335,150,082 (Hugging Face's
/// `bert-base-uncased` 109,482,240 / `bert-large-uncased` 335,141,888 with the 6 padded
/// vocabulary rows and the QA head added; tested).
public enum BERT {
    /// A BERT size.
    public struct Config: Sendable, Hashable {
        public var layers: Int
        public var hidden: Int
        public var heads: Int
        public var intermediate: Int
        public var vocabulary: Int = 30528
        public var positions: Int = 512
        public var tokenTypes: Int = 2
        public init(layers: Int, hidden: Int, heads: Int, intermediate: Int) {
            self.layers = layers
            self.hidden = hidden
            self.heads = heads
            self.intermediate = intermediate
        }
    }

    /// DeepLearningExamples' `bert_configs` (Devlin et al. Table/§3: BERT-BASE L=12, H=768,
    /// A=12; BERT-LARGE L=24, H=1024, A=16; FFN 4H).
    public static let configs: [String: Config] = [
        "bert-base": Config(layers: 12, hidden: 768, heads: 12, intermediate: 3072),
        "bert-large": Config(layers: 24, hidden: 1024, heads: 16, intermediate: 4096),
    ]

    /// The zoo names.
    public static var names: [String] { configs.keys.sorted() }

    /// SQuAD's `max_seq_length` in DeepLearningExamples' scripts.
    public static let defaultSequence = 384

    /// The QA graph of `config` on `batchSize` sequences of `sequence` tokens.
    public static func graph(_ config: Config, batchSize: Int = 1, sequence: Int = defaultSequence, name: String = "bert") throws -> ModelGraph {
        try GraphBuilder.checkSize(batchSize, "batchSize", within: 1...(1 << 20), source: name)
        try GraphBuilder.checkSize(sequence, "sequence", within: 1...config.positions, source: name)
        guard config.layers > 0, config.hidden > 0, config.heads > 0, config.hidden % config.heads == 0, config.intermediate > 0 else {
            throw ModelGraphError.invalidSpec(source: name, field: "config", reason: "layers, hidden, heads and intermediate must be positive, hidden divisible by heads")
        }
        let d = config.hidden, b = batchSize, s = sequence
        var g = GraphBuilder(name: name)
        let ids = g.addInput("input_ids", shape: [b, s], dtype: .int64)
        let types = g.addInput("token_type_ids", shape: [b, s], dtype: .int64)
        let mask = g.addInput("attention_mask", shape: [b, s], dtype: .int64)
        let positions = g.addConstant("position_ids", shape: [1, s], dtype: .int64)

        // Embeddings.
        let wte = g.addParameter("bert.embeddings.word_embeddings.weight", shape: [config.vocabulary, d])
        let wpe = g.addParameter("bert.embeddings.position_embeddings.weight", shape: [config.positions, d])
        let wtt = g.addParameter("bert.embeddings.token_type_embeddings.weight", shape: [config.tokenTypes, d])
        let words = g.add("Gather", name: "bert.embeddings.word_embeddings", inputs: [wte, ids])
        let pos = g.add("Gather", name: "bert.embeddings.position_embeddings", inputs: [wpe, positions])
        let tt = g.add("Gather", name: "bert.embeddings.token_type_embeddings", inputs: [wtt, types])
        var h = g.add("Add", name: "bert.embeddings.add_position", inputs: [words, pos])
        h = g.add("Add", name: "bert.embeddings.add_token_type", inputs: [h, tt])
        h = g.layerNorm(h, width: d, name: "bert.embeddings.LayerNorm")

        // Extended mask: (1 − mask) · −10000 as [B, 1, 1, S].
        var m = g.add("Unsqueeze", name: "bert.mask.unsqueeze", inputs: [mask], attributes: ["axes": .ints([1, 2])])
        m = g.add("Cast", name: "bert.mask.cast", inputs: [m], attributes: ["to": .int(1)])
        m = g.add("Sub", name: "bert.mask.invert", inputs: [g.scalar(1, name: "bert.mask.one"), m])
        m = g.add("Mul", name: "bert.mask.scale", inputs: [m, g.scalar(-10000, name: "bert.mask.minus")])

        let shape = GraphBuilder.AttentionShape(batch: b, queries: s, keys: s, heads: config.heads, kvHeads: config.heads, headDim: d / config.heads)
        for layer in 0..<config.layers {
            let p = "bert.encoder.layer.\(layer)"
            let q = g.linear(h, from: d, to: d, bias: true, name: p + ".attention.self.query")
            let k = g.linear(h, from: d, to: d, bias: true, name: p + ".attention.self.key")
            let v = g.linear(h, from: d, to: d, bias: true, name: p + ".attention.self.value")
            let context = g.attention(q: q, k: k, v: v, shape, bias: m, name: p + ".attention.self")
            var a = g.linear(context, from: d, to: d, bias: true, name: p + ".attention.output.dense")
            a = g.add("Add", name: p + ".attention.output.residual", inputs: [a, h])
            a = g.layerNorm(a, width: d, name: p + ".attention.output.LayerNorm")
            var f = g.linear(a, from: d, to: config.intermediate, bias: true, name: p + ".intermediate.dense")
            f = g.add("Gelu", name: p + ".intermediate.gelu", inputs: [f])
            f = g.linear(f, from: config.intermediate, to: d, bias: true, name: p + ".output.dense")
            f = g.add("Add", name: p + ".output.residual", inputs: [f, a])
            h = g.layerNorm(f, width: d, name: p + ".output.LayerNorm")
        }

        // Pooler (run by DeepLearningExamples' BertModel.forward) on the first token.
        let first = g.add("Gather", name: "bert.pooler.first_token", inputs: [h, g.addConstant("bert.pooler.index", shape: [], dtype: .int64, intValues: [0])], attributes: ["axis": .int(1)])
        let pooled = g.gemm(first, from: d, to: d, name: "bert.pooler.dense")
        g.markOutput(g.add("Tanh", name: "bert.pooler.activation", inputs: [pooled]))

        // QA head: start/end logits.
        let logits = g.linear(h, from: d, to: 2, bias: true, name: "qa_outputs")
        let parts = g.split(logits, parts: 2, axis: -1, name: "qa_outputs.split")
        for part in parts { g.markOutput(part) }
        return try g.build()
    }

    /// The graph of a zoo BERT by name (`bert-base`, `bert-large`), or nil for another name.
    /// `sequence` defaults to 384 (SQuAD).
    public static func graph(named model: String, batchSize: Int = 1, sequence: Int? = nil) throws -> ModelGraph? {
        guard let config = configs[model] else { return nil }
        return try graph(config, batchSize: batchSize, sequence: sequence ?? defaultSequence, name: model)
    }
}
