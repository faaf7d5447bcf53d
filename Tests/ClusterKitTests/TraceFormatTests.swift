import Foundation
import Testing
@testable import ClusterKit

@Suite("Native trace format")
struct TraceFormatTests {
    static let header = AugurTraceFormat.columns.joined(separator: ",") + "\n"

    static let sampleJobs: [Job] = [
        Job(id: "a", submit: SimTime(seconds: 0), config: ModelConfig(model: "resnet50-imagenet", batchSize: 64, mode: .train),
            work: .iterations(1000)),
        Job(id: "b", submit: SimTime(seconds: 1.5), config: ModelConfig(model: "bert_large-s512", batchSize: 8, mode: .infer, precision: .fp16),
            work: .duration(seconds: 3600.25, referenceDevice: "v100-pcie-32gb"), gpus: 1, gpuMilli: 500, priority: 2,
            deadline: SimTime(seconds: 7200), deviceConstraint: ["t4", "v100-sxm2-16gb"], userEstimate: SimTime(seconds: 4000.5)),
        Job(id: "c", submit: SimTime(microseconds: 2_000_001), config: ModelConfig(model: "nb201-125", batchSize: 1, mode: .infer, precision: .bf16),
            work: .iterations(12.345678), gpus: 8, priority: -1),
        Job(id: "d", submit: SimTime(seconds: 2.000001), config: ModelConfig(model: "lstm-wikitext2", batchSize: 20, mode: .train),
            work: .iterations(1), gpus: 1, gpuMilli: 1, deviceConstraint: ["k80"]),
    ]

    @Test func writeReadRoundTrip() throws {
        let trace = Trace(name: "sample", source: "test", jobs: Self.sampleJobs)
        let text = AugurTraceFormat.write(trace)
        #expect(text.hasPrefix(Self.header))
        try withTempFile(text, name: "sample.csv") { path in
            let read = try AugurTraceFormat.read(path: path, catalog: try Fixtures.catalog())
            #expect(read.jobs == trace.jobs)
            #expect(read.name == "sample.csv")
            #expect(read.source == path)
            #expect(AugurTraceFormat.write(read) == text, "writing again gives the same bytes")
        }
    }

    @Test func roundTripOfImportedTrace() throws {
        let trace = try withTempFile(try Fixtures.phillyHead.get(), name: "philly100.csv") { path in
            try PhillyImporter.read(path: path, options: ProductionImport(catalog: try Fixtures.workload(), seed: 2, limit: 50))
        }
        #expect(trace.jobs.count == 50)
        for t in [trace, try trace.bindingWork(to: try Fixtures.oracle())] {
            let text = AugurTraceFormat.write(t)
            try withTempFile(text, name: "philly50.csv") { path in
                let read = try AugurTraceFormat.read(path: path)
                #expect(read.jobs.map(\.id) == t.jobs.map(\.id))
                #expect(read.jobs.map(\.config) == t.jobs.map(\.config))
                #expect(read.jobs.map(\.submit) == t.jobs.map(\.submit))
                #expect(read.jobs.map(\.gpus) == t.jobs.map(\.gpus))
                #expect(AugurTraceFormat.write(read) == text)
            }
        }
    }

    @Test func minimalColumnsAndDefaults() throws {
        let text = "job_id,submit_s,model,batch_size,mode,gpus,iterations\nx,5,m,4,infer,1,10\n"
        try withTempFile(text, name: "min.csv") { path in
            let trace = try AugurTraceFormat.read(path: path)
            let job = try #require(trace.jobs.first)
            #expect(job.config == ModelConfig(model: "m", batchSize: 4, mode: .infer, precision: .fp32))
            #expect(job.work == .iterations(10))
            #expect(job.gpuMilli == 1000 && job.priority == 0 && job.deadline == nil && job.deviceConstraint.isEmpty && job.userEstimate == nil)
        }
    }

    static func row(_ fields: [String: String]) -> String {
        var base: [String: String] = ["job_id": "j", "submit_s": "0", "model": "m", "batch_size": "1", "mode": "train",
                                      "precision": "fp32", "iterations": "10", "gpus": "1", "priority": "0"]
        for (k, v) in fields { base[k] = v }
        return AugurTraceFormat.columns.map { base[$0] ?? "" }.joined(separator: ",") + "\n"
    }

    func expectReadError(_ rows: [String], line: Int, field: String, reason: String, catalog: DeviceCatalog? = nil,
                         sourceLocation: SourceLocation = #_sourceLocation) throws {
        try withTempFile(Self.header + rows.joined(), name: "bad.csv") { path in
            expectInputError(file: path, line: line, field: field, reason: reason, sourceLocation: sourceLocation) {
                _ = try AugurTraceFormat.read(path: path, catalog: catalog)
            }
        }
    }

    @Test func duplicateJobID() throws {
        try expectReadError([Self.row(["job_id": "a"]), Self.row(["job_id": "b"]), Self.row(["job_id": "a"])],
                            line: 4, field: "job_id", reason: "duplicate job id 'a'")
    }

    @Test func badMode() throws {
        try expectReadError([Self.row(["job_id": "a"]), Self.row(["job_id": "b", "mode": "training"])],
                            line: 3, field: "mode", reason: "must be train or infer")
    }

    @Test func badPrecision() throws {
        try expectReadError([Self.row(["precision": "int8"])], line: 2, field: "precision", reason: "must be fp32, tf32, fp16 or bf16")
    }

    @Test func missingIterationsAndDuration() throws {
        try expectReadError([Self.row(["job_id": "a"]), Self.row(["job_id": "b", "iterations": ""])],
                            line: 3, field: "iterations", reason: "either iterations or duration_s")
    }

    @Test func durationNeedsReferenceDevice() throws {
        try expectReadError([Self.row(["iterations": "", "duration_s": "60"])],
                            line: 2, field: "reference_device", reason: "required with duration_s")
    }

    @Test func unknownReferenceDevice() throws {
        try expectReadError([Self.row(["iterations": "", "duration_s": "60", "reference_device": "v100"])],
                            line: 2, field: "reference_device", reason: "unknown device 'v100'", catalog: try Fixtures.catalog())
    }

    @Test func gpuFractionWithSeveralGPUs() throws {
        try expectReadError([Self.row(["job_id": "a", "gpu_fraction": "0.5"]), Self.row(["job_id": "b", "gpus": "2", "gpu_fraction": "0.5"])],
                            line: 3, field: "gpu_fraction", reason: "only for single-GPU jobs")
    }

    @Test func gpuFractionOutOfRange() throws {
        try expectReadError([Self.row(["gpu_fraction": "1.5"])], line: 2, field: "gpu_fraction", reason: "must be in [0.001, 1]")
    }

    @Test func unknownDeviceConstraint() throws {
        let catalog = try Fixtures.catalog()
        try expectReadError([Self.row(["job_id": "a", "device_constraint": "t4|k80"]), Self.row(["job_id": "b", "device_constraint": "t4|a800"])],
                            line: 3, field: "device_constraint", reason: "unknown device 'a800'", catalog: catalog)
        // Without a catalog, constraint names are not checked.
        try withTempFile(Self.header + Self.row(["device_constraint": "t4|a800"]), name: "ok.csv") { path in
            let trace = try AugurTraceFormat.read(path: path)
            #expect(trace.jobs[0].deviceConstraint == ["t4", "a800"])
        }
    }

    @Test func otherFieldErrors() throws {
        try expectReadError([Self.row(["submit_s": "-1"])], line: 2, field: "submit_s", reason: "non-negative")
        try expectReadError([Self.row(["batch_size": "2.5"])], line: 2, field: "batch_size", reason: "positive integer")
        try expectReadError([Self.row(["gpus": "0"])], line: 2, field: "gpus", reason: "positive integer")
        try expectReadError([Self.row(["iterations": "ten"])], line: 2, field: "iterations", reason: "'ten' is not a number")
        try expectReadError([Self.row(["iterations": "0"])], line: 2, field: "iterations", reason: "must be positive")
        try expectReadError([Self.row(["user_estimate_s": "0"])], line: 2, field: "user_estimate_s", reason: "positive number of seconds")
        try expectReadError([Self.row(["job_id": ""])], line: 2, field: "job_id", reason: "empty")
    }

    @Test func missingRequiredColumn() throws {
        try withTempFile("job_id,submit_s,model,batch_size,gpus\n", name: "bad.csv") { path in
            expectInputError(file: path, line: 1, reason: "missing column 'mode'") {
                _ = try AugurTraceFormat.read(path: path)
            }
        }
    }

    /// A file with CRLF line endings (as written on Windows) reads like the same file with LF.
    @Test
    func crlfLineEndings() throws {
        let trace = Trace(name: "crlf", source: "test", jobs: Self.sampleJobs)
        let text = AugurTraceFormat.write(trace).replacingOccurrences(of: "\n", with: "\r\n")
        try withTempFile(text, name: "crlf.csv") { path in
            let read = try AugurTraceFormat.read(path: path, catalog: try Fixtures.catalog())
            #expect(read.jobs == trace.jobs)
            #expect(read.jobs.first { $0.id == "b" }?.userEstimate == SimTime(seconds: 4000.5), "last column carries no CR")
        }
    }

    @Test func trailingCarriageReturn() throws {
        // A lone CR ending the last line (no LF after it) is not part of the last field.
        let trace = Trace(name: "cr", source: "test", jobs: Self.sampleJobs)
        var text = AugurTraceFormat.write(trace)
        text.removeLast()
        text += "\r"
        try withTempFile(text, name: "cr.csv") { path in
            let read = try AugurTraceFormat.read(path: path, catalog: try Fixtures.catalog())
            #expect(read.jobs == trace.jobs)
        }
        let minimal = "job_id,submit_s,model,batch_size,mode,gpus,iterations\nx,5,m,4,infer,1,10\r"
        try withTempFile(minimal, name: "cr-min.csv") { path in
            let read = try AugurTraceFormat.read(path: path)
            #expect(read.jobs.first?.work == .iterations(10))
        }
    }

    /// Fields holding a comma or a quote (job ids come from trace files) are quoted on write,
    /// so that the file reads back the same.
    @Test
    func writeQuotesFieldsWithCommas() throws {
        let config = ModelConfig(model: "m", batchSize: 1, mode: .train)
        let jobs = [Job(id: "a,b", submit: .zero, config: config, work: .iterations(5)),
                    Job(id: "say \"hi\"", submit: .zero, config: config, work: .iterations(5))]
        let trace = Trace(name: "t", source: "s", jobs: jobs)
        try withTempFile(AugurTraceFormat.write(trace), name: "quoted.csv") { path in
            let read = try AugurTraceFormat.read(path: path)
            #expect(read.jobs == trace.jobs)
        }
    }

    /// Out-of-range numbers are input errors, not crashes. 
    @Test
    func hugeNumbersAreInputErrors() throws {
        try expectReadError([Self.row(["batch_size": "1e300"])], line: 2, field: "batch_size", reason: "out of range")
        try expectReadError([Self.row(["priority": "1e300"])], line: 2, field: "priority", reason: "out of range")
        try expectReadError([Self.row(["submit_s": "1e300"])], line: 2, field: "submit_s", reason: "out of range")
    }

    @Test func traceSortsBySubmitKeepingFileOrderForTies() {
        let config = ModelConfig(model: "m", batchSize: 1, mode: .train)
        let jobs = [("x", 5.0), ("y", 1.0), ("z", 5.0), ("w", 1.0)].map {
            Job(id: $0.0, submit: SimTime(seconds: $0.1), config: config, work: .iterations(1))
        }
        #expect(Trace(name: "t", source: "s", jobs: jobs).jobs.map(\.id) == ["y", "w", "x", "z"])
    }
}

@Suite("Philly-like generator")
struct PhillyLikeGeneratorTests {
    @Test func deterministicForASeed() throws {
        let workload = try Fixtures.workload()
        let g = PhillyLikeGenerator(jobs: 500, arrivalsPerHour: 60, maxGPUs: 8, seed: 42)
        let a = AugurTraceFormat.write(try g.generate(catalog: workload, name: "pl"))
        let b = AugurTraceFormat.write(try g.generate(catalog: workload, name: "pl"))
        #expect(a == b)
        let c = AugurTraceFormat.write(try PhillyLikeGenerator(jobs: 500, arrivalsPerHour: 60, maxGPUs: 8, seed: 43).generate(catalog: workload, name: "pl"))
        #expect(a != c)
    }

    @Test func arrivalsIncreaseAndJobsAreValid() throws {
        let g = PhillyLikeGenerator(jobs: 1000, arrivalsPerHour: 120, durationScale: 0.5, maxGPUs: 8, seed: 9)
        let trace = try g.generate(catalog: try Fixtures.workload(), name: "gen")
        #expect(trace.jobs.count == 1000)
        #expect(trace.source == "generated: gen seed 9")
        let byID = Dictionary(uniqueKeysWithValues: trace.jobs.map { ($0.id, $0) })
        let inOrder = try (0..<1000).map { try #require(byID["gen-\($0)"]) }
        #expect(inOrder.first!.submit > .zero)
        for (a, b) in zip(inOrder, inOrder.dropFirst()) { #expect(a.submit <= b.submit, "\(a.id) before \(b.id)") }
        #expect(inOrder.last!.submit > inOrder.first!.submit)
        // Mean inter-arrival about 30 s.
        let mean = inOrder.last!.submit.seconds / 1000
        #expect(mean > 25 && mean < 35)
        let allowed = Set(PhillyLikeGenerator.sizeMix.map(\.gpus).filter { $0 <= 8 })
        for j in trace.jobs {
            #expect(allowed.contains(j.gpus))
            guard case .duration(let s, _) = j.work else { Issue.record("expected a duration"); continue }
            #expect(s >= 1 && s <= 4_000_000 * 0.5 + 1)
            #expect(s == s.rounded())
        }
    }

    @Test func sharesSumToAboutOne() {
        let total = PhillyLikeGenerator.sizeMix.reduce(0) { $0 + $1.share }
        #expect(abs(total - 1) < 0.001)
        for row in PhillyLikeGenerator.durationMix { #expect(abs(row.reduce(0, +) - 1) < 0.001) }
        #expect(PhillyLikeGenerator.binEdges.count == PhillyLikeGenerator.durationMix[0].count + 1)
    }

    @Test func sizeMixMatchesPhillyTrace() throws {
        let table = try CSVTable(text: try TextFile.read(Fixtures.root.phillyTrace), path: Fixtures.root.phillyTrace)
        #expect(table.rows.count == 82_247)
        let c = try table.column("num_gpus")
        var counts: [Int: Int] = [:]
        for row in table.rows { counts[try row.int(c, "num_gpus", in: table), default: 0] += 1 }
        let n = Double(table.rows.count)
        for (gpus, share) in PhillyLikeGenerator.sizeMix {
            let measured = Double(counts[gpus] ?? 0) / n
            #expect(abs(measured - share) <= 0.0005, "\(gpus) GPUs: trace \(measured), mix \(share)")
        }
    }

    @Test func generatedSingleGPUShare() throws {
        let trace = try PhillyLikeGenerator(jobs: 20_000, arrivalsPerHour: 100, seed: 1).generate(catalog: Fixtures.tinyWorkload, name: "big")
        #expect(trace.jobs.count == 20_000)
        let share = Double(trace.jobs.filter { $0.gpus == 1 }.count) / 20_000
        #expect(abs(share - 0.93166) <= 0.01, "1-GPU share \(share)")
    }
}
