import Foundation
import Testing
@testable import ClusterKit

/// The project's own measurement files (tools/measure → data/measurements): they load into the
/// measured oracle, and damaged rows give clear errors.
@Suite struct AugurMeasurementTests {
    static let header = "config_id,family,model,batch_size,resolution,width,depth,hidden,layers,seq_len,patch,mode,device,threads,precision,status,median_ms,p10_ms,p90_ms,min_ms,runs,peak_rss_mib,framework_peak_mib,param_count,forward_gmacs,torch_version,torchvision_version,measured_at,error\n"

    static func row(id: String = "resnet18-r32-b4", batch: String = "4", mode: String = "train", device: String = "xeon-emerald-rapids-2vcpu",
                    threads: String = "1", status: String = "ok", median: String = "20.0", p10: String = "19.0", p90: String = "22.0",
                    rss: String = "300.5") -> String {
        "\(id),resnet,resnet18,\(batch),32,,,,,,,\(mode),\(device),\(threads),fp32,\(status),\(median),\(p10),\(p90),18.5,10,\(rss),12.0,11000000,0.15,1.13.0,0.14.1,2026-11-21T12:00:00Z,\n"
    }

    func load(_ text: String) throws -> (MeasuredOracle, MeasuredOracle.AugurLoadReport) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("augur-m-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var oracle = MeasuredOracle()
        let report = try oracle.loadAugurMeasurements(path: path, catalog: try Fixtures.catalog())
        return (oracle, report)
    }

    func expectError(_ text: String, line: Int, field: String?, reason: String) {
        do {
            _ = try load(text)
            Issue.record("expected an error at line \(line), field \(field)")
        } catch let e as InputError {
            #expect(e.line == line)
            #expect(e.field == field)
            #expect(e.reason.contains(reason), "\(e.reason)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func rowsLoadAsEntriesOfTheDeviceSettings() throws {
        let text = Self.header + Self.row() + Self.row(threads: "2", median: "12", p10: "11", p90: "13")
            + Self.row(id: "mlp-w256-d2-b8", batch: "8", mode: "infer", status: "oom", median: "", p10: "", p90: "", rss: "")
        let (oracle, report) = try load(text)
        #expect(report == .init(rows: 3, failures: 1))
        let config = ModelConfig(model: "augur-resnet18-r32", batchSize: 4, mode: .train)
        let one = try #require(oracle.estimate(PerformanceQuery(config: config, device: "xeon-emerald-rapids-1t")))
        #expect(one.timePerIteration == 0.020)
        #expect(one.timeInterval == EstimateInterval(lower: 0.019, upper: 0.022))
        #expect(one.peakMemoryBytes == Int64((300.5 * 1_048_576).rounded()))
        #expect(oracle.estimate(PerformanceQuery(config: config, device: "xeon-emerald-rapids-2t"))?.timePerIteration == 0.012)
        #expect(oracle.referenceDevice(for: config) == "xeon-emerald-rapids-1t")
    }

    @Test func damagedRowsNameLineAndField() {
        expectError(Self.header + Self.row(median: "fast"), line: 2, field: "median_ms", reason: "not a number")
        expectError(Self.header + Self.row() + Self.row(status: "maybe"), line: 3, field: "status", reason: "not ok, oom or error")
        expectError(Self.header + Self.row(device: "tpu-v9"), line: 2, field: "device", reason: "alias")
        expectError(Self.header + Self.row(id: "resnet18-r32-b8"), line: 2, field: "config_id", reason: "does not end in -b4")
        expectError(Self.header + Self.row(mode: "serve"), line: 2, field: "mode", reason: "train or infer")
        expectError(Self.header + Self.row(p10: "25"), line: 2, field: "p10_ms", reason: "p10_ms ≤ median_ms ≤ p90_ms")
        expectError(Self.header + Self.row() + Self.row(), line: 3, field: "config_id", reason: "duplicate")
        expectError(Self.header + "resnet18-r32-b4,resnet\n", line: 2, field: "status", reason: "missing")
    }

    @Test func aFileWithoutTheColumnsIsRejectedAtItsHeader() {
        expectError("config_id,mode\nx,train\n", line: 1, field: nil, reason: "missing column")
    }

    @Test func theCommittedMeasurementsLoad() throws {
        let directory = "data/measurements"
        guard FileManager.default.fileExists(atPath: directory + "/cpu.csv") else { return }
        var oracle = MeasuredOracle()
        let report = try oracle.loadAugurMeasurements(directory: directory, catalog: try Fixtures.catalog())
        #expect(report.rows > 0)
        #expect(oracle.table.values.contains { $0.source == "augur" })
    }
}
