import Foundation

extension ModelGraph {
    /// The JSON form of the graph: the Codable encoding with sorted keys (dictionary keys
    /// included), so equal graphs give byte-identical output.
    public func jsonData(prettyPrinted: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads the JSON form written by ``jsonData(prettyPrinted:)`` and checks the graph's
    /// invariants; `file` names the source in errors.
    public init(json: Data, file: String = "<json>") throws {
        let graph: ModelGraph
        do {
            graph = try JSONDecoder().decode(ModelGraph.self, from: json)
        } catch let DecodingError.keyNotFound(key, context) {
            throw ModelGraphError.malformed(
                file: file, field: (context.codingPath + [key]).map(\.stringValue).joined(separator: "."),
                reason: "missing")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
            let DecodingError.dataCorrupted(context)
        {
            throw ModelGraphError.malformed(
                file: file, field: context.codingPath.map(\.stringValue).joined(separator: "."),
                reason: context.debugDescription)
        } catch {
            throw ModelGraphError.malformed(file: file, field: "ModelGraph", reason: "\(error)")
        }
        try graph.validate()
        self = graph
    }

    /// Reads a JSON graph file.
    public init(jsonFile path: String) throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ModelGraphError.unreadable(file: path, reason: error.localizedDescription)
        }
        try self.init(json: data, file: path)
    }

    /// Writes the JSON form to `path`.
    public func writeJSON(to path: String) throws {
        try jsonData(prettyPrinted: true).write(to: URL(fileURLWithPath: path))
    }
}
