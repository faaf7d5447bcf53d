import ArgumentParser
import ClusterKit
import ClusterSimulation
import Foundation
import PerfModels

/// A predictor named on the command line (`--predictor`, `--predictors`), parsed once here:
/// `measured`, `user-estimate`, `noisy:SIGMA`, `roofline`, `gnn` (models/default), `gnn:MODEL_DIR`.
/// It owns how its predictor is built and what, beyond its label, it adds to a run's fingerprint.
/// A new predictor is a new case here (its parsing, `make`, `fingerprint`) and the contract tests.
struct PredictorChoice: PredictorFactory, ExpressibleByArgument, CustomStringConvertible, Equatable {
    enum Kind: Equatable {
        case measured
        case userEstimate
        case noisy(sigma: Double)
        case roofline
        /// A trained GNN in a model directory (`models/default` when none is named).
        case gnn(directory: String)
    }

    static let measured = try! PredictorChoice(parsing: "measured")
    static let help = "measured | user-estimate | noisy:SIGMA (e.g. noisy:0.3) | roofline | gnn (models/default) | gnn:MODEL_DIR"
    static let defaultModel = "models/default"

    var kind: Kind
    /// The text as given, which names the predictor's runs and rows (`noisy:0.3`, `gnn:models/x`).
    let label: String
    /// Where data and the device catalog are (the ML kinds read the model zoo).
    var data = DataRoot.resolve(flag: nil)

    var description: String { label }

    static func == (a: Self, b: Self) -> Bool { a.kind == b.kind && a.label == b.label }

    init?(argument: String) { try? self.init(parsing: argument) }

    /// The `--predictor` transform (not `init?(argument:)`, so a bad value's reason is in the
    /// error): ArgumentParser names the flag and the value, the reason follows.
    static func option(_ text: String) throws -> PredictorChoice {
        do { return try PredictorChoice(parsing: text) } catch let e as InputError {
            let quoted = "'\(text)': "
            throw ValidationError(e.reason.hasPrefix(quoted) ? String(e.reason.dropFirst(quoted.count)) : e.reason)
        }
    }

    /// Parses one predictor; errors are one line naming `--predictor`.
    init(parsing text: String) throws {
        label = text
        func fail(_ reason: String) -> InputError { InputError(file: "--predictor", reason: reason) }
        switch text {
        case "measured": kind = .measured; return
        case "user-estimate": kind = .userEstimate; return
        case "roofline": kind = .roofline; return
        case "gnn": kind = .gnn(directory: Self.defaultModel); return
        default: break
        }
        if text.hasPrefix("noisy:") {
            guard let s = Double(text.dropFirst(6)), s >= 0, s <= Limits.maxNoiseSigma else {
                throw fail("'\(text)': noisy needs a σ in [0, \(Limits.maxNoiseSigma)], e.g. noisy:0.3")
            }
            kind = .noisy(sigma: s)
            return
        }
        guard let colon = text.firstIndex(of: ":") else { throw fail("unknown predictor '\(text)' (choices: \(Self.help))") }
        let name = String(text[..<colon]), argument = String(text[text.index(after: colon)...])
        switch name {
        case "gnn":
            guard !argument.isEmpty else { throw fail("'\(text)': gnn takes a model directory after the colon") }
            kind = .gnn(directory: argument)
        case "roofline": throw fail("'\(text)': roofline takes no argument")
        default: throw fail("unknown predictor kind '\(name)' (choices: \(Self.help))")
        }
    }

    /// Parses a comma-separated list (`measured,noisy:0.3,gnn`), every one read with `data`.
    static func list(_ text: String, data: DataRoot) throws -> [PredictorChoice] {
        try text.split(separator: ",").map { var c = try PredictorChoice(parsing: String($0)); c.data = data; return c }
    }

    /// Returns the choice reading its models from `data`.
    func reading(_ data: DataRoot) -> PredictorChoice { var c = self; c.data = data; return c }

    /// The model directory's files' hashes, for a GNN (retraining it changes the runs).
    func fingerprint() -> String? {
        guard case .gnn(let dir) = kind else { return nil }
        func hash(_ path: String) -> String { SHA256.hex(FileManager.default.contents(atPath: path) ?? Data()) }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
        return "model \(label) " + files.map { "\($0)=\(hash("\(dir)/\($0)"))" }.joined(separator: " ")
    }

    /// Whether one predictor serves every seed and trace of an evaluation (a loaded GNN with its
    /// answer cache, the roofline), so it is made once and shared by the runs' threads.
    var isShared: Bool {
        switch kind {
        case .roofline, .gnn: true
        case .measured, .userEstimate, .noisy: false
        }
    }

    func make(scenario: Scenario, seed: UInt64) throws -> any PerformancePredictor {
        switch kind {
        case .measured: return SimulatedPredictor.measured.make(scenario: scenario, seed: seed)
        case .userEstimate: return SimulatedPredictor.userEstimate.make(scenario: scenario, seed: seed)
        case .noisy(let sigma): return SimulatedPredictor.noisy(sigma: sigma).make(scenario: scenario, seed: seed)
        case .roofline: return RooflinePredictor(zoo: ModelZoo(data: data), catalog: scenario.catalog)
        case .gnn(let directory):
            do {
                // Where the GNN cannot answer, the roofline's time (issue 15 item 4).
                let zoo = ModelZoo(data: data)
                return FallbackPredictor(primary: try GNNPredictor(directory: directory, zoo: zoo, catalog: scenario.catalog),
                                         secondary: RooflinePredictor(zoo: zoo, catalog: scenario.catalog))
            } catch let e as CheckpointError {
                throw InputError(file: e.file, field: e.field, reason: e.reason)
            }
        }
    }
}

/// A predictor choice whose predictor, where it serves every seed (``PredictorChoice/isShared``),
/// is made once and shared by an evaluation's threads.
final class SharedPredictor: PredictorFactory, @unchecked Sendable {
    let choice: PredictorChoice
    private let lock = NSLock()
    private var made: (any PerformancePredictor)?

    init(_ choice: PredictorChoice) { self.choice = choice }

    var label: String { choice.label }
    func fingerprint() -> String? { choice.fingerprint() }

    func make(scenario: Scenario, seed: UInt64) throws -> any PerformancePredictor {
        guard choice.isShared else { return try choice.make(scenario: scenario, seed: seed) }
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let p = try choice.make(scenario: scenario, seed: seed)
        made = p
        return p
    }
}
