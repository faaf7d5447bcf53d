import ClusterKit
import Foundation
import PerfModels
import Tensors
import Testing

/// Model directories: round trip, and clear errors for damaged or mismatched files.
@Suite struct CheckpointTests {
    static func saved() throws -> (String, PerfModel, PerfDataset) {
        let data = try PerfFixtures.dataset()
        let model = try PerfFixtures.model(.eagat, data: data, targets: [.time, .memory])
        let dir = PerfFixtures.temporaryDirectory("ckpt")
        try Checkpoint.save(model, to: dir, training: nil)
        return (dir, model, data)
    }

    @Test func roundTripGivesIdenticalPredictionsAndBytes() throws {
        let (dir, model, data) = try Self.saved()
        let (loaded, _) = try Checkpoint.load(dir)
        let catalog = try PerfFixtures.catalog.get()
        let all = Array(data.samples.indices)
        #expect(try model.predict(data, samples: all, catalog: catalog) == loaded.predict(data, samples: all, catalog: catalog))
        let again = PerfFixtures.temporaryDirectory("ckpt2")
        try Checkpoint.save(loaded, to: again, training: nil)
        for file in ["model.json", "weights.safetensors"] {
            #expect(FileManager.default.contents(atPath: "\(dir)/\(file)") == FileManager.default.contents(atPath: "\(again)/\(file)"))
        }
    }

    @Test func missingDirectoryIsAClearError() {
        #expect(throws: CheckpointError.self) { try Checkpoint.load("/nonexistent/model") }
    }

    @Test func damagedJSONNamesTheFileAndField() throws {
        let (dir, _, _) = try Self.saved()
        let path = "\(dir)/model.json"
        var text = String(decoding: FileManager.default.contents(atPath: path)!, as: UTF8.self)
        text = text.replacingOccurrences(of: "\"hidden\" : 16", with: "\"hidden\" : \"wide\"")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: CheckpointError.self) { try Checkpoint.load(dir) }
        #expect(error.file == path)
        #expect(error.field == "hyper.hidden")
    }

    @Test func truncatedJSONIsAnError() throws {
        let (dir, _, _) = try Self.saved()
        try Data("{\"format\": ".utf8).write(to: URL(fileURLWithPath: "\(dir)/model.json"))
        let error = try #require(throws: CheckpointError.self) { try Checkpoint.load(dir) }
        #expect(error.file.hasSuffix("model.json"))
        #expect(error.reason.contains("line 1, column 12"), "\(error)")
    }

    @Test func weightsOfAnotherShapeAreRejectedWithTheTensorName() throws {
        let (dir, _, data) = try Self.saved()
        let other = try PerfFixtures.model(.eagat, data: data, targets: [.time, .memory], hidden: 8)
        let otherDir = PerfFixtures.temporaryDirectory("ckpt-other")
        try Checkpoint.save(other, to: otherDir, training: nil)
        try FileManager.default.removeItem(atPath: "\(dir)/weights.safetensors")
        try FileManager.default.copyItem(atPath: "\(otherDir)/weights.safetensors", toPath: "\(dir)/weights.safetensors")
        let error = try #require(throws: CheckpointError.self) { try Checkpoint.load(dir) }
        #expect(error.file.hasSuffix("weights.safetensors"))
        #expect(error.reason.contains("shape"))
    }

    @Test func truncatedWeightsAreRejected() throws {
        let (dir, _, _) = try Self.saved()
        let path = "\(dir)/weights.safetensors"
        let bytes = FileManager.default.contents(atPath: path)!
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: CheckpointError.self) { try Checkpoint.load(dir) }
        #expect(error.file == path)
    }

    @Test func aWrongFormatIsRejected() throws {
        let (dir, _, _) = try Self.saved()
        let path = "\(dir)/model.json"
        let text = String(decoding: FileManager.default.contents(atPath: path)!, as: UTF8.self)
            .replacingOccurrences(of: "\"augur-perf-model\"", with: "\"something-else\"")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: CheckpointError.self) { try Checkpoint.load(dir) }
        #expect(error.field == "format")
    }
}
