import Foundation
import SwiftProtobuf

/// Imports ONNX models (https://onnx.ai, `onnx.proto`, IR versions 3–11) into a ``ModelGraph``.
///
/// Weights are not needed: initializer dims suffice, and graph inputs that are also
/// initializers are parameters, not activations. Shapes come from the graph's
/// `value_info`, `input` and `output` where present (symbolic `dim_param` dims become the
/// caller's batch size), and from ``ShapeInference`` elsewhere. Nodes are put in
/// topological order. Damaged files throw ``ModelGraphError`` naming the file and reason.
public enum ONNXImporter {
    /// Largest dimension accepted from a file (larger dims mean a damaged file).
    static let maxDim: Int64 = 1 << 40

    /// Reads and imports the ONNX file at `path`.
    public static func load(path: String, batchSize: Int = 1) throws -> ModelGraph {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ModelGraphError.unreadable(file: path, reason: error.localizedDescription)
        }
        return try load(data: data, file: path, batchSize: batchSize)
    }

    /// Imports ONNX bytes; `file` names the source in errors.
    public static func load(data: Data, file: String = "<memory>", batchSize: Int = 1) throws -> ModelGraph {
        guard !data.isEmpty else {
            throw ModelGraphError.malformed(file: file, field: "ModelProto", reason: "the file is empty")
        }
        guard batchSize > 0 else {
            throw ModelGraphError.invalidSpec(source: file, field: "batchSize", reason: "must be positive, got \(batchSize)")
        }
        let model: Onnx_ModelProto
        do {
            model = try Onnx_ModelProto(serializedBytes: data)
        } catch {
            throw ModelGraphError.malformed(
                file: file, field: "ModelProto",
                reason: "not a valid ONNX protobuf (\(error)); the file may be truncated or not ONNX")
        }
        guard model.hasGraph else {
            throw ModelGraphError.malformed(
                file: file, field: "ModelProto.graph",
                reason: "missing; the file is not an ONNX model (or is damaged)")
        }
        guard !model.graph.node.isEmpty else {
            throw ModelGraphError.malformed(file: file, field: "GraphProto.node", reason: "the graph has no nodes")
        }
        var reader = GraphReader(file: file, batchSize: batchSize, graph: model.graph)
        let name = model.graph.name.isEmpty ? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent : model.graph.name
        return try reader.read(name: name)
    }
}
