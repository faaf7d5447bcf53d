import Foundation

extension SafeTensors {
    /// Reads and validates the safetensors file at `path`.
    public init(contentsOf path: String) throws(SafeTensorsError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SafeTensorsError(file: path, kind: .io, reason: "cannot read the file")
        }
        try self.init(decoding: [UInt8](data), file: path)
    }

    /// Writes the file to `path` atomically (a temporary file renamed into place).
    public func write(to path: String) throws(SafeTensorsError) {
        let bytes: [UInt8]
        do {
            bytes = try encoded()
        } catch {
            throw SafeTensorsError(file: path, kind: error.kind, reason: error.reason)
        }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SafeTensorsError(file: path, kind: .io, reason: "cannot write the file (\(error.localizedDescription))")
        }
    }
}
