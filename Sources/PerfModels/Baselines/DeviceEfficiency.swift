import ClusterKit
import Foundation

/// A per-device efficiency over the analytic prior, NeuSight's simplest anchor: `t = prior ·
/// e^m_d`, `m_d` the median of `ln(t / prior)` over the device's training samples; a device
/// without training samples takes the median of its kind's, else of all. What a learned model
/// must beat on new graphs: it knows each device's typical inefficiency and nothing of the graph
/// beyond its roofline.
public struct DeviceEfficiency: SampleTimePredictor {
    public var name: String { "device-efficiency" }
    var perDevice: [String: Double] = [:]
    var perKind: [String: Double] = [:]
    var pooled: Double = 0
    let catalog: DeviceCatalog

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        return s.isEmpty ? 0 : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// Fits on the training samples with a measured time and a prior.
    public init(_ data: PerfDataset, train: [Int], catalog: DeviceCatalog) {
        self.catalog = catalog
        var byDevice: [String: [Double]] = [:], byKind: [String: [Double]] = [:], all: [Double] = []
        for i in train {
            let s = data.samples[i]
            guard let t = s.time, let p = s.priorTime, t > 0, p > 0 else { continue }
            let r = Foundation.log(t / p)
            byDevice[s.device, default: []].append(r)
            byKind[catalog[s.device]?.kind.rawValue ?? "unknown", default: []].append(r)
            all.append(r)
        }
        perDevice = byDevice.mapValues(Self.median)
        perKind = byKind.mapValues(Self.median)
        pooled = Self.median(all)
    }

    public func times(_ data: PerfDataset, samples: [Int]) throws -> [Double?] {
        samples.map { i in
            let s = data.samples[i]
            guard let p = s.priorTime else { return nil }
            return p * Foundation.exp(perDevice[s.device] ?? perKind[catalog[s.device]?.kind.rawValue ?? "unknown"] ?? pooled)
        }
    }
}
