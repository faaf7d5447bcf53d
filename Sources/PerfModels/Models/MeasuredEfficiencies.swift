import AugurCore
import ClusterKit
import Foundation
import ModelGraph

/// What was measured of the workloads a model was given: `ln(t / prior)`, the time over the
/// roofline prior, by workload and device (the median where a device measured a workload more
/// than once). A device the model never trained on is answered from here when a device of its
/// kind within ``transferDistanceLimit`` measured the same workload: the one nearest in specs, its efficiency carried over by
/// the unseen device's own roofline (``NearestDeviceTransfer``, the same rule as a baseline;
/// NeuSight, Lee et al. 2024, carries per-kernel utilization across GPUs through the roofline).
/// Workloads nobody measured go to the network (``UnseenDeviceRule``).
///
/// A workload is a graph by its cost profile (operators, launches, forward FLOPs and bytes,
/// parameter bytes, saved activations; the same graph built at the same batch and resolution
/// has the same profile, whatever its file or name), batch size, mode and precision.
public struct MeasuredEfficiencies: Sendable, Hashable {
    public struct Workload: Hashable, Sendable, Comparable {
        public var operators: Int, launches: Int, flops: Int, bytes: Int, parameterBytes: Int, savedBytes: Int
        public var batch: Int, mode: RunMode, precision: Precision

        init(operators: Int, launches: Int, flops: Int, bytes: Int, parameterBytes: Int, savedBytes: Int, batch: Int, mode: RunMode, precision: Precision) {
            (self.operators, self.launches, self.flops, self.bytes) = (operators, launches, flops, bytes)
            (self.parameterBytes, self.savedBytes, self.batch, self.mode, self.precision) = (parameterBytes, savedBytes, batch, mode, precision)
        }

        /// The workload of `sample` on `graph`.
        init(_ graph: GraphFeatures, _ sample: PerfSample) {
            let p = graph.profile
            // Sums that stop at Int.max rather than trap (a hostile graph's counts).
            let sum = { (xs: [Int]) in xs.reduce(0) { let (r, o) = $0.addingReportingOverflow($1); return o ? .max : r } }
            let flops = sum(p.flops), bytes = sum(p.bytes)
            self.init(operators: p.count, launches: p.launches, flops: flops, bytes: bytes, parameterBytes: p.parameterBytes,
                      savedBytes: p.savedActivationBytes, batch: sample.batchSize, mode: sample.mode, precision: sample.precision)
        }

        var fields: [Int] { [operators, launches, flops, bytes, parameterBytes, savedBytes, batch] }

        public static func < (a: Workload, b: Workload) -> Bool {
            if a.fields != b.fields { return a.fields.lexicographicallyPrecedes(b.fields) }
            if a.mode != b.mode { return a.mode.rawValue < b.mode.rawValue }
            return a.precision.rawValue < b.precision.rawValue
        }
    }

    /// `ln(t / prior)` by workload, then device.
    public private(set) var table: [Workload: [String: Double]] = [:]

    public init() {}

    /// The samples of `data` in `samples` with a measured time and a prior, on catalog devices,
    /// except graphs of `excludedFamilies`.
    public init(_ data: PerfDataset, samples: [Int], catalog: DeviceCatalog, excludedFamilies: Set<String> = []) {
        var lists: [Workload: [String: [Double]]] = [:]
        for i in samples {
            let s = data.samples[i]
            guard let t = s.time, let p = s.priorTime, t > 0, p > 0, t.isFinite, p.isFinite, catalog[s.device] != nil,
                  !excludedFamilies.contains(data.info[s.graph].family) else { continue }
            lists[Workload(data.graphs[s.graph], s), default: [:]][s.device, default: []].append(Foundation.log(t / p))
        }
        // Nine significant digits, as the CSV keeps them, so a saved table loads back equal.
        table = lists.mapValues { $0.mapValues { Self.rounded(DeviceEfficiency.median($0)) } }
    }

    static func rounded(_ x: Double) -> Double { Double(String(format: "%.9g", x)) ?? x }

    /// This table with `other`'s entries added, an entry of both taking `other`'s value.
    public func merging(_ other: MeasuredEfficiencies) -> MeasuredEfficiencies {
        var out = self
        for (w, byDevice) in other.table { out.table[w, default: [:]].merge(byDevice) { _, new in new } }
        return out
    }

    /// Entries (workload and device pairs).
    public var count: Int { table.values.reduce(0) { $0 + $1.count } }

    /// The farthest spec distance (``NearestDeviceTransfer/distance(_:_:)``) across which a
    /// measurement answers an unseen device; beyond it the network reads the device's specs.
    /// On the nine held-out GPUs (`augur experiment transfer`, `models/studies/transfer.md`) the
    /// transfer's error is 6.5–8.8% up to a distance of 0.45 and 29.3% beyond: past about half
    /// an e-fold in peaks and bandwidth, the two cards run another generation's kernels.
    public static let transferDistanceLimit = 0.5

    /// The efficiency of the device nearest to `device` in specs (of its kind, not `device`
    /// itself, within ``transferDistanceLimit``) that measured `sample`'s workload, and that device.
    func nearest(_ graph: GraphFeatures, _ sample: PerfSample, catalog: DeviceCatalog) -> (device: String, efficiency: Double)? {
        guard let measured = table[Workload(graph, sample)],
              let device = NearestDeviceTransfer.nearest(to: sample.device, among: measured.keys, catalog: catalog,
                                                         within: Self.transferDistanceLimit) else { return nil }
        return (device, measured[device]!)
    }
}

extension MeasuredEfficiencies {
    static let columns = ["operators", "launches", "flops", "bytes", "parameter_bytes", "saved_bytes", "batch", "mode", "precision",
                          "device", "ln_time_over_prior"]
    static var header: String { columns.joined(separator: ",") }

    /// The table as CSV (RFC 4180, ``CSVTable/line(_:)``), rows sorted (the same bytes for the same table).
    public func csv() -> String {
        var lines = [Self.header]
        for w in table.keys.sorted() {
            let head = w.fields.map(String.init) + [w.mode.rawValue, w.precision.rawValue]
            for (d, e) in table[w]!.sorted(by: { $0.key < $1.key }) { lines.append(CSVTable.line(head + [d, String(format: "%.9g", e)])) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses ``csv()``'s form (read by ``CSVTable``); every problem is a ``CheckpointError``
    /// naming the file, line and field.
    public init(csv text: String, file: String) throws {
        let t: CSVTable
        do { t = try CSVTable(text: text, path: file) } catch let e as InputError {
            throw CheckpointError(file: file, field: e.line.map { "line \($0)" }, reason: e.reason)
        }
        guard t.header == Self.columns else { throw CheckpointError(file: file, field: "line 1", reason: "expected the header '\(Self.header)'") }
        for row in t.rows {
            let where_ = "line \(row.line)"
            let f = row.fields.map { String($0.trimmingWhitespace()) }
            guard f.count == Self.columns.count else {
                throw CheckpointError(file: file, field: where_, reason: "has \(f.count) fields, expected \(Self.columns.count)")
            }
            var ints: [Int] = []
            for c in 0..<7 {
                // Not CSVTable's integers: a FLOP or byte count may pass their 10^12 bound.
                guard let v = Int(f[c]), v >= 0 else { throw CheckpointError(file: file, field: "\(where_), \(Self.columns[c])", reason: "must be a non-negative integer") }
                ints.append(v)
            }
            guard ints[6] > 0 else { throw CheckpointError(file: file, field: "\(where_), batch", reason: "must be positive") }
            guard let mode = RunMode(rawValue: f[7]) else { throw CheckpointError(file: file, field: "\(where_), mode", reason: "must be train or infer") }
            guard let precision = Precision(rawValue: f[8]) else {
                throw CheckpointError(file: file, field: "\(where_), precision", reason: "must be one of \(Precision.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard !f[9].isEmpty else { throw CheckpointError(file: file, field: "\(where_), device", reason: "is empty") }
            // |ln(t / prior)| ≤ 20: a measured time within a factor of half a billion of its roofline.
            guard let e = Double(f[10]), e.isFinite, abs(e) <= 20 else {
                throw CheckpointError(file: file, field: "\(where_), ln_time_over_prior", reason: "must be a finite number within ±20")
            }
            let w = Workload(operators: ints[0], launches: ints[1], flops: ints[2], bytes: ints[3], parameterBytes: ints[4], savedBytes: ints[5],
                             batch: ints[6], mode: mode, precision: precision)
            guard table[w]?[f[9]] == nil else { throw CheckpointError(file: file, field: where_, reason: "repeats a workload and device") }
            table[w, default: [:]][f[9]] = e
        }
    }
}
