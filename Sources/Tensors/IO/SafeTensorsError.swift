/// Why a safetensors file was rejected, with the file it came from.
public struct SafeTensorsError: Error, Equatable, CustomStringConvertible {
    /// The kinds of damage a reader detects.
    public enum Kind: String, Sendable, Equatable {
        /// The file ends before its header or before the data it declares.
        case truncated
        /// The header is not valid JSON or not the expected structure.
        case invalidHeader
        /// A dtype other than `F32`.
        case unsupportedDtype
        /// `data_offsets` outside the byte buffer, reversed, or not matching the shape.
        case offsetsOutOfRange
        /// Two tensors claim the same bytes.
        case overlappingOffsets
        /// Bytes of the buffer that no tensor claims (the format forbids holes).
        case incompleteBuffer
        /// The file could not be read or written.
        case io
        /// A tensor or metadata entry that cannot be written.
        case invalidTensor
    }

    /// The file (or `<memory>` for byte buffers).
    public let file: String
    /// What kind of damage.
    public let kind: Kind
    /// A sentence saying what is wrong.
    public let reason: String

    public init(file: String, kind: Kind, reason: String) {
        self.file = file
        self.kind = kind
        self.reason = reason
    }

    public var description: String { "\(file): \(kind.rawValue): \(reason)" }
}
