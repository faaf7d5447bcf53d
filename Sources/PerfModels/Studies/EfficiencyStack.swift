import ClusterKit
import Foundation

/// A ridge regression of a sample's efficiency over the roofline, `ln(t / prior)`, on the
/// network's own answer for it and on what the physics of the query says (the graph's global
/// features, the work per operator, the device's peaks, precision, mode, the device's median
/// efficiency), fitted on **out-of-family** answers: stacked generalization (Wolpert, "Stacked
/// Generalization", 1992; Breiman, "Stacked Regressions", 1996), where the level-one model learns
/// how far to trust the level-zero model from answers it gave on data it never saw.
///
/// In the families study each held-out family's network answers come from a model that never saw
/// it, so the stack for family F is fitted on the other families' rows and judged on F's
/// (``crossFitted(_:)``): F is in neither the network's nor the stack's training data, and the
/// ridge penalty is chosen by leave-one-family-out *inside* the other families (nested), never on F.
/// Each family weighs the same in the fit (a family of 400 samples does not drown one of 20).
struct EfficiencyStack {
    /// One stackable sample: its features (``features(_:data:network:deviceMedian:catalog:)``),
    /// its measured `ln(t / prior)`, and its group (family).
    struct Row {
        var features: [Double]
        var target: Double
        var group: String
    }

    /// The ridge penalties tried (on standardized features, per unit of sample weight).
    static let lambdas: [Double] = [0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300]

    var mean: [Double]
    var scale: [Double]
    /// Intercept, then one weight per feature.
    var weights: [Double]

    /// The features of sample `i`: the network's `ln(t / prior)`, the device's median training
    /// efficiency, half precision and training flags, `ln` memory bandwidth, `ln` FP32 peak,
    /// `ln` prior, `ln` forward FLOPs per operator, then the graph's global features but the
    /// input count (``PerfModel/globalNames``). Nil without a prior or the device's peaks.
    static func features(_ i: Int, data: PerfDataset, network: Double, deviceMedian: Double?, catalog: DeviceCatalog) -> [Double]? {
        let s = data.samples[i], g = data.graphs[s.graph]
        guard let prior = s.priorTime, prior > 0, network > 0, network.isFinite, let spec = catalog[s.device],
              let bandwidth = spec.memoryBandwidth, let fp32 = spec.fp32FLOPS, bandwidth > 0, fp32 > 0,
              g.globals.count == PerfModel.globalNames.count, g.nodeCount > 0 else { return nil }
        let lnFLOPs = Double(g.globals[3])
        var x = [Foundation.log(network / prior), deviceMedian ?? 0, s.precision == .fp16 || s.precision == .bf16 ? 1 : 0,
                 s.mode == .train ? 1 : 0, Foundation.log(bandwidth), Foundation.log(fp32), Foundation.log(prior),
                 lnFLOPs - Foundation.log(Double(g.nodeCount))]
        x += g.globals.dropLast().map(Double.init)
        return x.allSatisfy(\.isFinite) ? x : nil
    }

    /// Fits on `rows`, each group weighing the same, with penalty `lambda`.
    init(fitting rows: [Row], lambda: Double) {
        let n = rows.count, k = rows.first?.features.count ?? 0
        var count: [String: Int] = [:]
        for r in rows { count[r.group, default: 0] += 1 }
        let groups = Double(max(1, count.count))
        let weight = rows.map { Double(n) / (groups * Double(count[$0.group]!)) }
        mean = (0..<k).map { j in zip(rows, weight).reduce(0) { $0 + $1.0.features[j] * $1.1 } / Double(max(1, n)) }
        scale = (0..<k).map { [mean] j in
            let v = zip(rows, weight).reduce(0) { $0 + (($1.0.features[j] - mean[j]) * ($1.0.features[j] - mean[j])) * $1.1 } / Double(max(1, n))
            return v > 1e-12 ? v.squareRoot() : 1
        }
        let standardized = rows.map { [mean, scale] r in (0..<k).map { (r.features[$0] - mean[$0]) / scale[$0] } }
        weights = Ridge.fit(rows: standardized, target: rows.map(\.target), lambda: lambda, weights: weight)
    }

    /// `ln(t / prior)` for `features`.
    func predict(_ features: [Double]) -> Double {
        var y = weights[0]
        for j in features.indices { y += weights[j + 1] * (features[j] - mean[j]) / scale[j] }
        return y
    }

    /// The median over groups of each group's median APE, `predicted` and `rows` aligned.
    static func score(_ rows: [Row], _ predicted: [Double]) -> Double {
        var errors: [String: [Double]] = [:]
        for (r, p) in zip(rows, predicted) { errors[r.group, default: []].append(100 * abs(Foundation.exp(p - r.target) - 1)) }
        return DeviceEfficiency.median(errors.keys.sorted().map { DeviceEfficiency.median(errors[$0]!) })
    }

    /// Each row's answer from a stack fitted on the other groups' rows only.
    static func leaveOneGroupOut(_ rows: [Row], lambda: Double) -> [Double] {
        var out = [Double](repeating: .nan, count: rows.count)
        for g in Set(rows.map(\.group)).sorted() {
            let stack = EfficiencyStack(fitting: rows.filter { $0.group != g }, lambda: lambda)
            for (i, r) in rows.enumerated() where r.group == g { out[i] = stack.predict(r.features) }
        }
        return out
    }

    /// The penalty whose leave-one-group-out answers score best on `rows` (the smallest on ties).
    static func selectLambda(_ rows: [Row]) -> Double {
        var best: (score: Double, lambda: Double)?
        for lambda in lambdas {
            let s = score(rows, leaveOneGroupOut(rows, lambda: lambda))
            if best == nil || s < best!.score { best = (s, lambda) }
        }
        return best?.lambda ?? 1
    }

    /// Each row's answer from a stack that never saw its group: fitted on the other groups with
    /// a penalty chosen by leave-one-group-out among those other groups (nested), and the
    /// penalty chosen for each group.
    static func crossFitted(_ rows: [Row]) -> (answers: [Double], lambdas: [String: Double]) {
        var out = [Double](repeating: .nan, count: rows.count), chosen: [String: Double] = [:]
        for g in Set(rows.map(\.group)).sorted() {
            let others = rows.filter { $0.group != g }
            guard Set(others.map(\.group)).count >= 2 else { continue }
            let lambda = selectLambda(others)
            chosen[g] = lambda
            let stack = EfficiencyStack(fitting: others, lambda: lambda)
            for (i, r) in rows.enumerated() where r.group == g { out[i] = stack.predict(r.features) }
        }
        return (out, chosen)
    }
}
