import ClusterKit
import Foundation

/// Something that predicts the time of dataset samples: the baselines trained models are
/// compared with on the same splits (a trained model is judged by
/// ``AccuracyReport/init(model:name:data:samples:catalog:group:)``).
public protocol SampleTimePredictor {
    var name: String { get }
    /// Seconds per iteration for each sample (nil where it cannot say).
    func times(_ data: PerfDataset, samples: [Int]) throws -> [Double?]
}

/// Per-device FLOPs regression: `ln t = a_d + b_d · ln FLOPs` by least squares on each
/// device's training samples (FLOPs of the sample's mode: forward for inference, forward +
/// backward + update for training). Devices without training samples use one fit over all.
public struct FLOPsRegression: SampleTimePredictor {
    public var name: String { "flops-regression" }
    var perDevice: [String: (Double, Double)] = [:]
    var pooled: (Double, Double) = (0, 1)

    static func lnFLOPs(_ data: PerfDataset, _ s: PerfSample) -> Double {
        Double(data.graphs[s.graph].globals[s.mode == .train ? 11 : 3])
    }

    static func fit(_ points: [(Double, Double)]) -> (Double, Double) {
        let n = Double(points.count)
        guard points.count >= 2 else { return (points.first.map { $0.1 - $0.0 } ?? 0, 1) }
        let mx = points.reduce(0) { $0 + $1.0 } / n, my = points.reduce(0) { $0 + $1.1 } / n
        let sxx = points.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }
        let sxy = points.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let b = sxx > 1e-12 ? sxy / sxx : 0
        return (my - b * mx, b)
    }

    /// Fits on the training samples that have a measured time.
    public init(_ data: PerfDataset, train: [Int]) {
        var byDevice: [String: [(Double, Double)]] = [:]
        var all: [(Double, Double)] = []
        for i in train {
            let s = data.samples[i]
            guard let t = s.time else { continue }
            let p = (Self.lnFLOPs(data, s), log(t))
            byDevice[s.device, default: []].append(p)
            all.append(p)
        }
        for (d, points) in byDevice { perDevice[d] = Self.fit(points) }
        pooled = Self.fit(all)
    }

    public func times(_ data: PerfDataset, samples: [Int]) throws -> [Double?] {
        samples.map { i in
            let s = data.samples[i]
            let (a, b) = perDevice[s.device] ?? pooled
            return exp(a + b * Self.lnFLOPs(data, s))
        }
    }
}

/// The roofline from device specs, unfitted (Williams et al. 2009): the samples' prior time.
public struct RooflineBaseline: SampleTimePredictor {
    public var name: String { "roofline" }
    public init() {}
    public func times(_ data: PerfDataset, samples: [Int]) throws -> [Double?] {
        samples.map { data.samples[$0].priorTime }
    }
}
