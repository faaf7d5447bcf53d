/// A cluster: groups of identical datacenter nodes and groups of edge devices.
///
/// Read from YAML (`clusters/*.yaml`, see `clusters/README.md`) with `ClusterSpec.load`.
public struct ClusterSpec: Sendable {
    /// Identical servers, each holding `devicesPerNode` devices of one type.
    public struct NodeGroup: Sendable {
        public var name: String
        public var count: Int
        public var device: DeviceSpec
        public var devicesPerNode: Int
        public var hostCPUCores: Int?
        public var hostMemoryGB: Double?
        /// Link between the devices of one node, e.g. `nvlink`, `pcie`.
        public var interconnect: String
        /// Network bandwidth between nodes, Gbit/s.
        public var networkGbps: Double?

        public init(name: String, count: Int, device: DeviceSpec, devicesPerNode: Int, hostCPUCores: Int?,
                    hostMemoryGB: Double?, interconnect: String, networkGbps: Double?) {
            self.name = name
            self.count = count
            self.device = device
            self.devicesPerNode = devicesPerNode
            self.hostCPUCores = hostCPUCores
            self.hostMemoryGB = hostMemoryGB
            self.interconnect = interconnect
            self.networkGbps = networkGbps
        }
    }

    /// Edge devices, each its own node with one device, reached over an uplink.
    public struct EdgeGroup: Sendable {
        public var name: String
        public var count: Int
        public var device: DeviceSpec
        public var uplinkMbps: Double
        public var latencyMs: Double

        public init(name: String, count: Int, device: DeviceSpec, uplinkMbps: Double, latencyMs: Double) {
            self.name = name
            self.count = count
            self.device = device
            self.uplinkMbps = uplinkMbps
            self.latencyMs = latencyMs
        }
    }

    public var name: String
    public var description: String
    public var nodeGroups: [NodeGroup]
    public var edgeGroups: [EdgeGroup]

    public init(name: String, description: String = "", nodeGroups: [NodeGroup], edgeGroups: [EdgeGroup] = []) {
        self.name = name
        self.description = description
        self.nodeGroups = nodeGroups
        self.edgeGroups = edgeGroups
    }

    public var deviceCount: Int {
        nodeGroups.reduce(0) { $0 + $1.count * $1.devicesPerNode } + edgeGroups.reduce(0) { $0 + $1.count }
    }

    /// Device types present, in order of first appearance.
    public var deviceTypes: [DeviceSpec] {
        var seen: Set<String> = []
        var out: [DeviceSpec] = []
        for d in nodeGroups.map(\.device) + edgeGroups.map(\.device) where seen.insert(d.name).inserted { out.append(d) }
        return out
    }
}

/// The nodes and devices of a cluster, numbered: node `i` holds devices
/// `firstDevice[i] ..< firstDevice[i] + deviceCount[i]`.
public struct ClusterTopology: Sendable {
    public struct Node: Sendable {
        public var group: String
        public var device: DeviceSpec
        public var firstDevice: Int
        public var deviceCount: Int
        public var isEdge: Bool
    }

    public var nodes: [Node]
    /// For each device, the node that holds it.
    public var nodeOfDevice: [Int]

    public init(_ spec: ClusterSpec) {
        var nodes: [Node] = []
        var nodeOfDevice: [Int] = []
        for g in spec.nodeGroups {
            for _ in 0..<g.count {
                nodes.append(Node(group: g.name, device: g.device, firstDevice: nodeOfDevice.count, deviceCount: g.devicesPerNode, isEdge: false))
                nodeOfDevice += Array(repeating: nodes.count - 1, count: g.devicesPerNode)
            }
        }
        for g in spec.edgeGroups {
            for _ in 0..<g.count {
                nodes.append(Node(group: g.name, device: g.device, firstDevice: nodeOfDevice.count, deviceCount: 1, isEdge: true))
                nodeOfDevice.append(nodes.count - 1)
            }
        }
        self.nodes = nodes
        self.nodeOfDevice = nodeOfDevice
    }

    public var deviceCount: Int { nodeOfDevice.count }
}
