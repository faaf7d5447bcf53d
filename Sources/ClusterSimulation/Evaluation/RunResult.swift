import ClusterKit
import Foundation

/// What one run of an evaluation keeps: every metric of its ``RunSummary``, plus the series the
/// report draws (JCT quantiles, cluster occupancy over time, busy hours per device type) and the
/// predicted-versus-measured pairs of the run's (configuration, device type) questions.
///
/// Written as `result.json` when the run finishes; tables and reports are built only from these
/// files, so a resumed evaluation gives the same bytes as an uninterrupted one.
public struct RunResult: Codable, Sendable, Equatable {
    /// The run's identity: policy, predictor, seed and a fingerprint of its inputs.
    public var key: RunKey
    public var fingerprint: String
    /// Every ``Metric`` of the run, by its key (a dictionary so run files stay plain JSON).
    public var metrics: [String: Double]
    /// JCT (hours) at quantiles `(i + 0.5) / n`, completed jobs only.
    public var jctQuantilesHours: [Double]
    /// Busy share of all devices, time-weighted, in equal bins over the makespan.
    public var occupancy: [Double]
    public var makespanHours: Double
    public var deviceTypes: [DeviceHours]
    /// (configuration, device type) pairs the trace's jobs could run on, with measured and
    /// predicted time per iteration (s) and peak memory (bytes; nil where not known).
    public var pairs: [Pair]

    public struct DeviceHours: Codable, Sendable, Equatable {
        public var device: String
        public var devices: Int
        public var busyHours: Double
    }

    public struct Pair: Codable, Sendable, Equatable {
        public var config: String
        public var device: String
        public var measuredTime: Double
        public var predictedTime: Double?
        public var measuredMemory: Double?
        public var predictedMemory: Double?
        /// Jobs of the trace with this configuration.
        public var jobs: Int
    }

    public static let quantileCount = 200
    public static let occupancyBins = 120

    public init(key: RunKey, fingerprint: String, metrics: [String: Double], jctQuantilesHours: [Double], occupancy: [Double],
                makespanHours: Double, deviceTypes: [DeviceHours], pairs: [Pair]) {
        self.key = key
        self.fingerprint = fingerprint
        self.metrics = metrics
        self.jctQuantilesHours = jctQuantilesHours
        self.occupancy = occupancy
        self.makespanHours = makespanHours
        self.deviceTypes = deviceTypes
        self.pairs = pairs
    }

    /// Collects the result of a finished simulation.
    public init(key: RunKey, fingerprint: String, simulator sim: Simulator, summary s: RunSummary, metrics collector: MetricsCollector) {
        let state = sim.state
        let metrics = Dictionary(uniqueKeysWithValues: Metric.allCases.map { ($0.key, $0.value(of: s)) })
        let jcts = s.completedJCTs.map { $0 / 3600 }
        let quantiles = jcts.isEmpty ? [] : (0..<Self.quantileCount).map { i in
            jcts[min(jcts.count - 1, Int((Double(i) + 0.5) / Double(Self.quantileCount) * Double(jcts.count)))]
        }
        let start = s.firstSubmit.seconds
        let occupancy = Self.binned(collector.occupancySeries.map { ($0.0.seconds - start, Double($0.1)) }, span: s.makespan,
                                    bins: Self.occupancyBins, scale: 1 / Double(max(state.deviceCount, 1)))
        var pairs: [Pair] = []
        var jobsOfConfig = Array(repeating: 0, count: state.configs.count)
        for j in state.jobs { jobsOfConfig[j.configIndex] += 1 }
        for (c, config) in state.configs.enumerated() {
            for t in state.deviceTypes.indices {
                guard let m = state.measured[c][t] else { continue }
                let p = state.predicted[c][t]
                pairs.append(Pair(config: config.description, device: state.deviceTypes[t].name, measuredTime: m.timePerIteration,
                                  predictedTime: p?.timePerIteration, measuredMemory: m.peakMemoryBytes.map(Double.init),
                                  predictedMemory: p?.peakMemoryBytes.map(Double.init), jobs: jobsOfConfig[c]))
            }
        }
        self.init(key: key, fingerprint: fingerprint, metrics: metrics, jctQuantilesHours: quantiles, occupancy: occupancy,
                  makespanHours: s.makespan / 3600,
                  deviceTypes: s.byType.map { DeviceHours(device: $0.name, devices: $0.devices, busyHours: $0.busyHours) },
                  pairs: pairs)
    }

    /// Time-weighted means of a step function `(time, value)` in `bins` equal bins over `[0, span]`.
    static func binned(_ steps: [(Double, Double)], span: Double, bins: Int, scale: Double) -> [Double] {
        guard span > 0, !steps.isEmpty else { return [] }
        var sums = Array(repeating: 0.0, count: bins)
        let width = span / Double(bins)
        for (i, (t0, v)) in steps.enumerated() {
            let t1 = i + 1 < steps.count ? steps[i + 1].0 : span
            var a = max(0, t0)
            let b = min(span, t1)
            while a < b {
                let bin = min(bins - 1, Int(a / width))
                let end = min(b, Double(bin + 1) * width)
                sums[bin] += v * (end - a)
                if end <= a { break }
                a = end
            }
        }
        return sums.map { $0 / width * scale }
    }

    public func metric(_ m: Metric) -> Double { metrics[m.key] ?? .nan }
}

/// One run of an evaluation: a policy pair, a predictor and a seed.
public struct RunKey: Codable, Sendable, Hashable, Comparable {
    public var policy: String
    public var predictor: String
    public var seed: UInt64

    public init(policy: String, predictor: String, seed: UInt64) {
        self.policy = policy
        self.predictor = predictor
        self.seed = seed
    }

    /// A directory name: the parts with anything but letters, digits, `.`, `-` and `+` as `_`.
    public var directoryName: String {
        let raw = "\(policy)--\(predictor)--s\(seed)"
        return String(raw.map { $0.isLetter || $0.isNumber || "+-.".contains($0) ? $0 : "_" })
    }

    public static func < (a: RunKey, b: RunKey) -> Bool { (a.policy, a.predictor, a.seed) < (b.policy, b.predictor, b.seed) }
}
