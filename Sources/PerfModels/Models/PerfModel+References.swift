import ClusterKit
import Foundation
import ModelGraph

/// A device adapted by reference (``Adaptation/reference(_:data:samples:device:catalog:)``):
/// its time is an affine map, in log space, of the model's time for a device the model
/// already predicts well. `ln t = offset + scale · ln t_reference`, for the same graph, batch
/// size, mode and precision.
///
/// The idea is HELP's (Lee et al., NeurIPS 2021): a new device is known by how it ranks known
/// workloads, and a few measurements place it among devices whose behaviour is learned. Here
/// the few samples choose the closest known device and the map to it, and no weight moves, so
/// adapting never changes what the model says about any other device.
public struct DeviceReference: Sendable, Codable, Hashable {
    /// The adapted device.
    public var device: String
    /// A device with a learned embedding, or `device` itself predicted from its specs alone.
    public var reference: String
    public var offset: Double
    /// 1 when only the offset was fitted.
    public var scale: Double
    /// Root mean square of the leave-one-out residuals (ln time) on the samples: what chose
    /// this reference and map among the candidates.
    public var leaveOneOutError: Double
    /// Half-width in `ln` time of the 90% interval: the conformal quantile of the absolute
    /// leave-one-out residuals of the whole procedure (each sample predicted by the reference
    /// and map chosen without it: the jackknife interval as Barber, Candès, Ramdas and
    /// Tibshirani, "Predictive inference with the jackknife+", Annals of Statistics 2021, state
    /// it; it has no finite-sample guarantee, so the README reports its measured coverage);
    /// nil, so no interval, with fewer than 9 samples.
    public var intervalHalfWidth: Double?
    /// Samples the map was fitted on, and their batch size and mode (the map is fitted there;
    /// elsewhere it carries the reference's own scaling).
    public var samples: Int
    public var batchSize: Int
    public var mode: RunMode

    public init(device: String, reference: String, offset: Double, scale: Double, leaveOneOutError: Double,
                samples: Int, batchSize: Int, mode: RunMode) {
        self.device = device
        self.reference = reference
        self.offset = offset
        self.scale = scale
        self.leaveOneOutError = leaveOneOutError
        self.samples = samples
        self.batchSize = batchSize
        self.mode = mode
    }

    /// `sample` asked of the reference device instead, with the priors on the reference's specs.
    func referenceSample(_ sample: PerfSample, profile: CostProfile, catalog: DeviceCatalog?) -> PerfSample {
        var s = sample
        s.device = reference
        (s.priorTime, s.priorMemory) = PerfDataset.priors(profile: profile, mode: s.mode, precision: s.precision, spec: catalog?[reference])
        return s
    }

    /// The reference's prediction mapped to this device: time by the map, memory kept (a
    /// graph's footprint hardly depends on the device), utilization dropped (it does).
    func apply(_ p: SamplePrediction) -> SamplePrediction {
        var q = SamplePrediction()
        q.memory = p.memory
        q.novelty = p.novelty
        q.time = p.time.map { Foundation.exp(offset + scale * Foundation.log($0)) }
        return intervalHalfWidth.map { q.withInterval(halfWidth: $0 * (1 + (p.novelty ?? 0))) } ?? q
    }
}

extension PerfModel {
    /// Whether the model can answer for `device`: it was trained or adapted on it, or the
    /// catalog has its specs.
    public func canPredict(_ device: String, catalog: DeviceCatalog?) -> Bool {
        references[device] != nil || deviceVector(device, catalog: catalog) != nil
    }

    /// `data` with every sample in `samples` on a device adapted by reference asked of its
    /// reference instead; nil when there is none.
    func substitutingReferences(_ data: PerfDataset, samples: [Int], catalog: DeviceCatalog?) -> PerfDataset? {
        guard !references.isEmpty, samples.contains(where: { references[data.samples[$0].device] != nil }) else { return nil }
        return Self.asking(data, samples: samples, catalog: catalog) { references[$0.device] }
    }

    /// `data` with each sample in `samples` asked of `reference(sample)`'s reference, where it
    /// names one.
    static func asking(_ data: PerfDataset, samples: [Int], catalog: DeviceCatalog?,
                       _ reference: (PerfSample) -> DeviceReference?) -> PerfDataset {
        var copy = data
        for i in samples {
            let s = data.samples[i]
            if let r = reference(s) { copy.samples[i] = r.referenceSample(s, profile: data.graphs[s.graph].profile, catalog: catalog) }
        }
        return copy
    }
}
