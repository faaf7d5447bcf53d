import Foundation

extension ONNXImporter {
    /// Values of an integer tensor of at most 64 elements (int64/int32 data or raw
    /// little-endian bytes), else `nil`.
    static func smallInts(_ t: Onnx_TensorProto, count: Int) -> [Int]? {
        guard count <= 64 else { return nil }
        switch t.dataType {
        case 7:
            if t.int64Data.count == count { return t.int64Data.map { Int($0) } }
            if t.rawData.count == 8 * count {
                return (0..<count).map { i in
                    var v: Int64 = 0
                    for b in 0..<8 { v |= Int64(t.rawData[t.rawData.startIndex + 8 * i + b]) << (8 * b) }
                    return Int(v)
                }
            }
        case 6:
            if t.int32Data.count == count { return t.int32Data.map { Int($0) } }
            if t.rawData.count == 4 * count {
                return (0..<count).map { i in
                    var v: UInt32 = 0
                    for b in 0..<4 { v |= UInt32(t.rawData[t.rawData.startIndex + 4 * i + b]) << (8 * b) }
                    return Int(Int32(bitPattern: v))
                }
            }
        default: break
        }
        return nil
    }

    /// Values of a float32/float64 tensor of at most 64 elements, else `nil`.
    static func smallFloats(_ t: Onnx_TensorProto, count: Int) -> [Double]? {
        guard count <= 64, count > 0 else { return nil }
        switch t.dataType {
        case 1:
            if t.floatData.count == count { return t.floatData.map { Double($0) } }
            if t.rawData.count == 4 * count {
                return (0..<count).map { i in
                    var v: UInt32 = 0
                    for b in 0..<4 { v |= UInt32(t.rawData[t.rawData.startIndex + 4 * i + b]) << (8 * b) }
                    return Double(Float(bitPattern: v))
                }
            }
        case 11:
            if t.doubleData.count == count { return t.doubleData }
        default: break
        }
        return nil
    }

    /// Converts an `AttributeProto` into ``AttributeValue``s. Tensor attributes (Constant's
    /// `value`) become `<name>.dims`, `<name>.dtype` and, for small integer tensors,
    /// `<name>.ints`; graph attributes become `.string("<graph>")`.
    static func convert(
        _ a: Onnx_AttributeProto, into attributes: inout [String: AttributeValue],
        file: String, node: String
    ) throws {
        guard !a.name.isEmpty else {
            throw ModelGraphError.malformed(file: file, field: "node '\(node)'.attribute", reason: "an attribute has no name")
        }
        var type = a.type
        if type == .undefined {  // IR < 0.0.2 files omit the type: infer from the fields set.
            if !a.ints.isEmpty { type = .ints }
            else if !a.floats.isEmpty { type = .floats }
            else if !a.strings.isEmpty { type = .strings }
            else if a.hasT { type = .tensor }
            else if a.hasG { type = .graph }
            else if a.hasS { type = .string }
            else if a.hasF { type = .float }
            else { type = .int }
        }
        func text(_ d: Data) -> String { String(decoding: d, as: UTF8.self) }
        switch type {
        case .int: attributes[a.name] = .int(Int(a.i))
        case .ints: attributes[a.name] = .ints(a.ints.map { Int($0) })
        case .float: attributes[a.name] = .float(Double(a.f))
        case .floats: attributes[a.name] = .floats(a.floats.map { Double($0) })
        case .string: attributes[a.name] = .string(text(a.s))
        case .strings: attributes[a.name] = .strings(a.strings.map(text))
        case .tensor:
            let t = a.t
            guard t.dims.allSatisfy({ $0 >= 0 && $0 <= maxDim }) else {
                throw ModelGraphError.malformed(
                    file: file, field: "node '\(node)'.attribute '\(a.name)'.dims", reason: "dimension out of range")
            }
            let dims = t.dims.map { Int($0) }
            attributes[a.name + ".dims"] = .ints(dims)
            attributes[a.name + ".dtype"] = .int(Int(t.dataType))
            if let ints = smallInts(t, count: Saturating.product(dims)) { attributes[a.name + ".ints"] = .ints(ints) }
        case .graph, .graphs: attributes[a.name] = .string("<graph>")
        default: attributes[a.name] = .string("<\(type)>")
        }
    }
}
