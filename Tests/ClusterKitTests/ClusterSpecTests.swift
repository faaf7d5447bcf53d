import Foundation
import Testing
@testable import ClusterKit

@Suite("Cluster specs")
struct ClusterSpecTests {
    static let files = ["default", "gavel", "edge-mixed", "gpu-edge", "hetero-2048", "alibaba-2023", "modern", "modern-2048"]

    static func load(_ name: String) throws -> ClusterSpec {
        try ClusterSpec.load(path: "clusters/\(name).yaml", catalog: try Fixtures.catalog())
    }

    /// Devices per device type.
    static func counts(_ spec: ClusterSpec) -> [String: Int] {
        var out: [String: Int] = [:]
        for g in spec.nodeGroups { out[g.device.name, default: 0] += g.count * g.devicesPerNode }
        for g in spec.edgeGroups { out[g.device.name, default: 0] += g.count }
        return out
    }

    @Test func everyCommittedSpecIsTested() throws {
        let present = try FileManager.default.contentsOfDirectory(atPath: "clusters")
            .filter { $0.hasSuffix(".yaml") && $0 != "devices.yaml" }
            .map { String($0.dropLast(5)) }
        #expect(Set(present) == Set(Self.files))
    }

    /// Study n's cluster (the demo's until it moved to real models) and the placement study's: every device type has measurements (of the
    /// NAS-Bench-201 and NeuSight families, whose graphs the GNN and the roofline read).
    @Test(arguments: ["default", "gpu-edge"])
    func everyDeviceTypeIsMeasured(name: String) throws {
        let spec = try Self.load(name)
        let oracle = try Fixtures.oracle()
        var measured: [String: Int] = [:]
        for (q, entry) in oracle.table where entry.source == "nb201" || entry.source == "neusight" { measured[q.device, default: 0] += 1 }
        for t in spec.deviceTypes { #expect((measured[t.name] ?? 0) > 0, "\(t.name) has no NAS-Bench-201 or NeuSight measurement") }
    }

    @Test(arguments: ClusterSpecTests.files)
    func loads(name: String) throws {
        let spec = try Self.load(name)
        #expect(!spec.name.isEmpty)
        #expect(spec.deviceCount > 0)
        #expect(ClusterTopology(spec).deviceCount == spec.deviceCount)
        let groupNames = spec.nodeGroups.map(\.name) + spec.edgeGroups.map(\.name)
        #expect(Set(groupNames).count == groupNames.count)
    }

    @Test func gavelCluster() throws {
        let spec = try Self.load("gavel")
        #expect(spec.deviceCount == 108)
        #expect(Self.counts(spec) == ["v100-sxm2-16gb": 36, "p100-pcie-16gb": 36, "k80": 36])
        #expect(spec.deviceTypes.map(\.name) == ["v100-sxm2-16gb", "p100-pcie-16gb", "k80"])
        let topology = ClusterTopology(spec)
        #expect(topology.nodes.count == 27)
        #expect(topology.nodes.allSatisfy { $0.deviceCount == 4 && !$0.isEdge })
        #expect(topology.nodeOfDevice[0] == 0 && topology.nodeOfDevice[4] == 1 && topology.nodeOfDevice[107] == 26)
        let v100 = try #require(spec.nodeGroups.first)
        #expect(v100.interconnect == "nvlink")
        #expect(v100.hostCPUCores == 32)
        #expect(v100.hostMemoryGB == 244)
        #expect(v100.networkGbps == 25)
    }

    @Test func hetero2048() throws {
        let spec = try Self.load("hetero-2048")
        #expect(spec.deviceCount == 2048)
        #expect(ClusterTopology(spec).deviceCount == 2048)
    }

    /// The modern clusters: the same seven GPU types in the same proportions, and every type has
    /// single-GPU measurements of the benchmarks' models (where `../shared` has the table).
    @Test func modernClusters() throws {
        let small = try Self.load("modern"), large = try Self.load("modern-2048")
        #expect(small.deviceCount == 128 && large.deviceCount == 2048)
        #expect(Self.counts(large) == Self.counts(small).mapValues { $0 * 16 })
        let root = Fixtures.root
        guard FileManager.default.fileExists(atPath: root.gpuThroughput) else { return }
        var oracle = MeasuredOracle()
        try oracle.loadGPUThroughput(path: root.gpuThroughput, catalog: try Fixtures.catalog())
        let measured = Set(oracle.table.keys.map(\.device))
        for device in Self.counts(small).keys { #expect(measured.contains(device), "\(device)") }
        let workloads = WorkloadCatalog(oracle: oracle, cluster: large, families: ["benchmarks"])
        #expect(workloads.entries.count >= 15)
        #expect(workloads.canAssign(gpus: 64))
    }

    @Test func alibaba2023Committed() throws {
        let spec = try Self.load("alibaba-2023")
        #expect(spec.deviceCount == 6212)
        #expect(spec.nodeGroups.reduce(0) { $0 + $1.count } == 1213)
        #expect(ClusterTopology(spec).nodes.count == 1213)
    }

    @Test func alibaba2023FromNodeListMatchesCommittedSpec() throws {
        let catalog = try Fixtures.catalog()
        let built = try ClusterSpec.alibaba2023(nodeList: Fixtures.root.alibabaNodeList, catalog: catalog)
        let committed = try Self.load("alibaba-2023")
        #expect(Self.counts(built) == Self.counts(committed))
        #expect(built.deviceCount == 6212)
        #expect(built.nodeGroups.reduce(0) { $0 + $1.count } == 1213)
        #expect(built.nodeGroups.map(\.name) == committed.nodeGroups.map(\.name))
        #expect(built.nodeGroups.map(\.count) == committed.nodeGroups.map(\.count))
        // The node list's GPU models, counted independently.
        let csv = try readCSVPrefix(Fixtures.root.alibabaNodeList)
        let cGPU = try #require(csv.header.firstIndex(of: "gpu")), cModel = try #require(csv.header.firstIndex(of: "model"))
        var byModel: [String: Int] = [:]
        for row in csv.rows { byModel[row[cModel], default: 0] += Int(row[cGPU])! }
        var expected: [String: Int] = [:]
        for (model, n) in byModel where n > 0 {
            let device = try #require(catalog.device(dataset: "alibaba", name: model), "alias for \(model)")
            expected[device.name, default: 0] += n
        }
        #expect(Self.counts(built) == expected)
    }

    @Test func alibaba2023UnknownModel() throws {
        let text = "sn,cpu_milli,memory_mib,gpu,model\nn0,64000,262144,2,P100\nn1,64000,262144,8,H800\n"
        try withTempFile(text, name: "nodes.csv") { path in
            expectInputError(file: path, line: 3, field: "model", reason: "no 'alibaba:H800' alias") {
                _ = try ClusterSpec.alibaba2023(nodeList: path, catalog: try Fixtures.catalog())
            }
        }
    }

    @Test func edgeMixedHasEdgeGroups() throws {
        let spec = try Self.load("edge-mixed")
        #expect(spec.edgeGroups.count == 4)
        #expect(spec.edgeGroups.allSatisfy { $0.device.tier == .edge })
        #expect(spec.edgeGroups.map(\.device.name) == ["pixel3", "samsung-a50", "samsung-s7", "essential-ph-1"])
        #expect(spec.edgeGroups[0].count == 16 && spec.edgeGroups[0].uplinkMbps == 50 && spec.edgeGroups[0].latencyMs == 30)
        #expect(spec.nodeGroups.allSatisfy { $0.device.tier == .datacenter })
        let topology = ClusterTopology(spec)
        #expect(topology.nodes.filter(\.isEdge).count == 48)
        #expect(spec.deviceCount == 8 + 8 + 4 + 48)
    }

    @Test(arguments: ClusterSpecTests.files)
    func yamlRoundTrips(name: String) throws {
        let spec = try Self.load(name)
        let again = try ClusterSpec.parse(spec.yaml(), file: "roundtrip.yaml", catalog: try Fixtures.catalog())
        #expect(again.name == spec.name)
        #expect(again.description == spec.description.replacingOccurrences(of: "\"", with: "'"))
        #expect(again.nodeGroups.count == spec.nodeGroups.count)
        for (a, b) in zip(again.nodeGroups, spec.nodeGroups) {
            #expect(a.name == b.name)
            #expect(a.count == b.count)
            #expect(a.device == b.device)
            #expect(a.devicesPerNode == b.devicesPerNode)
            #expect(a.hostCPUCores == b.hostCPUCores)
            #expect(a.hostMemoryGB == b.hostMemoryGB)
            #expect(a.interconnect == b.interconnect)
            #expect(a.networkGbps == b.networkGbps)
        }
        #expect(again.edgeGroups.count == spec.edgeGroups.count)
        for (a, b) in zip(again.edgeGroups, spec.edgeGroups) {
            #expect(a.name == b.name)
            #expect(a.count == b.count)
            #expect(a.device == b.device)
            #expect(a.uplinkMbps == b.uplinkMbps)
            #expect(a.latencyMs == b.latencyMs)
        }
        #expect(again.yaml() == spec.yaml())
    }

    @Test func builtAlibabaSpecRoundTrips() throws {
        let catalog = try Fixtures.catalog()
        let built = try ClusterSpec.alibaba2023(nodeList: Fixtures.root.alibabaNodeList, catalog: catalog)
        let again = try ClusterSpec.parse(built.yaml(), file: "roundtrip.yaml", catalog: catalog)
        #expect(again.yaml() == built.yaml())
        #expect(Self.counts(again) == Self.counts(built))
    }

    // MARK: - Error paths

    static let valid = """
        name: tiny
        node_groups:
          - name: a
            count: 2
            device: v100-sxm2-16gb
            devices_per_node: 4
          - name: b
            count: 1
            device: k80
            devices_per_node: 8

        """

    static func parse(_ text: String, file: String = "tiny.yaml") throws -> ClusterSpec {
        try ClusterSpec.parse(text, file: file, catalog: try Fixtures.catalog())
    }

    @Test func minimalSpecParses() throws {
        let spec = try Self.parse(Self.valid)
        #expect(spec.deviceCount == 16)
        #expect(spec.nodeGroups[0].interconnect == "pcie")
        #expect(spec.nodeGroups[0].hostCPUCores == nil)
        #expect(spec.description == "")
    }

    @Test func unknownDevice() throws {
        let text = Self.valid.replacingOccurrences(of: "device: k80", with: "device: k800")
        try withTempFile(text, name: "tiny.yaml") { path in
            expectInputError(file: path, line: 9, field: "node_groups[1].device", reason: "unknown device 'k800'") {
                _ = try ClusterSpec.load(path: path, catalog: try Fixtures.catalog())
            }
        }
    }

    @Test func unknownEdgeDevice() throws {
        let text = Self.valid + """
            edge_groups:
              - name: phones
                count: 4
                device: iphone
                uplink_mbps: 50
                latency_ms: 30

            """
        expectInputError(file: "tiny.yaml", line: 14, field: "edge_groups[0].device", reason: "unknown device 'iphone'") {
            _ = try Self.parse(text)
        }
    }

    @Test func missingCount() throws {
        let text = Self.valid.replacingOccurrences(of: "    count: 1\n", with: "")
        expectInputError(file: "tiny.yaml", line: 7, field: "node_groups[1].count", reason: "required field is missing") {
            _ = try Self.parse(text)
        }
    }

    @Test func zeroCount() throws {
        let text = Self.valid.replacingOccurrences(of: "count: 1\n", with: "count: 0\n")
        expectInputError(file: "tiny.yaml", line: 8, field: "node_groups[1].count", reason: "must be a positive integer") {
            _ = try Self.parse(text)
        }
    }

    @Test func duplicateGroupName() throws {
        let text = Self.valid.replacingOccurrences(of: "- name: b", with: "- name: a")
        expectInputError(file: "tiny.yaml", line: 7, field: "name", reason: "duplicate group name 'a'") {
            _ = try Self.parse(text)
        }
    }

    @Test func unknownKey() throws {
        let text = Self.valid.replacingOccurrences(of: "    devices_per_node: 8\n", with: "    devices_per_node: 8\n    gpus_per_node: 8\n")
        expectInputError(file: "tiny.yaml", line: 11, field: "node_groups[1].gpus_per_node", reason: "unknown field") {
            _ = try Self.parse(text)
        }
    }

    @Test func unknownTopLevelKey() throws {
        expectInputError(file: "tiny.yaml", line: 1, field: "nodes", reason: "unknown field") {
            _ = try Self.parse("nodes: 3\n" + Self.valid)
        }
    }

    @Test func unknownHostKey() throws {
        let text = Self.valid.replacingOccurrences(of: "    devices_per_node: 4\n", with: "    devices_per_node: 4\n    host: {cpu_cores: 8, gpus: 2}\n")
        expectInputError(file: "tiny.yaml", line: 7, field: "node_groups[0].host.gpus", reason: "unknown field") {
            _ = try Self.parse(text)
        }
    }

    @Test func noGroups() throws {
        expectInputError(file: "tiny.yaml", line: 1, reason: "at least one node group") {
            _ = try Self.parse("name: empty\ndescription: nothing\n")
        }
    }

    @Test func missingName() throws {
        let text = Self.valid.replacingOccurrences(of: "name: tiny\n", with: "")
        expectInputError(file: "tiny.yaml", line: 1, field: "name", reason: "required field is missing") {
            _ = try Self.parse(text)
        }
    }

    @Test func missingSpecFile() throws {
        expectInputError(file: "clusters/no-such-cluster.yaml", line: nil, reason: "no such file") {
            _ = try ClusterSpec.load(path: "clusters/no-such-cluster.yaml", catalog: try Fixtures.catalog())
        }
    }
}
