import ClusterKit
import Foundation

extension Adaptation {
    /// Why a device cannot be adapted from the samples given.
    public struct ReferenceError: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Adapts `model` to `device` by reference (``DeviceReference``): every device the model
    /// has an embedding for, and `device` itself where its specs are known, is a candidate;
    /// each is mapped to the samples' measured times by an offset, and by an offset and a scale
    /// (from 4 samples), in log space; the candidate and map with the smallest leave-one-out
    /// error win (ties to the earlier candidate, offset before affine). No weight changes.
    /// The samples must share one batch size and mode and all have a measured time.
    @discardableResult
    public static func reference(_ model: PerfModel, data: PerfDataset, samples: [Int], device: String,
                                 catalog: DeviceCatalog?) throws -> DeviceReference {
        let timed = samples.filter { (data.samples[$0].time ?? 0) > 0 }
        guard timed.count >= 2 else { throw ReferenceError(reason: "adapting by reference needs at least 2 samples with a measured time, got \(timed.count)") }
        let first = data.samples[timed[0]]
        guard timed.allSatisfy({ data.samples[$0].batchSize == first.batchSize && data.samples[$0].mode == first.mode }) else {
            throw ReferenceError(reason: "the samples must share one batch size and mode")
        }
        var candidates = model.devices
        if !candidates.contains(device), model.deviceVector(device, catalog: catalog) != nil { candidates.append(device) }
        let y = timed.map { Foundation.log(data.samples[$0].time!) }
        // Every candidate's ln predictions for the samples.
        var probes: [(DeviceReference, [Double])] = []
        for candidate in candidates {
            let probe = DeviceReference(device: device, reference: candidate, offset: 0, scale: 1, leaveOneOutError: 0,
                                        samples: timed.count, batchSize: first.batchSize, mode: first.mode)
            let asked = PerfModel.asking(data, samples: timed, catalog: catalog) { _ in probe }
            let x = try model.predictDirectly(asked, samples: timed, catalog: catalog).map { $0.time.map(Foundation.log) ?? .nan }
            if x.allSatisfy(\.isFinite) { probes.append((probe, x)) }
        }
        guard var best = choose(probes, y, rows: Array(y.indices))?.reference else {
            throw ReferenceError(reason: "no device of the model gives a finite prediction for these samples")
        }
        // The interval comes from residuals of the whole procedure left out one sample at a
        // time (choice included), so choosing among many candidates does not narrow it.
        var residuals: [Double] = []
        if y.count >= 3 {
            for i in y.indices {
                guard let (r, k) = choose(probes, y, rows: y.indices.filter { $0 != i }) else { continue }
                residuals.append(y[i] - r.offset - r.scale * probes[k].1[i])
            }
        }
        let h = TimeIntervals.halfWidth(residuals, level: 0.9)
        best.intervalHalfWidth = h.isFinite ? h : nil
        model.references[device] = best
        return best
    }

    /// The candidate and map with the smallest leave-one-out error on `rows` of the samples,
    /// and the candidate's index in `probes`.
    static func choose(_ probes: [(DeviceReference, [Double])], _ y: [Double], rows: [Int]) -> (reference: DeviceReference, probe: Int)? {
        var best: DeviceReference?, index = 0
        let ys = rows.map { y[$0] }
        for (k, (probe, x)) in probes.enumerated() {
            let xs = rows.map { x[$0] }
            for fit in [LogMap.offset(xs, ys), rows.count >= 4 ? LogMap.affine(xs, ys) : nil].compactMap({ $0 })
            where best == nil || fit.looError < best!.leaveOneOutError {
                best = probe
                best!.offset = fit.offset
                best!.scale = fit.scale
                best!.leaveOneOutError = fit.looError
                index = k
            }
        }
        return best.map { ($0, index) }
    }
}

/// A map `y ≈ offset + scale · x` fitted by least squares, with its leave-one-out residuals
/// (closed form: `e_i / (1 − h_ii)`).
struct LogMap {
    var offset: Double
    var scale: Double
    var residuals: [Double]
    /// Their root mean square.
    var looError: Double { (residuals.reduce(0) { $0 + $1 * $1 } / Double(max(residuals.count, 1))).squareRoot() }

    /// Offset only (scale 1).
    static func offset(_ x: [Double], _ y: [Double]) -> LogMap? {
        let n = Double(x.count)
        guard x.count >= 2 else { return nil }
        let r = zip(y, x).map { $0 - $1 }
        let mean = r.reduce(0, +) / n
        let loo = r.map { ($0 - mean) * n / (n - 1) }
        return LogMap(offset: mean, scale: 1, residuals: loo)
    }

    /// Offset and a positive scale; nil where x does not vary or the slope is not positive.
    static func affine(_ x: [Double], _ y: [Double]) -> LogMap? {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        let sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        guard x.count >= 3, sxx > 1e-12 else { return nil }
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let scale = sxy / sxx
        guard scale > 0, scale.isFinite else { return nil }
        let offset = my - scale * mx
        var residuals: [Double] = []
        for (xi, yi) in zip(x, y) {
            let h = 1 / n + (xi - mx) * (xi - mx) / sxx
            guard h < 1 - 1e-9 else { return nil }
            residuals.append((yi - offset - scale * xi) / (1 - h))
        }
        return LogMap(offset: offset, scale: scale, residuals: residuals)
    }
}
