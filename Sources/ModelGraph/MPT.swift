/// MosaicML's MPT models as llm-foundry's throughput benchmark trains them
/// (mosaicml/llm-foundry, `scripts/train/benchmarking`, with the `yamls/pretrain/mpt-*.yaml`
/// model sizes; MosaicML, "Introducing MPT-7B", 2023): decoder-only, pre-LayerNorm, fused
/// `Wqkv`, GELU FFN of expansion ratio 4, vocabulary 50368, tied input/output embeddings.
///
/// The benchmark table's parameter counts (the `model_config` column of the shared
/// gpu-training-throughput dataset, e.g. MPT-125m 124,131,840 at sequence 512 and
/// 125,311,488 at 2048) grow by `d_model` per token of sequence length, and are matched
/// exactly, for every size and sequence length in the table, by
/// `V·d + S·d + L·(12·d² + 13·d) + 2·d`: so these runs left `MPTConfig` at its defaults
/// there: a learned position table of `max_seq_len` = S rows
/// (`learned_pos_emb: True`; `attn_config.alibi: False` in
/// `llmfoundry/models/utils/config_defaults.py`) and biases on every projection and
/// LayerNorm (`no_bias: False`) — not the ALiBi, bias-free configuration of the released
/// MPT-7B checkpoint. The graphs follow the table.
/// Default sequence 2048 (the yamls' `max_seq_len`).
public enum MPT {
    /// `(d_model, n_layers, n_heads)` of llm-foundry's `yamls/pretrain/mpt-*.yaml`.
    public static let sizes: [String: (dModel: Int, layers: Int, heads: Int)] = [
        "mpt-125m": (768, 12, 12),
        "mpt-350m": (1024, 24, 16),
        "mpt-760m": (1536, 24, 12),
        "mpt-1b": (2048, 24, 16),
        "mpt-3b": (2560, 32, 20),
        "mpt-7b": (4096, 32, 32),
        "mpt-13b": (5120, 40, 40),
        "mpt-30b": (7168, 48, 64),
        "mpt-70b": (8192, 80, 64),
    ]

    /// The zoo names, smallest first.
    public static var names: [String] { sizes.sorted { $0.value.dModel < $1.value.dModel }.map(\.key) }

    /// The llm-foundry vocabulary (GPT-NeoX's 50277 tokens padded to a multiple of 64).
    public static let vocabulary = 50368

    /// The decoder configuration of a zoo MPT.
    public static func config(named model: String) -> DecoderLM.Config? {
        guard let s = sizes[model] else { return nil }
        return DecoderLM.Config(layers: s.layers, dModel: s.dModel, heads: s.heads, ffn: 4 * s.dModel,
                                vocabulary: vocabulary, positions: .learned(rows: nil), llamaStyle: false,
                                bias: true, tiedEmbeddings: true, fusedQKV: true, defaultSequence: 2048)
    }

    /// The graph of a zoo MPT by name (`mpt-7b`), or nil for another name.
    public static func graph(named model: String, batchSize: Int = 1, sequence: Int? = nil) throws -> ModelGraph? {
        guard let config = config(named: model) else { return nil }
        return try DecoderLM.graph(config, batchSize: batchSize, sequence: sequence, name: model)
    }
}
