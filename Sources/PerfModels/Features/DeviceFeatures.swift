import ClusterKit
import Foundation

/// The device vector a predictor conditions on: public specs from `clusters/devices.yaml`, so
/// one model serves many devices and can be asked about devices it never saw (PerfSAGE, Chai et
/// al. 2023; NeuSight, Lee et al. 2024, both condition on hardware specs).
///
/// Layout: `ln` of peak FP32 FLOP/s, peak FP16 FLOP/s, memory bandwidth, memory bytes and compute
/// units, each followed by a known flag (0 where the catalog has no figure, or the device is not
/// in the catalog); then the kind one-hot (gpu, cpu, edge-gpu, phone, sbc) and an edge-tier flag.
/// Values are raw; ``FeatureNormalizer`` standardizes them with training statistics.
public enum DeviceFeatures {
    /// Entries of the vector.
    public static let width = 5 * 2 + DeviceKind.allCases.count + 1

    /// The vector of a catalog device, or of a device with unknown specs (`nil`).
    public static func vector(_ spec: DeviceSpec?) -> [Float] {
        var v: [Float] = []
        v.reserveCapacity(width)
        func add(_ x: Double?) {
            if let x, x > 0, x.isFinite { v.append(Float(Foundation.log(x))); v.append(1) } else { v.append(0); v.append(0) }
        }
        add(spec?.fp32FLOPS)
        add(spec?.fp16FLOPS ?? spec?.fp32FLOPS)
        add(spec?.memoryBandwidth)
        add(spec?.memoryBytes.map(Double.init))
        add(spec?.computeUnits.map(Double.init))
        for kind in DeviceKind.allCases { v.append(spec?.kind == kind ? 1 : 0) }
        v.append(spec?.tier == .edge ? 1 : 0)
        return v
    }

    /// The device kind a vector encodes (nil: unknown specs).
    public static func kind(of vector: [Float]) -> DeviceKind? {
        guard vector.count == width else { return nil }
        for (k, kind) in DeviceKind.allCases.enumerated() where vector[10 + k] == 1 { return kind }
        return nil
    }
}
