import Foundation
import Testing
@testable import ClusterKit

@Suite("Utilities")
struct UtilityTests {
    // MARK: SHA-256 (FIPS 180-4 test vectors)

    @Test func sha256Vectors() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(Array("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8))
                == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        #expect(SHA256.hex("abc".utf8) == SHA256.hex(Array("abc".utf8)), "any byte collection")
    }

    @Test func sha256PaddingBoundaries() {
        // 55, 56 and 64 bytes straddle the one-block/two-block padding boundary; digests are
        // 64 lowercase hex digits and differ.
        let digests = [55, 56, 63, 64, 65].map { SHA256.hex([UInt8](repeating: 0x61, count: $0)) }
        #expect(Set(digests).count == 5)
        #expect(digests.allSatisfy { $0.count == 64 && $0.allSatisfy { "0123456789abcdef".contains($0) } })
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    // MARK: JSONText

    @Test func jsonFormat() {
        #expect(JSONText.format(0.1) == "0.1")
        #expect(JSONText.format(2.0) == "2")
        #expect(JSONText.format(-3) == "-3")
        #expect(JSONText.format(1.5e-7) == "0")
        #expect(JSONText.format(-1e-9) == "0")
        #expect(JSONText.format(1.2345678) == "1.234568")
        #expect(JSONText.format(.infinity) == "null")
        #expect(JSONText.format(.nan) == "null")
        #expect(JSONText.format(1e15) == "1000000000000000.000000".replacingOccurrences(of: ".000000", with: ""))
    }

    @Test func significantDigits() {
        #expect(1234.5678.rounded(significantDigits: 4) == 1235)
        #expect(0.000123456.rounded(significantDigits: 4) == 0.0001235)
        #expect((-98765.4).rounded(significantDigits: 2) == -99000)
        #expect(0.1.rounded(significantDigits: 6) == 0.1)
        #expect(1.0.nextUp.rounded(significantDigits: 6) == 1)
        #expect(9.99996.rounded(significantDigits: 5) == 10)
        #expect(Double(0).rounded(significantDigits: 3) == 0)
        #expect(Double.infinity.rounded(significantDigits: 3) == .infinity)
        #expect(Double.nan.rounded(significantDigits: 3).isNaN)
        let x = 0.0123456789
        #expect(x.rounded(significantDigits: 4).rounded(significantDigits: 4) == x.rounded(significantDigits: 4), "idempotent")
        let e = PerformanceEstimate(timePerIteration: 0.123456, peakMemoryBytes: 1_234_567_891, smUtilization: 0.876543,
                                    timeInterval: EstimateInterval(lower: 0.1111111, upper: 0.1333333)).rounded(significantDigits: 4)
        #expect(e == PerformanceEstimate(timePerIteration: 0.1235, peakMemoryBytes: 1_235_000_000, smUtilization: 0.8765,
                                         timeInterval: EstimateInterval(lower: 0.1111, upper: 0.1333)))
    }

    @Test func jsonQuote() {
        #expect(JSONText.quote("plain") == "\"plain\"")
        #expect(JSONText.quote("a\"b") == "\"a\\\"b\"")
        #expect(JSONText.quote("back\\slash") == "\"back\\\\slash\"")
        #expect(JSONText.quote("line\nnext\ttab") == "\"line\\nnext\\ttab\"")
        #expect(JSONText.quote("\u{01}\u{1f}") == "\"\\u0001\\u001f\"")
        #expect(JSONText.quote("héllo ✓") == "\"héllo ✓\"")
    }

    @Test func jsonRenderParsesBack() throws {
        let value = JSONText.object([
            ("name", .string("run \"1\"\n")), ("n", .integer(3)), ("x", .number(0.25)), ("ok", .bool(true)),
            ("none", .null), ("list", .array([.integer(1), .number(2.5), .array([])])), ("empty", .object([])),
        ])
        let text = value.render()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["name"] as? String == "run \"1\"\n")
        #expect((object["n"] as? NSNumber)?.intValue == 3)
        #expect((object["x"] as? NSNumber)?.doubleValue == 0.25)
        #expect(object["ok"] as? Bool == true)
        #expect(object["none"] is NSNull)
        #expect((object["list"] as? [Any])?.count == 3)
        // Keys keep the given order.
        let keys = ["name", "n", "x", "ok", "none", "list", "empty"].map { text.range(of: "\"\($0)\":")!.lowerBound }
        #expect(keys == keys.sorted())
        #expect(value.render() == text, "deterministic")
    }

    // MARK: SeededGenerator

    @Test func seededGeneratorStreams() {
        var a = SeededGenerator(seed: 42, stream: "arrivals"), b = SeededGenerator(seed: 42, stream: "arrivals")
        let sa = (0..<100).map { _ in a.next() }, sb = (0..<100).map { _ in b.next() }
        #expect(sa == sb, "same seed and stream, same numbers")
        var c = SeededGenerator(seed: 42, stream: "sizes")
        let sc = (0..<100).map { _ in c.next() }
        #expect(sa != sc)
        #expect(Set(sa).isDisjoint(with: Set(sc)))
        var d = SeededGenerator(seed: 43, stream: "arrivals")
        #expect((0..<100).map { _ in d.next() } != sa)
        var p = SeededGenerator(seed: 1), q = SeededGenerator(seed: 1)
        #expect((0..<10).map { _ in p.next() } == (0..<10).map { _ in q.next() })
        #expect(StableHash.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(StableHash.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
    }

    @Test func seededGeneratorDistributions() {
        var g = SeededGenerator(seed: 5, stream: "dist")
        let n = 20_000
        let units = (0..<n).map { _ in g.nextUnit() }
        #expect(units.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(units.reduce(0, +) / Double(n) - 0.5) < 0.02)
        let gauss = (0..<n).map { _ in g.nextGaussian() }
        let mean = gauss.reduce(0, +) / Double(n)
        let variance = gauss.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
        #expect(abs(mean) < 0.05 && abs(variance - 1) < 0.05)
        let exps = (0..<n).map { _ in g.nextExponential(mean: 30) }
        #expect(exps.allSatisfy { $0 >= 0 })
        #expect(abs(exps.reduce(0, +) / Double(n) - 30) < 1.5)
        // Usable as a RandomNumberGenerator.
        var h = SeededGenerator(seed: 5)
        let x = Int.random(in: 0..<10, using: &h)
        #expect((0..<10).contains(x))
    }

    // MARK: CSVTable

    @Test func csvQuotedFields() throws {
        let text = "a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n\n2,,\"\"\r"
        let table = try CSVTable(text: text, path: "q.csv")
        #expect(table.header == ["a", "b", "c"])
        #expect(table.rows.count == 2)
        #expect(table.rows[0].fields.map(String.init) == ["1", "x, y", "say \"hi\""])
        #expect(table.rows[0].line == 2)
        #expect(table.rows[1].fields.map(String.init) == ["2", "", ""])
        #expect(table.rows[1].line == 4, "blank lines are skipped but counted")
        #expect(try table.column("b") == 1)
        #expect(table.optionalColumn("z") == nil)
    }

    @Test
    func csvCRLFLineEndings() throws {
        let table = try CSVTable(text: "a,b\r\n1,2\r\n3,\"x\"\r\n", path: "crlf.csv")
        #expect(table.header == ["a", "b"])
        #expect(table.rows.count == 2)
        #expect(table.rows.map { $0.fields.map(String.init) } == [["1", "2"], ["3", "x"]])
        #expect(table.rows.map(\.line) == [2, 3])
    }

    @Test func csvLoneTrailingCarriageReturn() throws {
        let lone = try CSVTable(text: "a,b\n1,2\r", path: "cr.csv")
        #expect(lone.rows.map { $0.fields.map(String.init) } == [["1", "2"]])
    }

    @Test func csvUnterminatedQuote() {
        let text = "a,b\n1,2\n3,\"open\n5,6\n"
        expectInputError(file: "u.csv", line: 3, reason: "unterminated quoted field") {
            _ = try CSVTable(text: text, path: "u.csv")
        }
    }

    @Test func csvTypedFieldsAndErrors() throws {
        let table = try CSVTable(text: "n,x\n 7 ,2.5\n1e3,abc\n3\n", path: "t.csv")
        let r = table.rows
        #expect(try r[0].int(0, "n", in: table) == 7)
        #expect(try r[0].double(1, "x", in: table) == 2.5)
        #expect(try r[1].int(0, "n", in: table) == 1000)
        expectInputError(file: "t.csv", line: 3, field: "x", reason: "'abc' is not a number") {
            _ = try r[1].double(1, "x", in: table)
        }
        expectInputError(file: "t.csv", line: 2, field: "x", reason: "'2.5' is not an integer") {
            _ = try r[0].int(1, "x", in: table)
        }
        expectInputError(file: "t.csv", line: 4, field: "x", reason: "missing (row has 1 fields, header has 2)") {
            _ = try r[2].string(1, "x", in: table)
        }
        expectInputError(file: "t.csv", line: 1, reason: "missing column 'y'") {
            _ = try table.column("y")
        }
    }

    @Test func csvTabsAndNoHeader() throws {
        let table = try CSVTable(text: "a\tb\tc\nd\te\tf\n", path: "t.tsv", separator: "\t", hasHeader: false)
        #expect(table.header.isEmpty)
        #expect(table.rows.map { $0.fields.count } == [3, 3])
        #expect(table.rows[1].line == 2)
    }

    @Test func csvEmptyText() {
        expectInputError(file: "e.csv", line: nil, reason: "empty file") {
            _ = try CSVTable(text: "\n\n", path: "e.csv")
        }
    }

    // MARK: InputError, TextFile, YAMLValue, SimTime, DataRoot

    @Test func inputErrorDescription() {
        #expect(InputError(file: "f.csv", line: 3, field: "gpus", reason: "bad").description == "f.csv:3: gpus: bad")
        #expect(InputError(file: "f.csv", reason: "bad").description == "f.csv: bad")
        #expect(InputError(file: "f.csv", line: 1, reason: "bad").description == "f.csv:1: bad")
    }

    @Test func textFileRoundTripAndErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("clusterkit-tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("sub/out.txt").path
        try TextFile.writeAtomically("héllo\n", to: path)
        #expect(try TextFile.read(path) == "héllo\n")
        try TextFile.writeAtomically("again", to: path)
        #expect(try TextFile.read(path) == "again")
        expectInputError(file: dir.path, line: nil, reason: "is a directory") { _ = try TextFile.read(dir.path) }
        let binary = dir.appendingPathComponent("bin").path
        try Data([0xff, 0xfe, 0x00, 0xc3]).write(to: URL(fileURLWithPath: binary))
        expectInputError(file: binary, line: 1, reason: "is not UTF-8 text (byte 0 of the file)") { _ = try TextFile.read(binary) }
    }

    @Test func yamlValueAccessors() throws {
        let root = try YAMLValue.parse("a: 1\nb: 2.5\nc: text\nd: [x, y]\ne: ~\nf: -3\n", file: "v.yaml")
        #expect(try root.required("a").int() == 1)
        #expect(try root.required("a").double() == 1)
        #expect(try root.required("b").positiveDouble() == 2.5)
        #expect(try root.required("c").string() == "text")
        #expect(try root.required("d").sequence().map { try $0.string() } == ["x", "y"])
        #expect(try root.required("d").sequence()[1].path == "d[1]")
        #expect(try root.optional("e") == nil)
        #expect(try root.optional("zz") == nil)
        #expect(try root.entries().map(\.key) == ["a", "b", "c", "d", "e", "f"])
        expectInputError(file: "v.yaml", line: 6, field: "f", reason: "must be a positive integer") { _ = try root.required("f").positiveInt() }
        expectInputError(file: "v.yaml", line: 3, field: "c", reason: "expected a number") { _ = try root.required("c").double() }
        expectInputError(file: "v.yaml", line: 4, field: "d", reason: "expected a text value") { _ = try root.required("d").string() }
        expectInputError(file: "v.yaml", line: 1, field: "a", reason: "expected a mapping") { _ = try root.required("a").optional("x") }
        expectInputError(file: "v.yaml", line: 1, field: "zz", reason: "required field is missing") { _ = try root.required("zz") }
        expectInputError(file: "v.yaml", line: 3, field: "c", reason: "unknown field") { try root.checkKeys(["a", "b"]) }
    }

    @Test func simTime() {
        #expect(SimTime(seconds: 1.5).microseconds == 1_500_000)
        #expect(SimTime(seconds: 0.0000004).microseconds == 0)
        #expect(SimTime(seconds: 0.0000006).microseconds == 1)
        #expect(SimTime(seconds: 2) + SimTime(seconds: 1) == SimTime(seconds: 3))
        #expect(SimTime(seconds: 2) - SimTime(seconds: 3) == SimTime(seconds: -1))
        #expect(SimTime.zero < SimTime.infinity)
        #expect(SimTime(seconds: 1.25).seconds == 1.25)
        #expect(SimTime(seconds: 1.25).description == "1.250000s")
    }

    @Test func dataRoot() {
        #expect(DataRoot.resolve(flag: "/data").path == "/data")
        #expect(DataRoot(path: "/d").file("a/b.csv") == "/d/a/b.csv")
        #expect(DataRoot(path: "/d").phillyTrace == "/d/traces/philly/philly.csv")
        let resolved = DataRoot.resolve()
        if let env = ProcessInfo.processInfo.environment["AUGUR_DATA"], !env.isEmpty {
            #expect(resolved.path == env)
        } else {
            #expect(resolved.path == "../shared")
        }
        #expect(resolved.exists, "the shared data is present at \(resolved.path)")
    }

    @Test func modelConfigOrderingAndDescription() {
        let a = ModelConfig(model: "a", batchSize: 64, mode: .train)
        let b = ModelConfig(model: "a", batchSize: 128, mode: .train)
        let c = ModelConfig(model: "b", batchSize: 1, mode: .infer, precision: .fp16)
        #expect(a < b && b < c)
        #expect(c.description == "b/b1/infer/fp16")
        #expect(PerformanceQuery(config: a, device: "z") < PerformanceQuery(config: b, device: "a"))
        #expect(PerformanceQuery(config: a, device: "a") < PerformanceQuery(config: a, device: "b"))
    }
}
