import Foundation

/// Peak memory of a configuration from an analytic account of its graph (weights, gradients,
/// optimizer states and saved activations in training; weights and the largest working set in
/// inference). What fills the measured oracle's memory where nothing was measured; implemented
/// where graphs are known (`PerfModels.GraphMemoryAccount`).
public protocol MemoryAccount: Sendable {
    /// Bytes, or nil when the account has no graph for the configuration.
    func peakMemoryBytes(_ config: ModelConfig) -> Int64?
}

/// What a measurement says about memory on its device: the batch it ran at (so that batch fit
/// in the device's memory) and, where the log printed it, the peak memory it allocated there.
public struct MemoryEvidence: Sendable, Hashable {
    public var batch: Int
    public var measuredBytes: Int64?

    public init(batch: Int, measuredBytes: Int64?) {
        self.batch = batch
        self.measuredBytes = measuredBytes
    }
}

extension MeasuredOracle {
    /// Fills the memory of entries that have none but carry ``MemoryEvidence`` (the GPU
    /// benchmarks' rows), from the analytic account anchored to what was measured on the device:
    ///
    /// - peak memory printed at batch `b` (Mask R-CNN): `measured(b) · A(B) / A(b)`, the account
    ///   only scaling the measurement to the configuration's batch `B` (source `+memory:measured×analytic`);
    /// - else the account `A(B)`, times `capacity / A(b)` when the account at the measured batch
    ///   exceeds the device's memory (the run at `b` fit, so the account is too high there by at
    ///   least that factor; source `+memory:analytic×f` with the factor), else times 1 (source
    ///   `+memory:analytic`).
    ///
    /// Either way it is capped by the smallest memory among the devices that ran the
    /// configuration at its batch or a larger one (memory grows with the batch; source
    /// `≤<device>` when that binds): rows of different harnesses ran one model at very different
    /// batches, and a batch that fit a 16 GB V100 fits a 40 GB A100. So an answer is analytic,
    /// marked as such, and never says that a batch some device ran does not fit on a device at
    /// least as large; a configuration carried to a larger batch than any such device ran may
    /// exceed a device, and then fails with OOM there, as it would have. Entries the account has
    /// no graph for keep no memory. Returns how many entries were filled.
    @discardableResult
    public mutating func fillMemory(from account: any MemoryAccount, catalog: DeviceCatalog) -> Int {
        var filled = 0
        var cache: [ModelConfig: Int64?] = [:]
        func bytes(_ c: ModelConfig) -> Int64? {
            if let hit = cache[c] { return hit }
            let b = account.peakMemoryBytes(c).flatMap { $0 > 0 ? $0 : nil }
            cache[c] = b
            return b
        }
        let queries = memoryEvidence.keys.sorted(by: { ($0.config, $0.device) < ($1.config, $1.device) })
        // Per configuration: the smallest device that ran it at its batch or larger, and its memory.
        var proven: [ModelConfig: (bytes: Int64, device: String)] = [:]
        for q in queries {
            guard let e = memoryEvidence[q], e.batch >= q.config.batchSize, let capacity = catalog[q.device]?.memoryBytes else { continue }
            if let p = proven[q.config], p.bytes <= capacity { continue }
            proven[q.config] = (capacity, q.device)
        }
        for query in queries {
            guard var entry = table[query], entry.estimate.peakMemoryBytes == nil, let evidence = memoryEvidence[query] else { continue }
            var measured = query.config
            measured.batchSize = evidence.batch
            guard let target = bytes(query.config), let atMeasured = bytes(measured) else { continue }
            let ratio = Double(target) / Double(atMeasured)
            let memory: Double
            if let printed = evidence.measuredBytes {
                memory = Double(printed) * ratio
                entry.source += "+memory:measured×analytic"
            } else if let capacity = catalog[query.device]?.memoryBytes, atMeasured > capacity {
                // The device's memory scaled by the account's ratio: exactly the capacity at the
                // measured batch itself, and never above it at a smaller one.
                memory = target == atMeasured ? Double(capacity) : min(Double(capacity) * ratio, ratio < 1 ? Double(capacity) : .infinity)
                entry.source += "+memory:analytic×" + String(format: "%.2f", Double(capacity) / Double(atMeasured))
            } else {
                memory = Double(target)
                entry.source += "+memory:analytic"
            }
            var bytes = Int64(min(memory.rounded(.down), Double(Int64.max / 2)))
            if let bound = proven[query.config], bound.bytes < bytes {
                bytes = bound.bytes
                entry.source += "≤" + bound.device
            }
            entry.estimate.peakMemoryBytes = bytes
            insert(query, entry)
            filled += 1
        }
        return filled
    }
}
