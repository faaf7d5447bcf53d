import Foundation
import Testing
@testable import ClusterKit

@Suite("Device catalog")
struct DeviceCatalogTests {
    static let required = [
        "h100-sxm-80gb", "h100-pcie-80gb", "h200-sxm-141gb", "a100-pcie-40gb", "a100-sxm4-80gb", "a10", "l4", "t4",
        "v100-sxm2-16gb", "v100-sxm2-32gb", "p100-pcie-16gb", "p4", "k80", "gtx-1080ti", "rtx-2080ti",
        "titan-x-pascal", "titan-xp", "titan-rtx", "xeon-gold-6240", "xeon-silver-4114", "xeon-silver-4210r",
        "raspberry-pi-4", "jetson-nano", "jetson-agx-orin-64gb", "pixel3", "samsung-a50", "samsung-s7", "essential-ph-1",
        // gpu-training-throughput and torchvision-gpu-benchmark GPUs
        "l40s", "a40", "mi300x", "mi325x", "mi350x", "mi355x", "rtx-a6000", "rtx-a5500", "rtx-a5000", "rtx-a4500",
        "rtx-a4000", "quadro-rtx-8000", "quadro-rtx-6000", "quadro-rtx-5000", "rtx-6000-ada", "rtx-pro-6000", "rtx-3090",
        "rtx-3080", "rtx-3070", "rtx-4090", "rtx-3080-laptop", "rtx-2080-super-maxq", "rtx-2080-maxq", "rtx-2070-maxq",
        "rx-7900-xtx", "titan-v",
    ]
    static let edge = ["raspberry-pi-4", "jetson-nano", "jetson-agx-orin-64gb", "pixel3", "samsung-a50", "samsung-s7", "essential-ph-1"]

    @Test func loadsWithRequiredDevices() throws {
        let catalog = try DeviceCatalog.load(path: Fixtures.catalogPath)
        let names = Set(catalog.devices.map(\.name))
        #expect(names.count == catalog.devices.count, "device names are unique")
        for name in Self.required {
            #expect(catalog[name] != nil, "missing device \(name)")
            #expect(catalog[name]?.name == name)
        }
    }

    @Test(arguments: DeviceCatalogTests.edge)
    func edgeDevicesHaveEdgeTier(name: String) throws {
        let device = try #require(try Fixtures.catalog()[name])
        #expect(device.tier == .edge)
        #expect(device.kind != .gpu && device.kind != .cpu)
    }

    @Test func datacenterGPUsHaveDatacenterTier() throws {
        let catalog = try Fixtures.catalog()
        for name in ["h100-sxm-80gb", "v100-sxm2-16gb", "k80", "t4", "xeon-gold-6240"] {
            #expect(catalog[name]?.tier == .datacenter, "\(name)")
        }
        #expect(catalog["xeon-gold-6240"]?.kind == .cpu)
        #expect(catalog["v100-sxm2-16gb"]?.kind == .gpu)
    }

    @Test func everyFigureHasASourceAndIsPositive() throws {
        let catalog = try Fixtures.catalog()
        for d in catalog.devices {
            if let m = d.memoryBytes { #expect(m > 0 && d.sources["memory_gb"] != nil, "\(d.name)") }
            if let b = d.memoryBandwidth { #expect(b > 0 && d.sources["memory_bandwidth_gbs"] != nil, "\(d.name)") }
            if let f = d.fp32FLOPS { #expect(f > 0 && d.sources["fp32_tflops"] != nil, "\(d.name)") }
            if let f = d.fp16FLOPS { #expect(f > 0 && d.sources["fp16_tflops"] != nil, "\(d.name)") }
            if let c = d.computeUnits { #expect(c > 0 && d.sources["compute_units"] != nil, "\(d.name)") }
            if let p = d.powerWatts { #expect(p > 0 && d.sources["power_w"] != nil, "\(d.name)") }
        }
        let h100 = try #require(catalog["h100-sxm-80gb"])
        #expect(h100.memoryBytes == 80_000_000_000)
        #expect(h100.computeUnits == 132)
        #expect(h100.fp32FLOPS == 67e12)
    }

    @Test func aliasesResolve() throws {
        let catalog = try Fixtures.catalog()
        #expect(catalog.device(dataset: "gavel", name: "v100")?.name == "v100-sxm2-16gb")
        #expect(catalog.device(dataset: "gavel", name: "p100")?.name == "p100-pcie-16gb")
        #expect(catalog.device(dataset: "gavel", name: "k80")?.name == "k80")
        #expect(catalog.device(dataset: "alibaba", name: "V100M32")?.name == "v100-sxm2-32gb")
        #expect(catalog.device(dataset: "alibaba", name: "G2")?.name == "alibaba-g2")
        #expect(catalog.device(dataset: "nb201", name: "pixel3")?.name == "pixel3")
        #expect(catalog.device(dataset: "neusight", name: "Tesla_T4")?.name == "t4")
        #expect(catalog.device(dataset: "gavel", name: "a100") == nil)
        #expect(catalog.device(dataset: "nb201", name: "v100") == nil, "aliases are per dataset")
    }

    @Test func requireNamesFileAndLine() throws {
        let catalog = try Fixtures.catalog()
        #expect(try catalog.require("k80", file: "x.yaml", line: 3, field: "device").name == "k80")
        expectInputError(file: "x.yaml", line: 7, field: "device", reason: "unknown device 'v100'") {
            _ = try catalog.require("v100", file: "x.yaml", line: 7, field: "device")
        }
    }

    // MARK: - Error paths

    /// A valid one-device catalog; lines are numbered in the comments.
    static let valid = """
        devices:
          - name: dev-a
            kind: gpu
            tier: datacenter
            memory_gb: 16
            sources:
              memory_gb: "datasheet"

        """

    @Test func minimalCatalogParses() throws {
        let catalog = try DeviceCatalog.parse(Self.valid, file: "mini.yaml")
        #expect(catalog.devices.count == 1)
        #expect(catalog["dev-a"]?.memoryBytes == 16_000_000_000)
        #expect(catalog["dev-a"]?.display == "dev-a")
    }

    @Test func unknownField() throws {
        let text = Self.valid.replacingOccurrences(of: "    memory_gb: 16\n", with: "    memory_gb: 16\n    colour: red\n")
        try withTempFile(text, name: "devices.yaml") { path in
            expectInputError(file: path, line: 6, field: "devices[0].colour", reason: "unknown field") {
                _ = try DeviceCatalog.load(path: path)
            }
        }
    }

    @Test func unknownTopLevelField() throws {
        try withTempFile("version: 2\n" + Self.valid, name: "devices.yaml") { path in
            expectInputError(file: path, line: 1, field: "version", reason: "unknown field") {
                _ = try DeviceCatalog.load(path: path)
            }
        }
    }

    @Test func badKind() throws {
        let text = Self.valid.replacingOccurrences(of: "kind: gpu", with: "kind: tpu")
        try withTempFile(text, name: "devices.yaml") { path in
            expectInputError(file: path, line: 3, field: "devices[0].kind", reason: "unknown kind") {
                _ = try DeviceCatalog.load(path: path)
            }
        }
    }

    @Test func badTier() throws {
        let text = Self.valid.replacingOccurrences(of: "tier: datacenter", with: "tier: cloud")
        try withTempFile(text, name: "devices.yaml") { path in
            expectInputError(file: path, line: 4, field: "devices[0].tier", reason: "unknown tier") {
                _ = try DeviceCatalog.load(path: path)
            }
        }
    }

    @Test func duplicateName() throws {
        let text = Self.valid + """
              - name: dev-a
                kind: cpu
                tier: datacenter

            """
        try withTempFile(text, name: "devices.yaml") { path in
            expectInputError(file: path, line: 8, field: "name", reason: "duplicate device name 'dev-a'") {
                _ = try DeviceCatalog.load(path: path)
            }
        }
    }

    @Test func figureWithoutSource() throws {
        let text = """
            devices:
              - name: dev-a
                kind: gpu
                tier: datacenter
                memory_gb: 16
                fp32_tflops: 10
                sources:
                  memory_gb: "datasheet"

            """
        try withTempFile(text, name: "devices.yaml") { path in
            expectInputError(file: path, line: 6, field: "devices[0].fp32_tflops", reason: "no entry in 'sources'") {
                _ = try DeviceCatalog.load(path: path)
            }
        }
    }

    @Test func negativeFigure() throws {
        let text = Self.valid.replacingOccurrences(of: "memory_gb: 16", with: "memory_gb: -16")
        try withTempFile(text, name: "devices.yaml") { path in
            expectInputError(file: path, line: 5, field: "devices[0].memory_gb", reason: "must be positive") {
                _ = try DeviceCatalog.load(path: path)
            }
        }
    }

    /// A figure too large for its integer field is an input error, not a crash. 
    @Test
    func hugeFigureIsAnInputError() throws {
        let text = Self.valid.replacingOccurrences(of: "memory_gb: 16", with: "memory_gb: 1e12")
        expectInputError(file: "huge.yaml", line: 5, field: "devices[0].memory_gb", reason: "out of range") {
            _ = try DeviceCatalog.parse(text, file: "huge.yaml")
        }
    }

    @Test func nonNumericFigure() throws {
        let text = Self.valid.replacingOccurrences(of: "memory_gb: 16", with: "memory_gb: lots")
        try withTempFile(text, name: "devices.yaml") { path in
            expectInputError(file: path, line: 5, field: "devices[0].memory_gb", reason: "expected a number") {
                _ = try DeviceCatalog.load(path: path)
            }
        }
    }

    @Test func badDeviceName() throws {
        let text = Self.valid.replacingOccurrences(of: "name: dev-a", with: "name: Dev_A")
        try withTempFile(text, name: "devices.yaml") { path in
            expectInputError(file: path, line: 2, field: "devices[0].name", reason: "lowercase letters") {
                _ = try DeviceCatalog.load(path: path)
            }
        }
    }

    @Test func missingRequiredField() throws {
        let text = Self.valid.replacingOccurrences(of: "    tier: datacenter\n", with: "")
        try withTempFile(text, name: "devices.yaml") { path in
            expectInputError(file: path, line: 2, field: "devices[0].tier", reason: "required field is missing") {
                _ = try DeviceCatalog.load(path: path)
            }
        }
    }

    @Test func invalidYAMLSyntax() throws {
        let text = """
            devices:
              - name: dev-a
                kind: [gpu, cpu
                tier: datacenter

            """
        try withTempFile(text, name: "devices.yaml") { path in
            // The unclosed flow sequence opened on line 3 is detected at the next line's token.
            expectInputError(file: path, line: 4, reason: "invalid YAML: did not find expected ',' or ']'") {
                _ = try DeviceCatalog.load(path: path)
            }
        }
    }

    @Test func tabIndentationIsInvalidYAML() throws {
        let text = "devices:\n  - name: dev-a\n\tkind: gpu\n"
        try withTempFile(text, name: "devices.yaml") { path in
            expectInputError(file: path, line: 3, reason: "invalid YAML") {
                _ = try DeviceCatalog.load(path: path)
            }
        }
    }

    @Test func emptyFile() throws {
        try withTempFile("", name: "devices.yaml") { path in
            expectInputError(file: path, line: nil, reason: "empty YAML document") {
                _ = try DeviceCatalog.load(path: path)
            }
        }
    }

    @Test func noDevices() throws {
        try withTempFile("devices: []\n", name: "devices.yaml") { path in
            expectInputError(file: path, line: 1, reason: "no devices") {
                _ = try DeviceCatalog.load(path: path)
            }
        }
    }

    @Test func missingFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("missing-\(UUID().uuidString).yaml").path
        expectInputError(file: path, line: nil, reason: "no such file") {
            _ = try DeviceCatalog.load(path: path)
        }
    }

    @Test func directoryInsteadOfFile() throws {
        expectInputError(file: "clusters", line: nil, reason: "is a directory") {
            _ = try DeviceCatalog.load(path: "clusters")
        }
    }
}
