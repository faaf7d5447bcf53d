/// Measured multi-GPU scaling: the throughput of a job on `n` GPUs relative to `n` times its
/// throughput on one, for GPUs within one server (consolidated) or spread across servers.
///
/// Filled from Gavel's throughput table, which measured 2, 4 and 8 GPUs consolidated and
/// unconsolidated on K80, P100 and V100 (Narayanan et al., "Heterogeneity-Aware Cluster
/// Scheduling Policies for Deep Learning Workloads", OSDI 2020). A configuration or device
/// without its own measurement gets the median over the measured ones for that GPU count;
/// beyond 8 GPUs efficiency is extended with the median per-doubling loss between 4 and 8.
public struct ScalingTable: Sendable {
    public struct Key: Hashable, Sendable {
        public var model: String
        public var device: String
        public var gpus: Int
        public var consolidated: Bool

        public init(model: String, device: String, gpus: Int, consolidated: Bool) {
            self.model = model
            self.device = device
            self.gpus = gpus
            self.consolidated = consolidated
        }
    }

    public var measured: [Key: Double] = [:]

    public init() {}

    /// The name under which a configuration's scaling is kept: model and batch size
    /// (Gavel measured scaling per job type, which is both).
    public static func model(of config: ModelConfig) -> String { "\(config.model)/b\(config.batchSize)" }

    /// Efficiency of `config` on `gpus` devices of `device`.
    public func efficiency(config: ModelConfig, device: String, gpus: Int, consolidated: Bool) -> Double {
        efficiency(model: Self.model(of: config), device: device, gpus: gpus, consolidated: consolidated)
    }

    /// Efficiency in (0, 1]; 1 for one GPU.
    public func efficiency(model: String, device: String, gpus: Int, consolidated: Bool) -> Double {
        if gpus <= 1 { return 1 }
        if let e = measured[Key(model: model, device: device, gpus: gpus, consolidated: consolidated)] { return e }
        return fallback(gpus: gpus, consolidated: consolidated)
    }

    /// Median efficiency over measured entries at a GPU count (powers of two interpolated).
    public func fallback(gpus: Int, consolidated: Bool) -> Double {
        let medians = defaultMedians[consolidated ? 0 : 1]
        var level = 0
        while (1 << (level + 1)) <= gpus { level += 1 }
        let clamped = min(level, 3)
        var e = medians[clamped]
        if level > 3 {
            let perDoubling = medians[3] / max(medians[2], 1e-9)
            for _ in 3..<level { e *= min(perDoubling, 1) }
        }
        return max(e, 0.05)
    }

    /// Medians for 1, 2, 4, 8 GPUs, consolidated and not; recomputed by `finalize()`.
    public private(set) var defaultMedians: [[Double]] = [[1, 0.9, 0.8, 0.7], [1, 0.6, 0.45, 0.35]]

    /// Recomputes the fallback medians from the measured entries.
    public mutating func finalize() {
        for (ci, consolidated) in [true, false].enumerated() {
            for (li, n) in [2, 4, 8].enumerated() {
                let v = measured.filter { $0.key.gpus == n && $0.key.consolidated == consolidated }.map(\.value).sorted()
                if !v.isEmpty { defaultMedians[ci][li + 1] = v[v.count / 2] }
            }
        }
    }
}
