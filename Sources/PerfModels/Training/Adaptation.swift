import ClusterKit
import Foundation
import Tensors

/// Fine-tuning a trained model to a new device from a few measured samples (the few-shot
/// setting of HELP: Lee et al., "HELP: Hardware-Adaptive Efficient Latency Prediction for NAS
/// via Meta-Learning", NeurIPS 2021).
///
/// The device gets its own embedding row (new, starting at zero), and `tune` chooses what
/// else moves: only the embedding, or the embedding and the time head. The encoder stays
/// frozen, so a handful of samples cannot distort what the model learned about graphs.
public enum Adaptation {
    public enum Tune: String, Sendable, CaseIterable, Codable {
        case embedding, head
    }

    /// How a device is adapted: by reference to a known device (``reference(_:data:samples:device:catalog:)``,
    /// no weight changes) or by fine-tuning (``adapt(_:data:samples:device:vector:catalog:options:)``).
    public enum Method: String, Sendable, CaseIterable, Codable {
        case reference, finetune
    }

    public struct Options: Sendable {
        public var steps = 150
        public var learningRate: Float = 0.02
        public var tune: Tune = .head
        public init() {}
    }

    /// Adapts `model` in place to `device` (its ``DeviceFeatures`` vector `vector`) on
    /// `samples` of `data`; returns the final training loss.
    @discardableResult
    public static func adapt(_ model: PerfModel, data: PerfDataset, samples: [Int], device: String, vector: [Float],
                             catalog: DeviceCatalog?, options: Options) throws -> Double {
        model.references[device] = nil
        model.addDevice(device, vector: vector)
        let b = try model.prepare(data, samples: samples, catalog: catalog)
        var tuned = model.store.parameters.filter { $0.name == "device_embedding" }
        if options.tune == .head { tuned += model.store.parameters.filter { $0.name.hasPrefix("head.time.") } }
        let optimizer = Adam(parameters: tuned, learningRate: options.learningRate)
        var last = Double.nan
        for _ in 0..<options.steps {
            let tape = Tape()
            let out = model.forward(b, tape: tape)
            let losses = Trainer.losses(model, out, b, tape: tape)
            guard let loss = losses.first else { break }
            for p in model.store.parameters { p.zeroGrad() }
            tape.backward(loss)
            optimizer.step()
            last = Double(loss.value.data[0])
        }
        for p in model.store.parameters { p.zeroGrad() }
        return last
    }
}
