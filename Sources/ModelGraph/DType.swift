/// Element type of a tensor.
///
/// Raw values are the lower-case names used in the JSON form. The ONNX codes follow
/// `TensorProto.DataType` in `onnx.proto` (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto).
public enum DType: String, Codable, Sendable, CaseIterable {
    case float32, float16, bfloat16, float64
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    case bool, string, complex64, complex128
    case float8
    /// Element type not known (for example Python scalars in a torch.fx trace).
    case undefined

    /// Bytes per element (0 for `string` and `undefined`).
    public var byteSize: Int {
        switch self {
        case .float32, .int32, .uint32: 4
        case .float16, .bfloat16, .int16, .uint16: 2
        case .float64, .int64, .uint64, .complex64: 8
        case .complex128: 16
        case .int8, .uint8, .bool, .float8: 1
        case .string, .undefined: 0
        }
    }

    /// Whether the type is a floating-point type (trainable tensors are).
    public var isFloatingPoint: Bool {
        switch self {
        case .float32, .float16, .bfloat16, .float64, .float8: true
        default: false
        }
    }

    /// The DType of an ONNX `TensorProto.DataType` code.
    public init(onnxCode: Int) {
        switch onnxCode {
        case 1: self = .float32
        case 2: self = .uint8
        case 3: self = .int8
        case 4: self = .uint16
        case 5: self = .int16
        case 6: self = .int32
        case 7: self = .int64
        case 8: self = .string
        case 9: self = .bool
        case 10: self = .float16
        case 11: self = .float64
        case 12: self = .uint32
        case 13: self = .uint64
        case 14: self = .complex64
        case 15: self = .complex128
        case 16: self = .bfloat16
        case 17, 18, 19, 20, 23, 24, 25: self = .float8
        default: self = .undefined
        }
    }

    /// The DType of a torch dtype string such as `torch.float32` (empty → `undefined`).
    public init(torchName: String) {
        let name = torchName.hasPrefix("torch.") ? String(torchName.dropFirst(6)) : torchName
        switch name {
        case "float32", "float": self = .float32
        case "float16", "half": self = .float16
        case "bfloat16": self = .bfloat16
        case "float64", "double": self = .float64
        case "int64", "long": self = .int64
        case "int32", "int": self = .int32
        case "int16": self = .int16
        case "int8": self = .int8
        case "uint8": self = .uint8
        case "bool": self = .bool
        default: self = .undefined
        }
    }
}
