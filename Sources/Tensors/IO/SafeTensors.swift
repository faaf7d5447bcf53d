/// Reading and writing the safetensors format (Hugging Face,
/// https://huggingface.co/docs/safetensors): an 8-byte little-endian unsigned header length N,
/// N bytes of UTF-8 JSON mapping each tensor name to `{"dtype", "shape", "data_offsets"}` (plus
/// an optional `"__metadata__"` string map), then the byte buffer the `[begin, end)` offsets
/// index. Only `F32` is supported.
///
/// Output is deterministic: `__metadata__` first (as the reference writer does), then tensors
/// sorted by name (byte order), their data laid out in that order, and the header padded
/// with spaces to a multiple of 8 bytes. Readers reject truncated files, bad JSON, offsets out
/// of range, overlapping or leaving holes, and unsupported dtypes, naming the file and reason.
public struct SafeTensors: Equatable {
    /// Tensors by name.
    public var tensors: [String: Tensor]
    /// The free-form `__metadata__` string map.
    public var metadata: [String: String]

    /// The reference implementation's limit on header size.
    static let maximumHeaderBytes = 100_000_000

    public init(tensors: [String: Tensor], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The names in the order they are written.
    public var sortedNames: [String] {
        tensors.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// The file's bytes.
    public func encoded() throws(SafeTensorsError) -> [UInt8] {
        let names = sortedNames
        var entries: [String] = []
        if !metadata.isEmpty {
            let keys = metadata.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            let fields = keys.map { "\(JSONValue.quote($0)):\(JSONValue.quote(metadata[$0]!))" }
            entries.append("\"__metadata__\":{\(fields.joined(separator: ","))}")
        }
        var offset = 0
        for name in names {
            guard name != "__metadata__" else {
                throw SafeTensorsError(file: "<memory>", kind: .invalidTensor, reason: "a tensor may not be named __metadata__")
            }
            let t = tensors[name]!
            let end = offset + 4 * t.count
            let shape = t.shape.map(String.init).joined(separator: ",")
            entries.append("\(JSONValue.quote(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        header.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8))
        var out = [UInt8]()
        out.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for name in names {
            #if _endian(little)
            tensors[name]!.data.withUnsafeBytes { out.append(contentsOf: $0) }
            #else
            for x in tensors[name]!.data {
                withUnsafeBytes(of: x.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            }
            #endif
        }
        return out
    }

    /// Parses and validates a file's bytes; `file` names the source in errors.
    public init(decoding bytes: [UInt8], file: String = "<memory>") throws(SafeTensorsError) {
        func failure(_ kind: SafeTensorsError.Kind, _ reason: String) -> SafeTensorsError {
            SafeTensorsError(file: file, kind: kind, reason: reason)
        }
        guard bytes.count >= 8 else {
            throw failure(.truncated, "\(bytes.count) bytes, shorter than the 8-byte header length")
        }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n <= UInt64(SafeTensors.maximumHeaderBytes) else {
            throw failure(.invalidHeader, "header length \(n) exceeds the \(SafeTensors.maximumHeaderBytes)-byte limit")
        }
        let headerEnd = 8 + Int(n)
        guard headerEnd <= bytes.count else {
            throw failure(.truncated, "header length \(n) runs past the end of the \(bytes.count)-byte file")
        }
        guard n > 0, bytes[8] == UInt8(ascii: "{") else {
            throw failure(.invalidHeader, "header does not start with '{'")
        }
        let root: JSONValue
        do {
            root = try JSONValue.parse(bytes[8..<headerEnd])
        } catch {
            throw failure(.invalidHeader, "header is not valid JSON (\(error.message))")
        }
        guard case .object(let members) = root else {
            throw failure(.invalidHeader, "header is not a JSON object")
        }
        let bufferSize = bytes.count - headerEnd
        var metadata: [String: String] = [:]
        var spans: [(name: String, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in members {
            if name == "__metadata__" {
                guard case .object(let pairs) = value else {
                    throw failure(.invalidHeader, "__metadata__ is not an object")
                }
                for (k, v) in pairs {
                    guard case .string(let s) = v else {
                        throw failure(.invalidHeader, "__metadata__ value for \"\(k)\" is not a string")
                    }
                    metadata[k] = s
                }
                continue
            }
            guard case .object(let fields) = value else {
                throw failure(.invalidHeader, "entry \"\(name)\" is not an object")
            }
            func field(_ key: String) -> JSONValue? { fields.first { $0.0 == key }?.1 }
            guard case .string(let dtype) = field("dtype") else {
                throw failure(.invalidHeader, "tensor \"\(name)\" has no dtype string")
            }
            guard dtype == "F32" else {
                throw failure(.unsupportedDtype, "tensor \"\(name)\" has dtype \(dtype); only F32 is supported")
            }
            guard case .array(let dims) = field("shape"), let shape = Self.ints(dims) else {
                throw failure(.invalidHeader, "tensor \"\(name)\" has no shape of non-negative integers")
            }
            guard case .array(let offs) = field("data_offsets"), offs.count == 2,
                let range = Self.ints(offs)
            else {
                throw failure(.invalidHeader, "tensor \"\(name)\" has no data_offsets pair of non-negative integers")
            }
            let (begin, end) = (range[0], range[1])
            guard begin <= end, end <= bufferSize else {
                throw failure(.offsetsOutOfRange, "tensor \"\(name)\" has data_offsets [\(begin), \(end)) outside the \(bufferSize)-byte buffer")
            }
            var elements = 1
            for d in shape {
                let (p, overflow) = elements.multipliedReportingOverflow(by: d)
                guard !overflow, p <= bufferSize else {
                    throw failure(.offsetsOutOfRange, "tensor \"\(name)\" shape \(shape) is larger than the buffer")
                }
                elements = p
            }
            guard end - begin == 4 * elements else {
                throw failure(.offsetsOutOfRange, "tensor \"\(name)\" of shape \(shape) needs \(4 * elements) bytes, data_offsets give \(end - begin)")
            }
            spans.append((name, shape, begin, end))
        }
        let ordered = spans.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var covered = 0
        for s in ordered {
            guard s.begin >= covered else {
                throw failure(.overlappingOffsets, "tensor \"\(s.name)\" at [\(s.begin), \(s.end)) overlaps bytes before \(covered)")
            }
            guard s.begin == covered else {
                throw failure(.incompleteBuffer, "bytes [\(covered), \(s.begin)) belong to no tensor")
            }
            covered = s.end
        }
        guard covered == bufferSize else {
            throw failure(.incompleteBuffer, "bytes [\(covered), \(bufferSize)) belong to no tensor")
        }
        var tensors: [String: Tensor] = [:]
        for s in spans {
            let count = (s.end - s.begin) / 4
            let base = headerEnd + s.begin
            tensors[s.name] = Tensor(shape: s.shape) { out in
                for i in 0..<count {
                    let p = base + 4 * i
                    let bits = UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8
                        | UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24
                    out[i] = Float(bitPattern: bits)
                }
            }
        }
        self.init(tensors: tensors, metadata: metadata)
    }

    /// Non-negative integers from JSON numbers, or nil.
    static func ints(_ values: [JSONValue]) -> [Int]? {
        var out: [Int] = []
        for v in values {
            guard let i = v.nonNegativeInt else { return nil }
            out.append(i)
        }
        return out
    }
}
