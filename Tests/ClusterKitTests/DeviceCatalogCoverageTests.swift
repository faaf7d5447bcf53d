import Foundation
import Testing
@testable import ClusterKit

/// Every GPU that the public datasets name resolves, through `measured_as`, to exactly one
/// catalog device. The dataset checks read `../shared` (``DataRoot``) in place and pass
/// without checking anything where the shared data is absent.
@Suite("Device catalog coverage")
struct DeviceCatalogCoverageTests {
    /// The distinct values of `column` in a CSV file of the shared data, or nil without the file.
    static func distinct(_ relative: String, column: String) throws -> Set<String>? {
        let path = Fixtures.root.file(relative)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let table = try CSVTable(text: TextFile.read(path), path: path)
        let c = try table.column(column)
        return Set(try table.rows.map { String(try $0.string(c, column, in: table)) })
    }

    /// Catalog devices listing `"dataset:name"`; the parser allows at most one.
    static func owners(_ catalog: DeviceCatalog, dataset: String, name: String) -> [String] {
        catalog.devices.filter { $0.measuredAs.contains("\(dataset):\(name)") }.map(\.name)
    }

    @Test func everyThroughputGPUModelResolvesToOneDevice() throws {
        guard let models = try Self.distinct("datasets/gpu-training-throughput/throughput.csv", column: "gpu_model") else { return }
        let catalog = try Fixtures.catalog()
        #expect(models.count == 37, "the dataset README lists 37 GPU models")
        for model in models.sorted() {
            let owners = Self.owners(catalog, dataset: "gpu-throughput", name: model)
            #expect(owners.count == 1, "gpu-throughput:\(model) is listed by \(owners)")
            let device = catalog.device(dataset: "gpu-throughput", name: model)
            #expect(device != nil && device?.name == owners.first, "gpu-throughput:\(model)")
            if let device {
                #expect(device.kind == .gpu, "\(device.name)")
                #expect(device.memoryBytes != nil && device.memoryBandwidth != nil && device.fp32FLOPS != nil, "\(device.name) has the figures a roofline needs")
            }
        }
    }

    @Test func everyTorchvisionGPUResolvesToOneDevice() throws {
        guard let gpus = try Self.distinct("datasets/torchvision-gpu-benchmark/timings.csv", column: "gpu") else { return }
        let catalog = try Fixtures.catalog()
        for gpu in gpus.sorted() {
            #expect(Self.owners(catalog, dataset: "torchvision-bench", name: gpu).count == 1, "torchvision-bench:\(gpu)")
        }
    }

    @Test func gpuMemNetGPUResolves() throws {
        guard let models = try Self.distinct("datasets/gpumemnet-mlp/mlp_runs.csv", column: "gpu_model") else { return }
        let catalog = try Fixtures.catalog()
        for model in models.sorted() {
            #expect(Self.owners(catalog, dataset: "gpumemnet", name: model).count == 1, "gpumemnet:\(model)")
        }
    }

    /// Without the shared data: the catalog's own keys for the datasets (one per device).
    @Test func namedKeysResolveWithoutData() throws {
        let catalog = try Fixtures.catalog()
        let expected: [(String, String, String)] = [
            ("gpu-throughput", "H100-SXM5-80GB", "h100-sxm-80gb"), ("gpu-throughput", "RTX A6000", "rtx-a6000"),
            ("gpu-throughput", "RTX 3080 Laptop", "rtx-3080-laptop"), ("gpu-throughput", "MI355X", "mi355x"),
            ("gpu-throughput", "RTX PRO 6000", "rtx-pro-6000"), ("gpu-throughput", "GTX 1080 Ti", "gtx-1080ti"),
            ("torchvision-bench", "TITAN V", "titan-v"), ("torchvision-bench", "GeForce RTX 2080 Ti", "rtx-2080ti"),
            ("gpumemnet", "A100-SXM4-40GB", "a100-sxm4-40gb"),
        ]
        for (dataset, name, device) in expected {
            #expect(catalog.device(dataset: dataset, name: name)?.name == device, "\(dataset):\(name)")
        }
        #expect(catalog.device(dataset: "gpu-throughput", name: "TITAN V") == nil, "keys are per dataset")
    }

    @Test func duplicateMeasuredAsKeyIsRejected() throws {
        let text = """
            devices:
              - name: dev-a
                kind: gpu
                tier: datacenter
                measured_as: ["x:A"]
              - name: dev-b
                kind: gpu
                tier: datacenter
                measured_as: ["x:B", "x:A"]

            """
        try withTempFile(text, name: "devices.yaml") { path in
            expectInputError(file: path, line: 9, field: "devices[1].measured_as",
                             reason: "measured_as key 'x:A' already belongs to device 'dev-a'") {
                _ = try DeviceCatalog.load(path: path)
            }
        }
    }
}
