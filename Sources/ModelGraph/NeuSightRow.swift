import Foundation

/// One torch.fx node of a NeuSight operator-graph CSV (columns `op`, `target`,
/// `_input_nodes`, `input_shapes`, `output_shape`, `dtype`, `fw_latency`, `bw_latency`,
/// `meta`, `Name`).
struct NeuSightRow {
    var line: Int
    var name: String
    var op: String
    var target: String
    var inputs: [String]
    var outputShape: [Int]?
    var dtype: DType
    var forwardMs: Double
    var backwardMs: Double
    /// Class name of the innermost module (`Linear`, `Embedding`, …) from `meta`.
    var moduleClass: String?
    /// Index of the repeated block (e.g. `bert.encoder.layer.0` → 0) from `meta`.
    var layerIndex: Int?

    /// Names in `{a: None, b: None}`.
    static func parseNames(_ text: String) -> [String] {
        let inner = text.trimmingCharacters(in: CharacterSet(charactersIn: "{} "))
        guard !inner.isEmpty else { return [] }
        return inner.components(separatedBy: ", ").compactMap { part in
            let name = part.components(separatedBy: ":").first?.trimmingCharacters(in: .whitespaces) ?? ""
            return name.isEmpty ? nil : name
        }
    }

    /// Integers of `(2, 512)` / `(1,)` / `()`; `nil` for an empty or unreadable field.
    static func parseShape(_ text: String) -> [Int]? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("(") || t.hasPrefix("[") else { return nil }
        let inner = t.trimmingCharacters(in: CharacterSet(charactersIn: "()[] "))
        if inner.isEmpty { return [] }
        var dims: [Int] = []
        for part in inner.split(separator: ",") {
            let s = part.trimmingCharacters(in: .whitespaces)
            if s.isEmpty { continue }
            guard let d = Int(s), d >= 0, d < 1 << 40 else { return nil }
            dims.append(d)
        }
        return dims
    }

    /// The innermost `<class 'a.b.C'>` of `meta`, and the first numeric module-path
    /// component (the layer index).
    static func parseMeta(_ meta: String) -> (moduleClass: String?, layer: Int?) {
        var cls: String? = nil
        var rest = Substring(meta)
        while let r = rest.range(of: "<class '") {
            let after = rest[r.upperBound...]
            guard let end = after.firstIndex(of: "'") else { break }
            cls = after[..<end].split(separator: ".").last.map(String.init)
            rest = after[end...]
        }
        var layer: Int? = nil
        var search = Substring(meta)
        while layer == nil, let r = search.range(of: "('") {
            let after = search[r.upperBound...]
            guard let end = after.firstIndex(of: "'") else { break }
            for component in after[..<end].split(separator: ".") {
                if let n = Int(component) { layer = n; break }
            }
            search = after[end...]
        }
        return (cls, layer)
    }
}
