/// The catalog of device types Augur knows (`clusters/devices.yaml`).
public struct DeviceCatalog: Sendable {
    /// Devices in file order.
    public private(set) var devices: [DeviceSpec]
    private var index: [String: Int]
    private var aliases: [String: String]

    public init(devices: [DeviceSpec]) {
        self.devices = devices
        self.index = [:]
        self.aliases = [:]
        for (i, d) in devices.enumerated() {
            index[d.name] = i
            for alias in d.measuredAs { aliases[alias] = d.name }
        }
    }

    public subscript(name: String) -> DeviceSpec? { index[name].map { devices[$0] } }

    /// The catalog device that a public dataset calls `name` (e.g. `("gavel", "v100")`): the one
    /// whose `measured_as` lists `"dataset:name"` (a key belongs to at most one device; parsing
    /// rejects a key listed twice).
    public func device(dataset: String, name: String) -> DeviceSpec? {
        aliases["\(dataset):\(name)"].flatMap { self[$0] }
    }

    /// The catalog device called `name`, or an error naming the file and line where it was used.
    public func require(_ name: String, file: String, line: Int?, field: String) throws -> DeviceSpec {
        guard let d = self[name] else {
            let close = devices.map(\.name).filter { $0.hasPrefix(String(name.prefix(3))) }
            let hint = close.isEmpty ? "" : " (did you mean: \(close.prefix(5).joined(separator: ", "))?)"
            throw InputError(file: file, line: line, field: field, reason: "unknown device '\(name)'\(hint)")
        }
        return d
    }
}

extension DeviceCatalog {
    static let numericFields = ["memory_gb", "memory_bandwidth_gbs", "fp32_tflops", "fp16_tflops", "tf32_tflops", "compute_units", "power_w"]
    static let allowedKeys: Set<String> = Set(["name", "display", "kind", "tier", "measured_as", "sources", "compute_unit_kind"] + numericFields)

    /// Loads and validates a catalog file.
    public static func load(path: String) throws -> DeviceCatalog {
        let path = Installation.resolve(path)
        return try parse(TextFile.read(path), file: path)
    }

    /// Parses a catalog; every error names the file, the line and the field.
    public static func parse(_ text: String, file: String) throws -> DeviceCatalog {
        let root = try YAMLValue.parse(text, file: file)
        try root.checkKeys(["devices"])
        var devices: [DeviceSpec] = []
        var seen: Set<String> = []
        var keyOwner: [String: String] = [:]
        for entry in try root.required("devices").sequence() {
            let device = try parseDevice(entry)
            guard seen.insert(device.name).inserted else {
                throw entry.error("duplicate device name '\(device.name)'", field: "name")
            }
            for key in device.measuredAs {
                if let owner = keyOwner.updateValue(device.name, forKey: key) {
                    throw (try entry.optional("measured_as") ?? entry).error("measured_as key '\(key)' already belongs to device '\(owner)'")
                }
            }
            devices.append(device)
        }
        guard !devices.isEmpty else { throw root.error("no devices") }
        return DeviceCatalog(devices: devices)
    }

    static func parseDevice(_ entry: YAMLValue) throws -> DeviceSpec {
        try entry.checkKeys(allowedKeys)
        let nameValue = try entry.required("name")
        let name = try nameValue.string()
        guard !name.isEmpty, name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) else {
            throw nameValue.error("device names use lowercase letters, digits and '-' only, got '\(name)'")
        }
        let kindValue = try entry.required("kind")
        guard let kind = DeviceKind(rawValue: try kindValue.string()) else {
            throw kindValue.error("unknown kind (allowed: \(DeviceKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let tierValue = try entry.required("tier")
        guard let tier = DeviceTier(rawValue: try tierValue.string()) else {
            throw tierValue.error("unknown tier (allowed: datacenter, edge)")
        }
        var sources: [String: String] = [:]
        if let s = try entry.optional("sources") {
            for (k, v) in try s.entries() { sources[k] = try v.string() }
        }
        func figure(_ key: String) throws -> Double? {
            guard let v = try entry.optional(key) else { return nil }
            let x = try v.positiveDouble()
            guard x <= 1e6 else { throw v.error("\(x) is out of range (at most 1e6 in the field's unit)") }
            guard sources[key] != nil else { throw v.error("figure has no entry in 'sources'") }
            return x
        }
        let measuredAs = try entry.optional("measured_as").map { try $0.sequence().map { try $0.string() } } ?? []
        return DeviceSpec(
            name: name,
            display: try entry.optional("display")?.string() ?? name,
            kind: kind, tier: tier,
            memoryBytes: try figure("memory_gb").map { Int64($0 * 1_000_000_000) },
            memoryBandwidth: try figure("memory_bandwidth_gbs").map { $0 * 1e9 },
            fp32FLOPS: try figure("fp32_tflops").map { $0 * 1e12 },
            fp16FLOPS: try figure("fp16_tflops").map { $0 * 1e12 },
            computeUnits: try figure("compute_units").map { Int($0) },
            computeUnitKind: try entry.optional("compute_unit_kind")?.string() ?? "sm",
            powerWatts: try figure("power_w"),
            measuredAs: measuredAs, sources: sources,
            tf32FLOPS: try figure("tf32_tflops").map { $0 * 1e12 })
    }
}
