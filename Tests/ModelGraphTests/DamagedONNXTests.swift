import Foundation
import Testing
@testable import ModelGraph

/// Damaged or invalid inputs throw ``ModelGraphError`` naming the file and the reason.
@Suite struct DamagedONNXTests {
    func write(_ data: Data, _ name: String) throws -> String {
        let path = TestPaths.temporaryFile(name)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    func expectError(_ path: String, contains text: String) {
        do {
            _ = try ONNXImporter.load(path: path)
            Issue.record("\(path) imported without error")
        } catch let e as ModelGraphError {
            #expect(e.description.contains(path), "\(e)")
            #expect(e.description.contains(text), "\(e)")
        } catch {
            Issue.record("unexpected error type \(error)")
        }
    }

    @Test func truncatedFiles() throws {
        let full = try Data(contentsOf: URL(fileURLWithPath: TestPaths.model("resnet18")))
        for fraction in [0.1, 0.5, 0.9, 0.999] {
            let path = try write(full.prefix(Int(Double(full.count) * fraction)), "truncated.onnx")
            defer { try? FileManager.default.removeItem(atPath: path) }
            expectError(path, contains: "malformed")
        }
    }

    @Test func randomBytes() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for trial in 0..<20 {
            let bytes = (0..<(1000 + 100 * trial)).map { _ -> UInt8 in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 33)
            }
            let path = try write(Data(bytes), "random.onnx")
            defer { try? FileManager.default.removeItem(atPath: path) }
            expectError(path, contains: "malformed")
        }
    }

    @Test func emptyAndMissingFiles() throws {
        let path = try write(Data(), "empty.onnx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        expectError(path, contains: "empty")
        expectError("/nonexistent/model.onnx", contains: "cannot read")
    }

    /// A hand-made model: Relu reads `ghost`, which nothing defines.
    @Test func undefinedTensor() throws {
        var model = Onnx_ModelProto()
        model.irVersion = 8
        var input = Onnx_ValueInfoProto()
        input.name = "x"
        var node = Onnx_NodeProto()
        node.opType = "Relu"
        node.name = "relu1"
        node.input = ["ghost"]
        node.output = ["y"]
        model.graph.node = [node]
        model.graph.input = [input]
        let path = try write(try model.serializedData(), "undefined.onnx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        expectError(path, contains: "'ghost'")
        expectError(path, contains: "relu1")
    }

    /// dim_param dims become the caller's batch size.
    @Test func symbolicBatchDimension() throws {
        var model = Onnx_ModelProto()
        var input = Onnx_ValueInfoProto()
        input.name = "x"
        var dims = [Onnx_TensorShapeProto.Dimension](repeating: .init(), count: 2)
        dims[0].dimParam = "N"
        dims[1].dimValue = 8
        input.type.tensorType.elemType = 1
        input.type.tensorType.shape.dim = dims
        var w = Onnx_TensorProto()
        w.name = "w"
        w.dims = [8, 4]
        w.dataType = 1
        var node = Onnx_NodeProto()
        node.opType = "MatMul"
        node.input = ["x", "w"]
        node.output = ["y"]
        var output = Onnx_ValueInfoProto()
        output.name = "y"
        model.graph.node = [node]
        model.graph.input = [input]
        model.graph.initializer = [w]
        model.graph.output = [output]
        let g = try ONNXImporter.load(data: try model.serializedData(), file: "mem", batchSize: 32)
        #expect(g.tensors[g.outputs[0]].shape == [32, 4])
        #expect(g.nodes[0].flops == 2 * 32 * 8 * 4)
        #expect(g.parameterCount == 32)
        #expect(g.inputs.count == 1)
    }

    @Test func badJSON() {
        #expect(throws: ModelGraphError.self) { try ModelGraph(json: Data("{\"name\": 3}".utf8)) }
        #expect(throws: ModelGraphError.self) { try ModelGraph(json: Data("not json".utf8)) }
    }
}
