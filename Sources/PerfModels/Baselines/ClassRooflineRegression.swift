import ClusterKit
import Foundation
import ModelGraph

/// A roofline whose operator classes each run at their own fitted utilization, with a fitted
/// efficiency per GPU and nothing learned from the graph beyond its operators' costs:
///
///     t = e^(d_device) · (Σ_c a_c · C_c + b_c · M_c + a_opt · T_opt + a_launch · L)
///
/// over the classes c of ``TensorMath`` (cuDNN's convolutions and recurrent cells, cuBLAS's
/// matrix products, everything else), where `C_c` is the class's compute-bound time on the
/// device, `M_c` what its roofline adds for memory traffic, `T_opt` the optimizer update and `L`
/// the launch overhead (``PerfDataset/priorParts(profile:mode:precision:spec:)``), all eight
/// weights positive. NeuSight (Lee et al. 2024) predicts per-kernel utilization of the roofline
/// by operator class; this is the whole-graph, eight-number form of that idea, fitted on
/// whole-graph times by weighted least squares in `ln t` (each graph family weighing the same)
/// with Gauss–Newton steps on `ln a` alternating with the devices' offsets. GPUs only: another
/// kind answers nil, as does a GPU without a peak figure.
public struct ClassRooflineRegression: SampleTimePredictor {
    public var name: String { "class-roofline" }

    /// The eight columns, in ``features(_:_:catalog:)``'s order.
    public static let columns = ["cuDNN compute", "cuDNN memory", "cuBLAS compute", "cuBLAS memory",
                                 "other compute", "other memory", "optimizer", "launches"]

    /// The fitted weights (`a` above, one per column).
    public private(set) var weights: [Double]
    /// `d` by device, and the median over devices for a GPU with no training sample.
    public private(set) var offsets: [String: Double] = [:]
    public private(set) var pooledOffset = 0.0
    let catalog: DeviceCatalog

    /// The eight cost terms of `sample` (seconds), nil off a GPU or without a roofline.
    public static func features(_ data: PerfDataset, _ sample: PerfSample, catalog: DeviceCatalog) -> [Double]? {
        guard let spec = catalog[sample.device], spec.kind == .gpu else { return nil }
        let profile = data.graphs[sample.graph].profile
        guard let parts = PerfDataset.priorParts(profile: profile, mode: sample.mode, precision: sample.precision, spec: spec) else { return nil }
        func only(_ keep: TensorMath?) -> CostProfile {
            var p = profile
            for i in p.flops.indices where keep == nil || p.tensorMath[i] != keep {
                p.flops[i] = 0
                p.bytes[i] = 0
            }
            if keep != nil { (p.optimizerFLOPs, p.optimizerBytes) = (0, 0) }
            return p
        }
        var out: [Double] = []
        for c in [TensorMath.cudnn, .cublas, .none] {
            let p = only(c)
            let roofline = RooflinePredictor.estimate(profile: p, mode: sample.mode, precision: sample.precision, device: spec)?.timePerIteration ?? 0
            let compute = PerfDataset.computeBound(profile: p, mode: sample.mode, precision: sample.precision, device: spec) ?? 0
            out += [compute, max(0, roofline - compute)]
        }
        let optimizer = RooflinePredictor.estimate(profile: only(nil), mode: sample.mode, precision: sample.precision, device: spec)?.timePerIteration ?? 0
        out += [optimizer, parts.overhead]
        return out.allSatisfy { $0.isFinite && $0 >= 0 } && out.contains { $0 > 0 } ? out : nil
    }

    /// Fits on the training samples on GPUs with a measured time; `rounds` alternations.
    public init(_ data: PerfDataset, train: [Int], catalog: DeviceCatalog, rounds: Int = 60) {
        self.catalog = catalog
        var rows: [(f: [Double], y: Double, device: String, family: String)] = []
        for i in train {
            let s = data.samples[i]
            guard let t = s.time, t > 0, t.isFinite, let f = Self.features(data, s, catalog: catalog) else { continue }
            rows.append((f, Foundation.log(t), s.device, data.info[s.graph].family))
        }
        var perFamily: [String: Int] = [:]
        for r in rows { perFamily[r.family, default: 0] += 1 }
        let w = rows.map { 1 / Double(perFamily[$0.family]!) }
        let k = Self.columns.count
        var theta = [Double](repeating: 0, count: k)
        var d = [String: Double]()
        let devices = Array(Set(rows.map(\.device))).sorted()
        // Σ f·a, floored above zero for the logarithm.
        func sum(_ f: [Double], _ a: [Double]) -> Double { max(zip(f, a).reduce(0) { $0 + $1.0 * $1.1 }, .leastNormalMagnitude) }
        func objective(_ th: [Double]) -> Double {
            let a = th.map(Foundation.exp)
            return rows.indices.reduce(0) { acc, i in
                let r = Foundation.log(sum(rows[i].f, a)) + d[rows[i].device]! - rows[i].y
                return acc + w[i] * r * r
            }
        }
        var damping = 1e-3
        for _ in 0..<max(1, rounds) {
            // Offsets: each device's weighted mean residual.
            let a = theta.map(Foundation.exp)
            var num = [String: Double](), den = [String: Double]()
            for (i, r) in rows.enumerated() {
                num[r.device, default: 0] += w[i] * (r.y - Foundation.log(sum(r.f, a)))
                den[r.device, default: 0] += w[i]
            }
            for dev in devices { d[dev] = num[dev]! / den[dev]! }
            // One Levenberg–Marquardt step on ln a with the offsets fixed.
            var jtj = [Double](repeating: 0, count: k * k), jtr = [Double](repeating: 0, count: k)
            for (i, r) in rows.enumerated() {
                let total = sum(r.f, a)
                let res = Foundation.log(total) + d[r.device]! - r.y
                let g = (0..<k).map { r.f[$0] * a[$0] / total }
                for p in 0..<k {
                    jtr[p] += w[i] * g[p] * res
                    for q in 0..<k { jtj[p * k + q] += w[i] * g[p] * g[q] }
                }
            }
            let before = objective(theta)
            var improved = false
            for _ in 0..<8 {
                var m = jtj
                for p in 0..<k { m[p * k + p] += damping * (jtj[p * k + p] + 1e-12) }
                // Positive definite: a Gram matrix with a positive diagonal added.
                let step = Ridge.solve(normal: m, rhs: jtr.map { -$0 })
                guard step.allSatisfy(\.isFinite) else { damping *= 10; continue }
                let next = zip(theta, step).map { min(12, max(-12, $0 + min(1, max(-1, $1)))) }
                if objective(next) <= before {
                    theta = next
                    damping = max(1e-9, damping / 3)
                    improved = true
                    break
                }
                damping *= 10
            }
            if !improved { break }
        }
        weights = theta.map(Foundation.exp)
        offsets = d
        pooledOffset = DeviceEfficiency.median(Array(d.values))
    }

    /// The time of one sample (nil off a GPU).
    public func time(_ data: PerfDataset, _ sample: PerfSample) -> Double? {
        guard let f = Self.features(data, sample, catalog: catalog) else { return nil }
        let t = Foundation.exp(offsets[sample.device] ?? pooledOffset) * zip(f, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return t > 0 && t.isFinite ? t : nil
    }

    public func times(_ data: PerfDataset, samples: [Int]) throws -> [Double?] {
        samples.map { time(data, data.samples[$0]) }
    }
}
