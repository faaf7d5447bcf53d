/// The value of an operator attribute (ONNX `AttributeProto`, or a hyper-parameter of a
/// builder). Graph-valued attributes (If/Loop bodies) are kept as `.string("<graph>")`.
public enum AttributeValue: Codable, Sendable, Hashable {
    case int(Int)
    case ints([Int])
    case float(Double)
    case floats([Double])
    case string(String)
    case strings([String])

    /// The integer value, if this is `.int`.
    public var intValue: Int? {
        if case .int(let v) = self { return v }
        return nil
    }

    /// The integer list, if this is `.ints` (or `.int`, as a one-element list).
    public var intsValue: [Int]? {
        switch self {
        case .ints(let v): v
        case .int(let v): [v]
        default: nil
        }
    }

    /// The float value, if this is `.float` (or `.int`).
    public var floatValue: Double? {
        switch self {
        case .float(let v): v
        case .int(let v): Double(v)
        default: nil
        }
    }

    /// The string value, if this is `.string`.
    public var stringValue: String? {
        if case .string(let v) = self { return v }
        return nil
    }

    private enum CodingKeys: String, CodingKey { case f, fs, i, ints, s, ss }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let v = try c.decodeIfPresent(Int.self, forKey: .i) { self = .int(v) }
        else if let v = try c.decodeIfPresent([Int].self, forKey: .ints) { self = .ints(v) }
        else if let v = try c.decodeIfPresent(Double.self, forKey: .f) { self = .float(v) }
        else if let v = try c.decodeIfPresent([Double].self, forKey: .fs) { self = .floats(v) }
        else if let v = try c.decodeIfPresent(String.self, forKey: .s) { self = .string(v) }
        else if let v = try c.decodeIfPresent([String].self, forKey: .ss) { self = .strings(v) }
        else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "attribute needs one of i, ints, f, fs, s, ss"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .int(let v): try c.encode(v, forKey: .i)
        case .ints(let v): try c.encode(v, forKey: .ints)
        case .float(let v): try c.encode(v, forKey: .f)
        case .floats(let v): try c.encode(v, forKey: .fs)
        case .string(let v): try c.encode(v, forKey: .s)
        case .strings(let v): try c.encode(v, forKey: .ss)
        }
    }
}
