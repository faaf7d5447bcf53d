import Foundation

/// Where a graph for a prediction comes from, by the name a user writes: an ONNX file
/// (`.onnx`), a graph in Augur's JSON form (`.json`), a NAS-Bench-201 cell (`nb201:ARCH`), or
/// a Swift-built zoo model (`resnet50`, or `resnet50-r320` for 320×320 inputs, `bert-large-s384`
/// for 384-token sequences; ``builders``), or
/// a model of the exported torchvision zoo by name (`densenet121`: `data/graphs/zoo/NAME.onnx`,
/// at the resolution it was exported at).
public enum GraphSource {
    /// A Swift-built family: its names, and its graph for a name at a batch size and an optional
    /// size (resolution or sequence length; nil: the family's default), nil for a name it does not know.
    public struct Builder: Sendable {
        public var names: [String]
        public var build: @Sendable (_ name: String, _ batchSize: Int, _ size: Int?) throws -> ModelGraph?
    }

    /// The Swift-built families, tried in order.
    public static let builders: [Builder] = [
        Builder(names: ResNet.configs.keys.sorted()) { name, batch, size in
            try ResNet.graph(named: name, batchSize: batch, resolution: size ?? 224)
        },
        Builder(names: BERT.names) { try BERT.graph(named: $0, batchSize: $1, sequence: $2) },
        Builder(names: TransformerXL.names) { try TransformerXL.graph(named: $0, batchSize: $1, sequence: $2) },
        Builder(names: MPT.names) { try MPT.graph(named: $0, batchSize: $1, sequence: $2) },
        Builder(names: DecoderLM.names) { try DecoderLM.graph(named: $0, batchSize: $1, sequence: $2) },
        Builder(names: NCF.names) { try NCF.graph(named: $0, batchSize: $1, sequence: $2) },
        Builder(names: SSD300.names) { try SSD300.graph(named: $0, batchSize: $1, size: $2) },
        Builder(names: GNMT.names) { try GNMT.graph(named: $0, batchSize: $1, size: $2) },
        Builder(names: Tacotron2.names) { try Tacotron2.graph(named: $0, batchSize: $1, size: $2) },
        Builder(names: WaveGlow.names) { try WaveGlow.graph(named: $0, batchSize: $1, size: $2) },
        Builder(names: MaskRCNN.names) { try MaskRCNN.graph(named: $0, batchSize: $1, size: $2) },
        Builder(names: RetinaNet.names) { try RetinaNet.graph(named: $0, batchSize: $1, size: $2) },
        Builder(names: UNet3D.names) { try UNet3D.graph(named: $0, batchSize: $1, size: $2) },
        Builder(names: SchedulerZoo.names) { try SchedulerZoo.graph(named: $0, batchSize: $1, size: $2) },
    ]

    /// The zoo names `load` builds in Swift.
    public static var builtInNames: [String] { builders.flatMap(\.names).sorted() }

    /// Whether `spec` is a Swift-built zoo name (with or without a size suffix).
    public static func builtIn(isNamed spec: String) -> Bool {
        let name = parse(spec).name
        return builders.contains { $0.names.contains(name) }
    }

    /// `NAME-rRES` / `NAME-sLEN` split into the name and the size.
    static func parse(_ spec: String) -> (name: String, size: Int?) {
        if let r = spec.range(of: "-", options: .backwards), let tag = spec[r.upperBound...].first, tag == "r" || tag == "s",
           let value = Int(spec[r.upperBound...].dropFirst()) {
            return (String(spec[..<r.lowerBound]), value)
        }
        return (spec, nil)
    }

    /// The Swift-built graph `spec` names (`NAME`, `NAME-rRES` or `NAME-sLEN`), or nil when no
    /// family knows the name.
    public static func builtIn(_ spec: String, batchSize: Int) throws -> ModelGraph? {
        let (name, size) = parse(spec)
        for builder in builders where builder.names.contains(name) {
            if let graph = try builder.build(name, batchSize, size) { return graph }
        }
        return nil
    }

    /// The exported zoo models whose attention runs as one fused kernel
    /// (``ModelGraph/fusingAttention()``): torchvision's Vision Transformers call
    /// `nn.MultiheadAttention` with `need_weights=False`, which PyTorch 2.0 and later run through
    /// `scaled_dot_product_attention` (FlashAttention or the memory-efficient kernel). Swin and
    /// MaxViT compute their windowed attention by hand, so they stay unfused; the ONNX export
    /// itself (PyTorch 1.13) spells every attention out.
    public static let fusedAttentionZoo: Set<String> = ["vit_b_16", "vit_b_32", "vit_l_16", "vit_l_32", "vit_h_14"]

    /// Where the exported zoo's ONNX files are (`tools/onnx/export_zoo.py`).
    public static let zooDirectory = "data/graphs/zoo"

    /// The graph `spec` names, at `batchSize`. A relative file path is looked up in the current
    /// directory, then beside `relativeTo` (a file, e.g. the query CSV naming it).
    /// `zoo` is the folder of exported zoo models (callers pass it resolved against the
    /// installation, see `Installation` in ClusterKit).
    public static func load(_ spec: String, batchSize: Int, relativeTo: String? = nil, zoo: String = zooDirectory) throws -> ModelGraph {
        if spec.hasPrefix("nb201:") {
            return try NB201.graph(arch: String(spec.dropFirst(6)), batchSize: batchSize, executed: true)
        }
        if spec.hasSuffix(".onnx") || spec.hasSuffix(".json") {
            var path = spec
            if !FileManager.default.fileExists(atPath: path), !spec.hasPrefix("/"), let base = relativeTo {
                let beside = ((base as NSString).deletingLastPathComponent as NSString).appendingPathComponent(spec)
                if FileManager.default.fileExists(atPath: beside) { path = beside }
            }
            return spec.hasSuffix(".json") ? try ModelGraph(jsonFile: path) : try ONNXImporter.load(path: path, batchSize: batchSize)
        }
        if let graph = try builtIn(spec, batchSize: batchSize) { return graph }
        let exported = "\(zoo)/\(spec).onnx"
        if !spec.contains("/"), FileManager.default.fileExists(atPath: exported) {
            let graph = try ONNXImporter.load(path: exported, batchSize: batchSize)
            return fusedAttentionZoo.contains(spec) ? graph.fusingAttention() : graph
        }
        throw ModelGraphError.invalidSpec(source: spec, field: "graph",
                                          reason: "not an .onnx or .json file, nb201:ARCH, a built-in model (\(builtInNames.joined(separator: ", ")), optionally -rRESOLUTION or -sLENGTH) or a model in \(zoo)")
    }
}
