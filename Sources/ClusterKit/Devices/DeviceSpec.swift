/// What a device is: a datacenter GPU, a server CPU, or an edge device.
public enum DeviceKind: String, Sendable, CaseIterable, Codable {
    case gpu, cpu, edgeGPU = "edge-gpu", phone, sbc
}

/// Where a device lives in a cluster.
public enum DeviceTier: String, Sendable, CaseIterable, Codable {
    case datacenter, edge
}

/// One device type of the catalog (`clusters/devices.yaml`) with its public specs.
///
/// Figures that are not publicly known are `nil`; every known figure carries its source in
/// `sources` (keyed by the YAML field name).
public struct DeviceSpec: Sendable, Hashable {
    public var name: String
    public var display: String
    public var kind: DeviceKind
    public var tier: DeviceTier
    /// Device memory (GPU) or RAM (CPU/edge), bytes.
    public var memoryBytes: Int64?
    /// Peak memory bandwidth, bytes per second.
    public var memoryBandwidth: Double?
    /// Peak FP32, FLOP/s.
    public var fp32FLOPS: Double?
    /// Peak FP16/BF16 (dense, tensor cores where present), FLOP/s.
    public var fp16FLOPS: Double?
    /// Peak TF32 on tensor cores (dense), FLOP/s; nil where the device has none (NVIDIA
    /// Ampere and later have them; PyTorch runs FP32 convolutions in TF32 there by default).
    public var tf32FLOPS: Double?
    /// SMs (NVIDIA), CUs (AMD) or cores (CPUs, phones, boards).
    public var computeUnits: Int?
    public var computeUnitKind: String
    public var powerWatts: Double?
    /// Names of this device in public datasets, as `dataset:name` (e.g. `gavel:v100`).
    public var measuredAs: [String]
    public var sources: [String: String]

    public init(name: String, display: String, kind: DeviceKind, tier: DeviceTier,
                memoryBytes: Int64?, memoryBandwidth: Double? = nil, fp32FLOPS: Double? = nil,
                fp16FLOPS: Double? = nil, computeUnits: Int? = nil, computeUnitKind: String = "sm",
                powerWatts: Double? = nil, measuredAs: [String] = [], sources: [String: String] = [:], tf32FLOPS: Double? = nil) {
        self.tf32FLOPS = tf32FLOPS
        self.name = name
        self.display = display
        self.kind = kind
        self.tier = tier
        self.memoryBytes = memoryBytes
        self.memoryBandwidth = memoryBandwidth
        self.fp32FLOPS = fp32FLOPS
        self.fp16FLOPS = fp16FLOPS
        self.computeUnits = computeUnits
        self.computeUnitKind = computeUnitKind
        self.powerWatts = powerWatts
        self.measuredAs = measuredAs
        self.sources = sources
    }

    /// Whether this device is an accelerator that jobs share the way GPUs are shared.
    public var isAccelerator: Bool { kind == .gpu || kind == .edgeGPU }
}
