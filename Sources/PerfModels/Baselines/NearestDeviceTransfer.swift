import ClusterKit
import Foundation

/// A device known only by its specs, answered from the most similar device that was measured
/// on the same workload: `t = prior · e^r`, `r = ln(t' / prior')` of the same graph, batch,
/// mode and precision on the training device of the same kind and vendor nearest in specs
/// (``distance(_:_:)``). So the unseen device is
/// charged its nearest neighbour's efficiency over the roofline, and the roofline's ratio carries
/// the difference in peaks (NeuSight, Lee et al. 2024, transfers per-kernel utilization across
/// GPUs the same way, through the roofline). Without the workload on any similar device, the
/// nearest device's median efficiency. What a model must beat on a new GPU when the workload was
/// measured elsewhere: the benchmark tables measure the same workloads on many GPUs.
public struct NearestDeviceTransfer: SampleTimePredictor {
    public var name: String { "nearest-device" }

    struct Workload: Hashable {
        var graph: Int, batch: Int, mode: RunMode, precision: Precision
    }

    let catalog: DeviceCatalog
    /// `ln(t / prior)` by workload, then by device.
    var byWorkload: [Workload: [String: Double]] = [:]
    /// Median `ln(t / prior)` by device.
    var perDevice: [String: Double] = [:]

    /// Fits on the training samples with a measured time and a prior.
    public init(_ data: PerfDataset, train: [Int], catalog: DeviceCatalog) {
        self.catalog = catalog
        var lists: [Workload: [String: [Double]]] = [:], byDevice: [String: [Double]] = [:]
        for i in train {
            let s = data.samples[i]
            guard let t = s.time, let p = s.priorTime, t > 0, p > 0, catalog[s.device] != nil else { continue }
            let r = Foundation.log(t / p)
            lists[Workload(graph: s.graph, batch: s.batchSize, mode: s.mode, precision: s.precision), default: [:]][s.device, default: []].append(r)
            byDevice[s.device, default: []].append(r)
        }
        byWorkload = lists.mapValues { $0.mapValues(DeviceEfficiency.median) }
        perDevice = byDevice.mapValues(DeviceEfficiency.median)
    }

    /// `ln` spec distance between two devices: the root mean square of the `ln` ratios of their
    /// FP32 and FP16 peaks, memory bandwidth, compute units and power (what bounds a card's
    /// sustained clocks: a 70 W T4 is not a 250 W V100); nil across kinds, across compute-unit
    /// kinds (NVIDIA's SMs, AMD's CUs, CPU cores: another vendor's kernels and libraries run
    /// the same workload at another efficiency), or with fewer than two figures in common.
    static func distance(_ a: DeviceSpec, _ b: DeviceSpec) -> Double? {
        guard a.kind == b.kind, a.computeUnitKind == b.computeUnitKind else { return nil }
        let pairs: [(Double?, Double?)] = [(a.fp32FLOPS, b.fp32FLOPS), (a.fp16FLOPS ?? a.fp32FLOPS, b.fp16FLOPS ?? b.fp32FLOPS),
                                           (a.memoryBandwidth, b.memoryBandwidth),
                                           (a.computeUnits.map(Double.init), b.computeUnits.map(Double.init)), (a.powerWatts, b.powerWatts)]
        var sum = 0.0, used = 0
        for case let (x?, y?) in pairs where x > 0 && y > 0 && x.isFinite && y.isFinite {
            let d = Foundation.log(x / y)
            sum += d * d
            used += 1
        }
        return used >= 2 ? (sum / Double(used)).squareRoot() : nil
    }

    /// The nearest of `candidates` to `device` in specs (``distance(_:_:)``; ties by name), not
    /// `device` itself, within `limit`; nil when none is comparable.
    static func nearest(to device: String, among candidates: some Sequence<String>, catalog: DeviceCatalog,
                        within limit: Double = .infinity) -> String? {
        guard let spec = catalog[device] else { return nil }
        var best: (distance: Double, name: String)?
        for c in candidates where c != device {
            guard let other = catalog[c], let d = distance(spec, other), d <= limit else { continue }
            if best == nil || d < best!.distance || (d == best!.distance && c < best!.name) { best = (d, c) }
        }
        return best?.name
    }

    /// One sample's answer: the time, the device whose measurement of the same workload gave
    /// it (nil when it came from a device's median efficiency) and that device's spec distance.
    func answer(_ s: PerfSample) -> (time: Double, source: String?, distance: Double?)? {
        guard let prior = s.priorTime else { return nil }
        let w = Workload(graph: s.graph, batch: s.batchSize, mode: s.mode, precision: s.precision)
        if let measured = byWorkload[w], let d = Self.nearest(to: s.device, among: measured.keys, catalog: catalog), let r = measured[d] {
            let distance = catalog[s.device].flatMap { a in catalog[d].flatMap { Self.distance(a, $0) } }
            return (prior * Foundation.exp(r), d, distance)
        }
        if let d = Self.nearest(to: s.device, among: perDevice.keys, catalog: catalog), let r = perDevice[d] {
            return (prior * Foundation.exp(r), nil, nil)
        }
        return nil
    }

    public func times(_ data: PerfDataset, samples: [Int]) throws -> [Double?] {
        samples.map { answer(data.samples[$0])?.time }
    }
}
