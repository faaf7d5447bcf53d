import Foundation
import Testing
@testable import Tensors

@Suite struct SafeTensorsTests {
    let sample = SafeTensors(
        tensors: [
            "layer.weight": Tensor([[1, -2.5, 3], [0.125, 1e-8, -0]]),
            "bias": Tensor(shape: [3], data: [0.5, .greatestFiniteMagnitude, -1]),
            "empty": Tensor.zeros([0, 4]),
            "scalar": Tensor(scalar: 7),
        ],
        metadata: ["epoch": "3", "note": "quote \" and\nnewline"])

    func temporaryPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tensors-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    /// A file assembled by hand from the published format description.
    func handMade(header: String, data: [Float], padTo8: Bool = false) -> [UInt8] {
        var h = Array(header.utf8)
        if padTo8 { h += [UInt8](repeating: 0x20, count: (8 - h.count % 8) % 8) }
        var bytes = [UInt8]()
        var n = UInt64(h.count)
        for _ in 0..<8 {
            bytes.append(UInt8(n & 0xFF))
            n >>= 8
        }
        bytes += h
        for x in data {
            var bits = x.bitPattern
            for _ in 0..<4 {
                bytes.append(UInt8(bits & 0xFF))
                bits >>= 8
            }
        }
        return bytes
    }

    @Test func roundTripIsByteStableAndLossless() throws {
        let path1 = temporaryPath("a.safetensors"), path2 = temporaryPath("b.safetensors")
        try sample.write(to: path1)
        try sample.write(to: path2)
        let bytes1 = try #require(FileManager.default.contents(atPath: path1))
        let bytes2 = try #require(FileManager.default.contents(atPath: path2))
        #expect(bytes1 == bytes2)
        let back = try SafeTensors(contentsOf: path1)
        #expect(back == sample)
        #expect(try back.encoded() == [UInt8](bytes1))
    }

    @Test func writerFollowsTheLayout() throws {
        let bytes = try SafeTensors(tensors: ["b": Tensor(shape: [2], data: [1, 2]), "a": Tensor(scalar: -1)]).encoded()
        let n = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        #expect(n % 8 == 0)
        let header = String(decoding: bytes[8..<(8 + Int(n))], as: UTF8.self)
        #expect(header.trimmingCharacters(in: .whitespaces) == #"{"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#)
        #expect(Array(bytes[(8 + Int(n))...]) == [0x00, 0x00, 0x80, 0xBF, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40])
    }

    @Test func readsAHandWrittenFile() throws {
        let header = #"{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[4,20]},"s":{"shape":[],"dtype":"F32","data_offsets":[0,4]}}"#
        let file = try SafeTensors(decoding: handMade(header: header, data: [9, 1, 2, 3, 4], padTo8: true))
        #expect(file.metadata == ["format": "pt"])
        #expect(file.tensors["s"] == Tensor(scalar: 9))
        #expect(file.tensors["w"] == Tensor([[1, 2], [3, 4]]))
    }

    func expectRejected(
        _ bytes: [UInt8], _ kind: SafeTensorsError.Kind, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let path = temporaryPath("damaged-\(kind.rawValue).safetensors")
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        do {
            _ = try SafeTensors(contentsOf: path)
            Issue.record("accepted a damaged file (\(kind))", sourceLocation: sourceLocation)
        } catch {
            #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
            #expect(error.file == path, sourceLocation: sourceLocation)
            #expect(error.description.contains(path), sourceLocation: sourceLocation)
        }
    }

    @Test func rejectsDamagedFiles() throws {
        let good = handMade(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: [1, 2])
        expectRejected(Array(good.prefix(5)), .truncated)
        expectRejected(Array(good.prefix(20)), .truncated)
        expectRejected(handMade(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#, data: [1, 2]), .invalidHeader)
        expectRejected(handMade(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},}"#, data: [1, 2]), .invalidHeader)
        expectRejected(handMade(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}, "a":{}}"#, data: [1, 2]), .invalidHeader)
        expectRejected(handMade(header: #"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data: [1, 2]), .invalidHeader)
        expectRejected(handMade(header: #"{"a":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}}"#, data: [1, 2]), .unsupportedDtype)
        expectRejected(Array(good.dropLast(4)), .offsetsOutOfRange)
        expectRejected(handMade(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#, data: [1, 2]), .offsetsOutOfRange)
        expectRejected(handMade(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: [1, 2]), .offsetsOutOfRange)
        expectRejected(handMade(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: [1, 2, 3]), .overlappingOffsets)
        expectRejected(handMade(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: [1, 2]), .incompleteBuffer)
        expectRejected(good + [0, 0, 0, 0], .incompleteBuffer)
        expectRejected([8, 0, 0, 0, 0, 0, 0, 0] + Array("[1,2,3]".utf8) + [0x20], .invalidHeader)
    }

    @Test func missingFileIsAnIOError() {
        #expect(throws: SafeTensorsError.self) { try SafeTensors(contentsOf: "/nonexistent/x.safetensors") }
    }
}
