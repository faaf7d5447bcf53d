import Foundation
import Testing
@testable import ClusterKit

/// Issue 18: every count, size, time and rate read from a file is checked against `Limits`
/// before anything is allocated, and integer time cannot wrap.
@Suite struct LimitsTests {
    static func cluster(_ group: String) -> String {
        "name: x\nnode_groups:\n  - name: g\n    device: v100-sxm2-16gb\n" + group
    }

    @Test(arguments: [
        ("    count: 1\n    devices_per_node: 1000000000000\n", 6, "node_groups[0].devices_per_node", "beyond the limit of 1024"),
        ("    count: 1000000000000\n    devices_per_node: 8\n", 5, "node_groups[0].count", "beyond the limit of 131072"),
        ("    count: 10000000\n    devices_per_node: 1\n", 5, "node_groups[0].count", "beyond the limit of 1048576"),
    ])
    func clusterSizesAreBounded(group: String, line: Int, field: String, reason: String) throws {
        let catalog = try Fixtures.catalog()
        expectInputError(file: "c.yaml", line: line, field: field, reason: reason) {
            _ = try ClusterSpec.parse(Self.cluster(group), file: "c.yaml", catalog: catalog)
        }
    }

    @Test func devicesAreCountedOverGroups() throws {
        let catalog = try Fixtures.catalog()
        let text = "name: x\nnode_groups:\n" + (0..<3).map { "  - name: g\($0)\n    device: v100-sxm2-16gb\n    count: 131072\n    devices_per_node: 4\n" }.joined()
        expectInputError(file: "c.yaml", line: 13, field: "node_groups[2].count", reason: "beyond the limit of 1048576") {
            _ = try ClusterSpec.parse(text, file: "c.yaml", catalog: catalog)
        }
    }

    @Test func tinyGPUFractionIsRejected() throws {
        try withTempFile(TraceFormatTests.header + TraceFormatTests.row(["gpu_fraction": "0.0004"]), name: "t.csv") { path in
            expectInputError(file: path, line: 2, field: "gpu_fraction", reason: "must be in [0.001, 1]") {
                _ = try AugurTraceFormat.read(path: path)
            }
        }
    }

    @Test(arguments: [("submit_s", "2e10", "beyond the limit of 1e10"), ("deadline_s", "-5", "non-negative"),
                      ("user_estimate_s", "0", "positive"), ("gpus", "2000000", "beyond the limit of 1048576")])
    func traceValuesAreBounded(field: String, value: String, reason: String) throws {
        try withTempFile(TraceFormatTests.header + TraceFormatTests.row([field: value]), name: "t.csv") { path in
            expectInputError(file: path, line: 2, field: field, reason: reason) { _ = try AugurTraceFormat.read(path: path) }
        }
    }

    @Test func phillyTimestampsInTheFarFutureAreAnError() throws {
        let text = "timestamp,duration,num_gpus\n2017-10-03 10:00:00,60,1\n9999-12-31 23:59:59,60,1\n"
        try withTempFile(text, name: "philly.csv") { path in
            expectInputError(file: path, line: 3, field: "submit time", reason: "beyond the limit of 1e10") {
                _ = try PhillyImporter.read(path: path, options: ProductionImport(catalog: try Fixtures.workload(), seed: 1))
            }
        }
        #expect(PhillyImporter.parseTimestamp("99999999999-01-01 00:00:00") == nil)
    }

    @Test func alibabaNegativeCreationTimeIsAnError() throws {
        let text = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n"
            + "p1,1000,1024,1,1000,,LS,Running,-100,500,10\n"
        try withTempFile(text, name: "alibaba.csv") { path in
            expectInputError(file: path, line: 2, field: "creation_time", reason: "non-negative") {
                _ = try AlibabaImporter.read(path: path, options: ProductionImport(catalog: try Fixtures.alibabaWorkload(), seed: 1),
                                             devices: try Fixtures.catalog())
            }
        }
    }

    @Test func itpDuplicateIDsAreAnError() throws {
        let text = "job_id,submission_time,duration,num_gpu\na,0,60,1\nb,5,60,1\na,9,60,1\n"
        try withTempFile(text, name: "itp.csv") { path in
            expectInputError(file: path, line: 4, field: "job_id", reason: "duplicate job id 'a'") {
                _ = try ITPImporter.read(path: path, options: ProductionImport(catalog: try Fixtures.workload(), seed: 1))
            }
        }
    }

    @Test func simTimeSaturatesInsteadOfWrapping() {
        #expect(SimTime(seconds: .infinity) == SimTime.horizon)
        #expect(SimTime(seconds: .nan) == SimTime.horizon)
        #expect(SimTime(seconds: -1e300).microseconds == -SimTime.horizon.microseconds)
        #expect(SimTime(seconds: 1.5).microseconds == 1_500_000)
        #expect(SimTime(secondsRoundingUp: 1e-7).microseconds == 1)
        #expect((SimTime.infinity + SimTime(seconds: 1)) == SimTime.infinity)
        #expect((SimTime(microseconds: .min) - SimTime(seconds: 1)).microseconds == .min)
        #expect((SimTime.horizon + SimTime.horizon).microseconds > 0)
    }

    @Test func notUTF8NamesTheLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("augur-utf8-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        FileManager.default.createFile(atPath: path, contents: Data("a,b\n1,2\n3,\u{e9}".utf8) + Data([0xFF, 0x0A]))
        expectInputError(file: path, line: 3, reason: "is not UTF-8 text (byte 12 of the file)") { _ = try TextFile.read(path) }
    }

    @Test(arguments: [("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("x\r\ny", "\"x\r\ny\""), ("", "")])
    func csvQuotingFollowsRFC4180(field: String, written: String) throws {
        #expect(CSVTable.quote(field) == written)
        let table = try CSVTable(text: "h,k\n" + CSVTable.line([field, "end"]) + "\n", path: "q.csv")
        #expect(table.rows.count == 1)
        #expect(table.rows.first?.fields.map(String.init) == [field.replacingOccurrences(of: "\r\n", with: "\n"), "end"])
    }

    @Test(arguments: [
        ("{\"a\": 1,\n }", 2, 2, "expected a quoted key"), ("[1, 2", 1, 6, "expected ',' or ']'"), ("{\"a\" 1}", 1, 6, "expected ':'"),
        ("[01x]", 1, 4, "expected ',' or ']'"), ("\"abc", 1, 5, "unterminated string"), ("{} x", 1, 4, "unexpected text"),
        (String(repeating: "[", count: 600), 1, 513, "nesting deeper"),
    ])
    func jsonSyntaxErrorsHaveAPosition(text: String, line: Int, column: Int, reason: String) {
        let f = JSONSyntax.firstError(in: Array(text.utf8))
        #expect(f?.line == line && f?.column == column, "\(String(describing: f))")
        #expect(f?.reason.contains(reason) == true, "\(String(describing: f))")
    }

    @Test func validJSONHasNoError() {
        #expect(JSONSyntax.firstError(in: Array("{\"a\": [1, -2.5e3, true, null, \"x\\u00e9\\n\"], \"b\": {}}".utf8)) == nil)
    }
}
