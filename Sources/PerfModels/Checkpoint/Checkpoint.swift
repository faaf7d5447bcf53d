import Foundation
import ClusterKit
import Tensors

/// Why a model directory cannot be loaded: names the file, the field and the reason.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var field: String?
    public var reason: String
    public init(file: String, field: String? = nil, reason: String) {
        self.file = file
        self.field = field
        self.reason = reason
    }
    public var description: String { "\(file): \(field.map { "\($0): " } ?? "")\(reason)" }
}

/// How a model was trained, kept with it for reports.
public struct TrainingRecord: Sendable, Codable, Hashable {
    public var data: [String]
    public var split: String
    public var trainSamples: Int
    public var validationSamples: Int
    public var seconds: Double
    public var epochs: [EpochReport]
    public init(data: [String], split: String, trainSamples: Int, validationSamples: Int, seconds: Double, epochs: [EpochReport]) {
        self.data = data
        self.split = split
        self.trainSamples = trainSamples
        self.validationSamples = validationSamples
        self.seconds = seconds
        self.epochs = epochs
    }
}

/// A trained model on disk: a directory with `weights.safetensors` (the parameters, F32, in the
/// published safetensors layout) and `model.json` (architecture, device table, normalizers,
/// target statistics, feature layout and training record). Both are written deterministically.
public enum Checkpoint {
    public static let format = "augur-perf-model"
    public static let version = 1

    struct Metadata: Codable {
        var format: String
        var version: Int
        var hyper: ModelHyper
        var devices: [String]
        var deviceVectors: [String: [Float]]
        var norms: FeatureNorms
        var stats: TargetStats
        var vocabulary: [String]
        var widths: [String: Int]
        var training: TrainingRecord?
        /// Devices adapted by reference, sorted by device; absent when there are none.
        var references: [DeviceReference]?
        /// Calibrated time intervals; absent for an uncalibrated model.
        var timeIntervals: TimeIntervals?
    }

    static var widths: [String: Int] {
        ["node": GraphFeaturizer.nodeWidth, "edge": GraphFeaturizer.edgeWidth, "global": GraphFeaturizer.globalWidth,
         "context": SampleContext.width, "device": DeviceFeatures.width]
    }

    /// Writes `model` to `directory` (created if missing; files replaced atomically).
    public static func save(_ model: PerfModel, to directory: String, training: TrainingRecord?) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let meta = Metadata(format: format, version: version, hyper: model.hyper, devices: model.devices,
                            deviceVectors: model.deviceVectors, norms: model.norms, stats: model.stats,
                            vocabulary: OperatorVocabulary.types, widths: widths, training: training,
                            references: model.references.isEmpty ? nil : model.references.keys.sorted().map { model.references[$0]! },
                            timeIntervals: model.timeIntervals)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let json = try encoder.encode(meta)
        var tensors: [String: Tensor] = [:]
        for p in model.store.parameters { tensors[p.name] = p.value }
        let weights = try SafeTensors(tensors: tensors, metadata: ["format": format]).encoded()
        try Data(weights).write(to: URL(fileURLWithPath: directory + "/weights.safetensors"), options: .atomic)
        try (json + Data("\n".utf8)).write(to: URL(fileURLWithPath: directory + "/model.json"), options: .atomic)
        let efficiencies = directory + "/" + efficienciesFile
        if let m = model.measured, m.count > 0 {
            try Data(m.csv().utf8).write(to: URL(fileURLWithPath: efficiencies), options: .atomic)
        } else if FileManager.default.fileExists(atPath: efficiencies) {
            try FileManager.default.removeItem(atPath: efficiencies)
        }
    }

    /// The optional file of a model's measured efficiencies (``MeasuredEfficiencies``).
    public static let efficienciesFile = "efficiencies.csv"

    /// Loads the model in `directory`; every problem is a ``CheckpointError`` naming the file.
    /// The largest weight magnitude a checkpoint may hold (see `load`).
    public static let largestWeight: Float = 1e4

    public static func load(_ directory: String) throws -> (model: PerfModel, training: TrainingRecord?) {
        let directory = Installation.resolve(directory)
        let jsonPath = directory + "/model.json", weightsPath = directory + "/weights.safetensors"
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw CheckpointError(file: directory, reason: "not a model directory (expected model.json and weights.safetensors in it)")
        }
        guard let json = FileManager.default.contents(atPath: jsonPath) else {
            throw CheckpointError(file: jsonPath, reason: "missing or unreadable")
        }
        let meta: Metadata
        do { meta = try JSONDecoder().decode(Metadata.self, from: json) } catch let DecodingError.keyNotFound(key, ctx) {
            throw CheckpointError(file: jsonPath, field: (ctx.codingPath + [key]).map(\.stringValue).joined(separator: "."), reason: "missing")
        } catch let DecodingError.typeMismatch(_, ctx) {
            throw CheckpointError(file: jsonPath, field: ctx.codingPath.map(\.stringValue).joined(separator: "."), reason: "has the wrong type")
        } catch let DecodingError.dataCorrupted(ctx) {
            let field = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            // Foundation does not say where a syntax error is: find it.
            if let syntax = JSONSyntax.firstError(in: [UInt8](json)) {
                throw CheckpointError(file: jsonPath, reason: "not valid JSON at line \(syntax.line), column \(syntax.column): \(syntax.reason)")
            }
            throw CheckpointError(file: jsonPath, field: field.isEmpty ? nil : field, reason: "not valid: \(ctx.debugDescription)")
        } catch {
            throw CheckpointError(file: jsonPath, reason: "not a model description: \(error)")
        }
        guard meta.format == format else { throw CheckpointError(file: jsonPath, field: "format", reason: "is '\(meta.format)', expected '\(format)'") }
        guard meta.version == version else { throw CheckpointError(file: jsonPath, field: "version", reason: "is \(meta.version); this Augur reads version \(version)") }
        guard meta.vocabulary == OperatorVocabulary.types else {
            throw CheckpointError(file: jsonPath, field: "vocabulary", reason: "the operator vocabulary differs from this Augur's featurizer; retrain the model")
        }
        for (k, v) in widths where meta.widths[k] != v {
            throw CheckpointError(file: jsonPath, field: "widths.\(k)", reason: "is \(meta.widths[k].map(String.init) ?? "missing"), this featurizer has \(v); retrain the model")
        }
        let h = meta.hyper
        guard h.hidden >= 2, h.hidden <= 4096, h.layers >= 0, h.layers <= 64, h.heads >= 1, h.hidden % h.heads == 0,
              h.deviceLatent >= 0, h.deviceLatent <= 1024, !h.targets.isEmpty else {
            throw CheckpointError(file: jsonPath, field: "hyper", reason: "sizes out of range")
        }
        guard meta.norms.node.width == widths["node"], meta.norms.edge.width == widths["edge"],
              meta.norms.global.width == widths["global"], meta.norms.context.width == widths["context"],
              meta.norms.node.std.count == meta.norms.node.width, meta.norms.context.std.count == meta.norms.context.width else {
            throw CheckpointError(file: jsonPath, field: "norms", reason: "widths do not match the feature layout")
        }
        for (name, n) in [("node", meta.norms.node), ("edge", meta.norms.edge), ("global", meta.norms.global), ("context", meta.norms.context)] where !n.isValid {
            throw CheckpointError(file: jsonPath, field: "norms.\(name)", reason: "needs finite means, finite positive std and ordered low/high of the same width")
        }
        let st = meta.stats
        guard [st.timeMean, st.memoryMean, st.operatorMean].allSatisfy(\.isFinite),
              [st.timeStd, st.memoryStd, st.operatorStd].allSatisfy({ $0.isFinite && $0 > 0 && $0 < 100 }) else {
            throw CheckpointError(file: jsonPath, field: "stats", reason: "needs finite means and standard deviations within (0, 100)")
        }
        for (name, b) in [("timeBounds", st.timeBounds), ("memoryBounds", st.memoryBounds)] where !(b?.isValid ?? true) {
            throw CheckpointError(file: jsonPath, field: "stats.\(name)", reason: "needs finite [low, high] pairs with low < high")
        }
        for (name, v) in meta.deviceVectors where v.count != DeviceFeatures.width {
            throw CheckpointError(file: jsonPath, field: "deviceVectors.\(name)", reason: "has \(v.count) entries, expected \(DeviceFeatures.width)")
        }
        let weights: SafeTensors
        do { weights = try SafeTensors(contentsOf: weightsPath) } catch {
            throw CheckpointError(file: weightsPath, reason: error.description)
        }
        let model = PerfModel(hyper: h, devices: meta.devices, deviceVectors: meta.deviceVectors, norms: meta.norms, stats: meta.stats)
        let expected = Set(model.store.parameters.map(\.name))
        for name in weights.tensors.keys.sorted() where !expected.contains(name) {
            throw CheckpointError(file: weightsPath, field: name, reason: "is not a parameter of the \(h.kind.rawValue) model model.json describes (hyper): model.json and the weights do not match")
        }
        for p in model.store.parameters {
            guard let t = weights.tensors[p.name] else {
                throw CheckpointError(file: weightsPath, field: p.name, reason: "missing")
            }
            guard t.shape == p.value.shape else {
                throw CheckpointError(file: weightsPath, field: p.name, reason: "has shape \(t.shape), but the model model.json describes (hyper: \(h.kind.rawValue), hidden \(h.hidden), layers \(h.layers)) needs \(p.value.shape): model.json and the weights do not match")
            }
            guard t.data.allSatisfy(\.isFinite) else {
                throw CheckpointError(file: weightsPath, field: p.name, reason: "holds a non-finite value")
            }
            // Trained weights stay near 1 (weight decay; the committed models' largest is 1.4): a
            // value this large is damage (a flipped exponent bit), which would overflow activations.
            guard t.data.allSatisfy({ abs($0) <= Self.largestWeight }) else {
                throw CheckpointError(file: weightsPath, field: p.name, reason: "holds a value beyond ±\(Int(Self.largestWeight)), which no trained model has (damaged file?)")
            }
            p.value = t
        }
        for r in meta.references ?? [] {
            let field = "references.\(r.device)"
            guard model.devices.contains(r.reference) || r.reference == r.device else {
                throw CheckpointError(file: jsonPath, field: field, reason: "refers to '\(r.reference)', a device the model has no embedding for")
            }
            guard r.offset.isFinite, r.scale.isFinite, r.scale > 0, r.samples > 0, r.batchSize > 0,
                  r.intervalHalfWidth.map({ $0.isFinite && $0 >= 0 }) ?? true else {
                throw CheckpointError(file: jsonPath, field: field, reason: "needs a finite offset, a positive scale, samples and batch size")
            }
            guard model.references[r.device] == nil else { throw CheckpointError(file: jsonPath, field: field, reason: "appears twice") }
            model.references[r.device] = r
        }
        if let t = meta.timeIntervals {
            guard t.isValid else { throw CheckpointError(file: jsonPath, field: "timeIntervals", reason: "needs a level within 0...1 and finite, non-negative half-widths") }
            model.timeIntervals = t
        }
        let efficiencies = directory + "/" + efficienciesFile
        if FileManager.default.fileExists(atPath: efficiencies) {
            guard let bytes = FileManager.default.contents(atPath: efficiencies), let text = String(data: bytes, encoding: .utf8) else {
                throw CheckpointError(file: efficiencies, reason: "unreadable or not UTF-8")
            }
            model.measured = try MeasuredEfficiencies(csv: text, file: efficiencies)
        }
        return (model, meta.training)
    }
}
