extension ClusterSpec {
    /// Loads a cluster spec, resolving device names against `catalog`.
    public static func load(path: String, catalog: DeviceCatalog) throws -> ClusterSpec {
        let path = Installation.resolve(path)
        return try parse(TextFile.read(path), file: path, catalog: catalog)
    }

    /// Parses a cluster spec; every error names the file, the line and the field.
    public static func parse(_ text: String, file: String, catalog: DeviceCatalog) throws -> ClusterSpec {
        let root = try YAMLValue.parse(text, file: file)
        try root.checkKeys(["name", "description", "node_groups", "edge_groups"])
        let name = try root.required("name").string()
        var names: Set<String> = []
        func uniqueName(_ v: YAMLValue) throws -> String {
            let n = try v.required("name").string()
            guard names.insert(n).inserted else { throw v.error("duplicate group name '\(n)'", field: "name") }
            return n
        }
        var total = DeviceTotal()
        var nodeGroups: [NodeGroup] = []
        for g in try root.optional("node_groups")?.sequence() ?? [] {
            try g.checkKeys(["name", "count", "device", "devices_per_node", "host", "interconnect", "network_gbps"])
            let groupName = try uniqueName(g)
            let deviceValue = try g.required("device")
            let device = try catalog.require(try deviceValue.string(), file: file, line: deviceValue.line, field: deviceValue.path)
            var cores: Int?
            var memory: Double?
            if let host = try g.optional("host") {
                try host.checkKeys(["cpu_cores", "memory_gb"])
                cores = try host.optional("cpu_cores")?.positiveInt()
                memory = try host.optional("memory_gb")?.positiveDouble()
            }
            let perNode = try g.required("devices_per_node").boundedCount(Limits.maxDevicesPerNode)
            let countValue = try g.required("count")
            let count = try countValue.boundedCount(Limits.maxDevices / perNode)
            try total.add(count * perNode, at: countValue)
            nodeGroups.append(NodeGroup(
                name: groupName, count: count, device: device,
                devicesPerNode: perNode,
                hostCPUCores: cores, hostMemoryGB: memory,
                interconnect: try g.optional("interconnect")?.string() ?? "pcie",
                networkGbps: try g.optional("network_gbps")?.positiveDouble()))
        }
        var edgeGroups: [EdgeGroup] = []
        for g in try root.optional("edge_groups")?.sequence() ?? [] {
            try g.checkKeys(["name", "count", "device", "uplink_mbps", "latency_ms"])
            let groupName = try uniqueName(g)
            let deviceValue = try g.required("device")
            let device = try catalog.require(try deviceValue.string(), file: file, line: deviceValue.line, field: deviceValue.path)
            let countValue = try g.required("count")
            let count = try countValue.boundedCount(Limits.maxDevices)
            try total.add(count, at: countValue)
            edgeGroups.append(EdgeGroup(
                name: groupName, count: count, device: device,
                uplinkMbps: try g.required("uplink_mbps").positiveDouble(),
                latencyMs: try g.required("latency_ms").nonNegativeDouble()))
        }
        guard !nodeGroups.isEmpty || !edgeGroups.isEmpty else {
            throw root.error("a cluster needs at least one node group or edge group")
        }
        return ClusterSpec(name: name, description: try root.optional("description")?.string() ?? "",
                           nodeGroups: nodeGroups, edgeGroups: edgeGroups)
    }

    /// Devices counted over the groups read so far, checked against `Limits.maxDevices`.
    struct DeviceTotal {
        var devices = 0
        mutating func add(_ n: Int, at value: YAMLValue) throws {
            devices += n
            guard devices <= Limits.maxDevices else {
                throw value.error("the cluster would have \(devices) devices, beyond the limit of \(Limits.maxDevices)")
            }
        }
    }

    /// The spec as YAML, in the format `parse` reads.
    public func yaml() -> String {
        var s = "name: \(name)\n"
        if !description.isEmpty { s += "description: \"\(description.replacingOccurrences(of: "\"", with: "'"))\"\n" }
        if !nodeGroups.isEmpty {
            s += "node_groups:\n"
            for g in nodeGroups {
                s += "  - name: \(g.name)\n    count: \(g.count)\n    device: \(g.device.name)\n    devices_per_node: \(g.devicesPerNode)\n"
                if g.hostCPUCores != nil || g.hostMemoryGB != nil {
                    s += "    host:"
                    var parts: [String] = []
                    if let c = g.hostCPUCores { parts.append("cpu_cores: \(c)") }
                    if let m = g.hostMemoryGB { parts.append("memory_gb: \(Self.number(m))") }
                    s += " {\(parts.joined(separator: ", "))}\n"
                }
                s += "    interconnect: \(g.interconnect)\n"
                if let n = g.networkGbps { s += "    network_gbps: \(Self.number(n))\n" }
            }
        }
        if !edgeGroups.isEmpty {
            s += "edge_groups:\n"
            for g in edgeGroups {
                s += "  - name: \(g.name)\n    count: \(g.count)\n    device: \(g.device.name)\n    uplink_mbps: \(Self.number(g.uplinkMbps))\n    latency_ms: \(Self.number(g.latencyMs))\n"
            }
        }
        return s
    }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}
