import Foundation
import Testing
@testable import ClusterKit

@Suite("Trace importers")
struct TraceImporterTests {
    static var phillyPath: String { Fixtures.root.phillyTrace }
    static func itpPath(_ n: Int) -> String { Fixtures.root.file(String(format: "traces/itp/cluster%02d.csv", n)) }
    static func alibabaPath(_ variant: String) -> String { Fixtures.root.file("traces/alibaba-gpu-2023/openb_pod_list_\(variant).csv") }
    static var gavelDir: String { Fixtures.root.file("traces/gavel/physical_cluster") }

    static func byID(_ trace: Trace) -> [String: Job] {
        Dictionary(uniqueKeysWithValues: trace.jobs.map { ($0.id, $0) })
    }

    // MARK: - Workload catalog

    @Test func workloadCatalogFromPublicOracle() throws {
        let workload = try Fixtures.workload()
        let oracle = try Fixtures.oracle()
        let cluster = try Fixtures.defaultCluster()
        #expect(!workload.isEmpty)
        let families = Set(workload.entries.map(\.family))
        #expect(families == ["gavel", "nb201", "neusight"])
        let clusterDevices = Set(cluster.deviceTypes.map(\.name))
        for e in workload.entries {
            #expect(oracle.referenceDevice(for: e.config) == e.referenceDevice)
            #expect(oracle.estimate(PerformanceQuery(config: e.config, device: e.referenceDevice)) != nil, "\(e.config) on its reference device")
            #expect(!Set(oracle.devices(for: e.config)).isDisjoint(with: clusterDevices), "\(e.config) runs on the cluster")
            if e.family == "nb201" { #expect(Int(e.config.model.dropFirst(6))! % 125 == 0) }
            #expect(!e.devices.isEmpty)
            for (device, count) in e.devices {
                #expect(clusterDevices.contains(device))
                #expect(count == ClusterSpecTests.counts(cluster)[device])
                #expect(oracle.estimate(PerformanceQuery(config: e.config, device: device)) != nil)
            }
        }
    }

    @Test func assignmentRespectsGPUCount() throws {
        let workload = try Fixtures.workload()
        for i in 0..<200 {
            let entry = try #require(workload.assign(jobID: "job-\(i)", gpus: 4, seed: 7))
            #expect(entry.config.mode == .train)
        }
        // The default cluster has at most 8 devices of a type.
        #expect(workload.assign(jobID: "job-1", gpus: 8, seed: 7) != nil)
        #expect(workload.assign(jobID: "job-1", gpus: 16, seed: 7) == nil)
        // Constraints limit the device types; an unmeasured type leaves nothing.
        #expect(workload.assign(jobID: "job-1", gpus: 1, constraint: ["alibaba-g2"], seed: 7) == nil)
        for i in 0..<50 {
            let e = try #require(workload.assign(jobID: "job-\(i)", gpus: 1, constraint: ["t4"], seed: 7))
            #expect(e.devices["t4"] == 4)
            #expect(e.fits(gpus: 1, constraint: ["t4"]))
        }
        let single = Set((0..<200).compactMap { workload.assign(jobID: "job-\($0)", gpus: 1, seed: 7)?.family })
        #expect(single == ["gavel", "nb201", "neusight"], "every family is drawn for single-GPU jobs")
    }

    // MARK: - Philly

    @Test func phillyFirstRows() throws {
        let workload = try Fixtures.workload()
        let trace = try PhillyImporter.read(path: Self.phillyPath, options: ProductionImport(catalog: workload, seed: 1, limit: 100))
        #expect(trace.jobs.count == 100)
        #expect(trace.name == "philly")
        #expect(trace.source == Self.phillyPath)
        let csv = try readCSVPrefix(Self.phillyPath, rows: 100)
        let cTime = try #require(csv.header.firstIndex(of: "timestamp"))
        let cDur = try #require(csv.header.firstIndex(of: "duration"))
        let cGPU = try #require(csv.header.firstIndex(of: "num_gpus"))
        let times = try csv.rows.map { try #require(PhillyImporter.parseTimestamp(Substring($0[cTime]))) }
        let t0 = times.min()!
        let jobs = Self.byID(trace)
        #expect(Set(jobs.keys) == Set((0..<100).map { "philly-\($0)" }))
        for (i, row) in csv.rows.enumerated() {
            let job = try #require(jobs["philly-\(i)"])
            #expect(job.submit.seconds >= 0)
            #expect(job.submit == SimTime(seconds: Double(times[i] - t0)))
            #expect(job.gpus == Int(Double(row[cGPU])!))
            #expect(job.gpuMilli == 1000)
            guard case .duration(let seconds, let ref) = job.work else {
                Issue.record("philly job \(i) should carry a duration before binding"); continue
            }
            #expect(seconds == Double(row[cDur])!)
            #expect(ref == workload.assign(jobID: job.id, gpus: job.gpus, seed: 1)?.referenceDevice)
            #expect(job.config == workload.assign(jobID: job.id, gpus: job.gpus, seed: 1)?.config)
        }
        #expect(trace.jobs.contains { $0.submit == .zero })
        #expect(zip(trace.jobs, trace.jobs.dropFirst()).allSatisfy { $0.submit <= $1.submit }, "sorted by submit")
    }

    @Test func phillyDurationsBecomeIterations() throws {
        let oracle = try Fixtures.oracle()
        let trace = try PhillyImporter.read(path: Self.phillyPath, options: ProductionImport(catalog: try Fixtures.workload(), seed: 1, limit: 100))
        let bound = try trace.bindingWork(to: oracle)
        #expect(bound.jobs.count == trace.jobs.count)
        let before = Self.byID(trace)
        for job in bound.jobs {
            let n = try #require(job.iterations, "job \(job.id) has iterations")
            #expect(n >= 1 && n.isFinite)
            let original = try #require(before[job.id])
            guard case .duration(let seconds, let ref) = original.work else { Issue.record("not a duration"); continue }
            let t1 = try #require(oracle.estimate(PerformanceQuery(config: job.config, device: ref))?.timePerIteration)
            let eff = oracle.scaling.efficiency(model: "\(job.config.model)/b\(job.config.batchSize)", device: ref, gpus: job.gpus, consolidated: true)
            let expected = max(1, seconds * Double(job.gpus) * eff / t1)
            #expect(abs(n - expected) <= 1e-9 * expected)
            #expect(job.submit == original.submit && job.config == original.config && job.gpus == original.gpus)
        }
    }

    @Test func bindingWithoutMeasurementFails() throws {
        let job = Job(id: "j1", submit: .zero, config: ModelConfig(model: "unmeasured", batchSize: 1, mode: .train),
                      work: .duration(seconds: 10, referenceDevice: "k80"))
        expectInputError(file: "src", line: nil, field: "job j1", reason: "no measurement") {
            _ = try Trace(name: "t", source: "src", jobs: [job]).bindingWork(to: try Fixtures.oracle())
        }
    }

    @Test func phillyTimestamp() {
        #expect(PhillyImporter.parseTimestamp("1970-01-02 00:00:01") == 86401)
        #expect(PhillyImporter.parseTimestamp("1970-01-01 00:00:00") == 0)
        #expect(PhillyImporter.parseTimestamp("2017-10-09 07:01:55") == 1_507_532_515)
        #expect(PhillyImporter.parseTimestamp("2000-03-01 00:00:00") == 951_868_800)
        #expect(PhillyImporter.parseTimestamp("2017-13-09 07:01:55") == nil)
        #expect(PhillyImporter.parseTimestamp("2017-10-09") == nil)
        #expect(PhillyImporter.parseTimestamp("yesterday") == nil)
    }

    static let phillyHeader = "timestamp,duration,num_gpus,gpu_time,cluster\n"
    static let phillyGood = "2017-10-09 07:01:55,66.0,1,66.0,c1\n2017-10-09 06:13:03,2951.0,2,5902.0,c1\n"

    @Test func phillyBadTimestamp() throws {
        try withTempFile(Self.phillyHeader + Self.phillyGood + "2017-10-09T25:00:00,10,1,10,c1\n", name: "philly.csv") { path in
            expectInputError(file: path, line: 4, field: "timestamp", reason: "is not YYYY-MM-DD hh:mm:ss") {
                _ = try PhillyImporter.read(path: path, options: ProductionImport(catalog: Fixtures.tinyWorkload, seed: 1))
            }
        }
    }

    @Test func phillyNonNumericDuration() throws {
        try withTempFile(Self.phillyHeader + Self.phillyGood + "2017-10-09 08:00:00,long,1,10,c1\n", name: "philly.csv") { path in
            expectInputError(file: path, line: 4, field: "duration", reason: "'long' is not a number") {
                _ = try PhillyImporter.read(path: path, options: ProductionImport(catalog: Fixtures.tinyWorkload, seed: 1))
            }
        }
    }

    @Test func phillyZeroGPUs() throws {
        try withTempFile(Self.phillyHeader + Self.phillyGood + "\n2017-10-09 08:00:00,10,0,0,c1\n", name: "philly.csv") { path in
            expectInputError(file: path, line: 5, field: "num_gpus", reason: "must be positive") {
                _ = try PhillyImporter.read(path: path, options: ProductionImport(catalog: Fixtures.tinyWorkload, seed: 1))
            }
        }
    }

    @Test func phillySmallFileRelativeSubmits() throws {
        try withTempFile(Self.phillyHeader + Self.phillyGood, name: "philly.csv") { path in
            let trace = try PhillyImporter.read(path: path, options: ProductionImport(catalog: Fixtures.tinyWorkload, seed: 1))
            #expect(trace.jobs.map(\.id) == ["philly-1", "philly-0"], "sorted by submit time")
            #expect(trace.jobs.map(\.submit.seconds) == [0, 2932])
            #expect(trace.jobs.map(\.gpus) == [2, 1])
        }
    }

    // MARK: - Assignment determinism

    @Test func assignmentDeterminism() throws {
        let workload = try Fixtures.workload()
        let (a, b, c) = try withTempFile(try Fixtures.phillyHead.get(), name: "philly100.csv") { path in
            func configs(_ seed: UInt64) throws -> [String: ModelConfig] {
                let t = try PhillyImporter.read(path: path, options: ProductionImport(catalog: workload, seed: seed, limit: 100))
                #expect(t.jobs.count == 100)
                return Dictionary(uniqueKeysWithValues: t.jobs.map { ($0.id, $0.config) })
            }
            return (try configs(11), try configs(11), try configs(12))
        }
        #expect(a == b)
        #expect(a.keys.sorted() == c.keys.sorted())
        #expect(a.contains { c[$0.key] != $0.value }, "a different seed changes some assignments")
        // Assignment depends only on (seed, id, gpus), not on the rest of the trace.
        let entry = workload.assign(jobID: "philly-5", gpus: 1, seed: 11)
        #expect(workload.assign(jobID: "philly-5", gpus: 1, seed: 11) == entry)
    }

    // MARK: - ITP

    /// The default cluster has at most 8 devices of a type, so jobs of more than 8 GPUs have no
    /// configuration that could run them: with `skipUnassignable` they are dropped and counted.
    @Test(arguments: 1...10)
    func itpFirstRows(cluster: Int) throws {
        let path = Self.itpPath(cluster)
        let options = ProductionImport(catalog: try Fixtures.workload(), seed: 3, limit: 50, skipUnassignable: true)
        let trace = try ITPImporter.read(path: path, options: options)
        let csv = try readCSVPrefix(path, rows: 50)
        #expect(csv.rows.count == 50)
        #expect(trace.name == String(format: "itp-cluster%02d", cluster))
        let cID = try #require(csv.header.firstIndex(of: "job_id")), cSub = try #require(csv.header.firstIndex(of: "submission_time"))
        let cDur = try #require(csv.header.firstIndex(of: "duration")), cGPU = try #require(csv.header.firstIndex(of: "num_gpu"))
        let t0 = csv.rows.map { Double($0[cSub])! }.min()!
        let fitting = csv.rows.filter { Int($0[cGPU])! <= 8 }
        #expect(trace.jobs.count == fitting.count)
        #expect(trace.dropped == csv.rows.count - fitting.count)
        let jobs = Self.byID(trace)
        #expect(jobs.count == trace.jobs.count, "ids are unique")
        for row in fitting {
            let job = try #require(jobs["itp-" + row[cID]])
            #expect(job.gpus == Int(row[cGPU])!)
            #expect(job.submit == SimTime(seconds: Double(row[cSub])! - t0))
            #expect(job.submit.seconds >= 0)
            guard case .duration(let d, _) = job.work else { Issue.record("expected a duration"); continue }
            #expect(d == Double(row[cDur])!)
        }
    }

    @Test func itpUnassignableJobIsAnError() throws {
        // cluster01's first job asks for 64 GPUs; the default cluster has 8 of a type at most.
        let path = Self.itpPath(1)
        let first = try readCSVPrefix(path, rows: 1)
        #expect(first.rows[0][first.header.firstIndex(of: "num_gpu")!] == "64")
        expectInputError(file: path, line: 2, reason: "no measured configuration can run as a 64-GPU job") {
            _ = try ITPImporter.read(path: path, options: ProductionImport(catalog: try Fixtures.workload(), seed: 3, limit: 5))
        }
    }

    @Test func itpMissingColumn() throws {
        try withTempFile("job_id,submission_time,duration\nj1,0,10\n", name: "cluster99.csv") { path in
            expectInputError(file: path, line: 1, reason: "missing column 'num_gpu'") {
                _ = try ITPImporter.read(path: path, options: ProductionImport(catalog: Fixtures.tinyWorkload, seed: 1))
            }
        }
    }

    @Test func itpNegativeSubmission() throws {
        try withTempFile("job_id,submission_time,duration,num_gpu\nj1,0,10,1\nj2,-5,10,1\n", name: "cluster99.csv") { path in
            expectInputError(file: path, line: 3, field: "submission_time", reason: "must not be negative") {
                _ = try ITPImporter.read(path: path, options: ProductionImport(catalog: Fixtures.tinyWorkload, seed: 1))
            }
        }
    }

    // MARK: - Alibaba

    struct PodRow {
        var name: String, numGPU: Int, milli: Int, spec: String, qos: String
        var created: Double, deleted: Double, scheduled: String
    }

    static func pods(_ path: String) throws -> [PodRow] {
        let csv = try readCSVPrefix(path)
        func c(_ n: String) -> Int { csv.header.firstIndex(of: n)! }
        return csv.rows.map {
            PodRow(name: $0[c("name")], numGPU: Int($0[c("num_gpu")])!, milli: Int($0[c("gpu_milli")])!, spec: $0[c("gpu_spec")],
                   qos: $0[c("qos")], created: Double($0[c("creation_time")])!, deleted: Double($0[c("deletion_time")]) ?? 0,
                   scheduled: $0[c("scheduled_time")])
        }
    }

    @Test(arguments: ["default", "gpuspec33"])
    func alibabaFirstRows(variant: String) throws {
        let path = Self.alibabaPath(variant)
        let catalog = try Fixtures.catalog()
        let workload = try Fixtures.alibabaWorkload()
        let result = try AlibabaImporter.read(path: path, options: ProductionImport(catalog: workload, seed: 5, limit: 200, skipUnassignable: true), devices: catalog)
        #expect(result.trace.jobs.count == 200 - result.trace.dropped)
        #expect(result.trace.name == "alibaba-2023")
        let jobs = Self.byID(result.trace)
        // Walk the file as the importer should: until 200 GPU pods with a run time are read
        // (`limit` counts rows before model assignment; pods no configuration can run are then dropped).
        var kept = 0, cpuOnly = 0, unscheduled = 0, zero = 0, dropped = 0
        var sawFraction = false, sawConstraint = false
        for pod in try Self.pods(path) {
            if kept + dropped == 200 { break }
            if pod.numGPU == 0 { cpuOnly += 1; continue }
            if pod.scheduled.isEmpty { unscheduled += 1; continue }
            if !(pod.deleted > Double(pod.scheduled)!) { zero += 1; continue }
            var expected: [String] = []
            for s in pod.spec.split(separator: "|") where s != "nan" {
                let name = try #require(catalog.device(dataset: "alibaba", name: String(s))?.name)
                if !expected.contains(name) { expected.append(name) }
            }
            guard workload.assign(jobID: "alibaba-" + pod.name, gpus: pod.numGPU, constraint: expected, seed: 5) != nil else {
                dropped += 1
                #expect(jobs["alibaba-" + pod.name] == nil)
                continue
            }
            kept += 1
            let job = try #require(jobs["alibaba-" + pod.name], "pod \(pod.name) imported")
            #expect(job.gpus == pod.numGPU)
            #expect(job.submit == SimTime(seconds: pod.created))
            #expect(job.gpuMilli == (pod.numGPU == 1 ? pod.milli : 1000))
            if pod.numGPU == 1 && pod.milli < 1000 { sawFraction = true }
            #expect(job.priority == (pod.qos == "LS" ? 2 : pod.qos == "Burstable" ? 1 : 0))
            guard case .duration(let d, _) = job.work else { Issue.record("expected a duration"); continue }
            #expect(d == pod.deleted - Double(pod.scheduled)!)
            #expect(job.deviceConstraint == expected)
            #expect(job.deviceConstraint.allSatisfy { catalog[$0] != nil })
            if !expected.isEmpty { sawConstraint = true }
        }
        #expect(kept + dropped == 200)
        #expect(result.skippedCPUOnly == cpuOnly)
        #expect(result.skippedUnscheduled == unscheduled)
        #expect(result.skippedZeroDuration == zero)
        #expect(result.trace.dropped == dropped)
        #expect(sawFraction, "fractional GPU pods are among the first 200")
        if variant == "gpuspec33" {
            #expect(sawConstraint)
            #expect(cpuOnly > 0, "CPU-only pods are skipped and counted")
            #expect(jobs["alibaba-openb-pod-0009"]?.deviceConstraint == ["v100-sxm2-16gb", "v100-sxm2-32gb"])
            #expect(dropped > 0, "pods limited to unmeasured GPU types (G2, G3) are dropped")
            #expect(jobs["alibaba-openb-pod-0013"] == nil, "G2 only: no measured configuration")
            #expect(jobs["alibaba-openb-pod-0012"]?.deviceConstraint == ["t4"])
            #expect(jobs["alibaba-openb-pod-0001"]?.gpuMilli == 460)
        }
    }

    static let alibabaHeader = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n"

    @Test func alibabaBadGPUMilli() throws {
        let text = Self.alibabaHeader + "p0,1000,1024,1,500,,LS,Running,0,100,0\np1,1000,1024,0,0,,LS,Running,0,100,0\np2,1000,1024,1,1500,,LS,Running,0,100,0\n"
        try withTempFile(text, name: "pods.csv") { path in
            expectInputError(file: path, line: 4, field: "gpu_milli", reason: "must be 1–1000") {
                _ = try AlibabaImporter.read(path: path, options: ProductionImport(catalog: Fixtures.tinyWorkload, seed: 1), devices: try Fixtures.catalog())
            }
        }
    }

    @Test func alibabaNonIntegerGPUMilli() throws {
        let text = Self.alibabaHeader + "p0,1000,1024,1,half,,LS,Running,0,100,0\n"
        try withTempFile(text, name: "pods.csv") { path in
            expectInputError(file: path, line: 2, field: "gpu_milli", reason: "is not an integer") {
                _ = try AlibabaImporter.read(path: path, options: ProductionImport(catalog: Fixtures.tinyWorkload, seed: 1), devices: try Fixtures.catalog())
            }
        }
    }

    @Test func alibabaUnknownGPUSpec() throws {
        let text = Self.alibabaHeader + "p0,1000,1024,1,500,T4,LS,Running,0,100,0\np1,1000,1024,1,1000,T4|H800,LS,Running,0,100,0\n"
        try withTempFile(text, name: "pods.csv") { path in
            expectInputError(file: path, line: 3, field: "gpu_spec", reason: "'H800' has no 'alibaba:H800' alias") {
                _ = try AlibabaImporter.read(path: path, options: ProductionImport(catalog: Fixtures.tinyWorkload, seed: 1), devices: try Fixtures.catalog())
            }
        }
    }

    @Test func alibabaSkipsAndCounts() throws {
        let text = Self.alibabaHeader + """
            p0,1000,1024,1,500,T4,Burstable,Running,10,100,20
            p1,1000,1024,0,0,,LS,Running,0,100,0
            p2,1000,1024,2,1000,,BE,Running,5,100,
            p3,1000,1024,2,1000,,BE,Running,5,100,100
            p4,1000,1024,4,1000,V100M32|V100M32,BE,Running,7,100,50

            """
        try withTempFile(text, name: "pods.csv") { path in
            let r = try AlibabaImporter.read(path: path, options: ProductionImport(catalog: Fixtures.tinyWorkload, seed: 1), devices: try Fixtures.catalog())
            #expect(r.skippedCPUOnly == 1 && r.skippedUnscheduled == 1 && r.skippedZeroDuration == 1)
            #expect(r.trace.jobs.map(\.id) == ["alibaba-p4", "alibaba-p0"])
            #expect(r.trace.jobs[0].deviceConstraint == ["v100-sxm2-32gb"])
            #expect(r.trace.jobs[0].gpuMilli == 1000 && r.trace.jobs[0].priority == 0)
            #expect(r.trace.jobs[1].gpuMilli == 500 && r.trace.jobs[1].priority == 1)
            #expect(r.trace.jobs[1].work == .duration(seconds: 80, referenceDevice: "v100-sxm2-16gb"))
        }
    }

    // MARK: - Gavel

    static func gavelFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: gavelDir).filter { $0.hasSuffix(".trace") }.sorted()
    }

    @Test func gavelAllFiles() throws {
        let files = try Self.gavelFiles()
        #expect(files.count >= 8)
        for file in files {
            let path = "\(Self.gavelDir)/\(file)"
            let trace = try GavelImporter.read(path: path)
            let rows = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.isEmpty }
                .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
            #expect(trace.jobs.count == rows.count, "\(file)")
            #expect(trace.name == file)
            let jobs = Self.byID(trace)
            for (i, f) in rows.enumerated() {
                let job = try #require(jobs["gavel-\(i)"], "\(file) row \(i)")
                #expect(job.work == .iterations(Double(f[5])!), "\(file) row \(i)")
                #expect(job.gpus == Int(Double(f[6])!), "\(file) row \(i)")
                #expect(job.submit == SimTime(seconds: Double(f[9])!))
                #expect(job.config == MeasuredOracle.gavelConfig(f[0]))
                let slo = Double(f[8])!
                #expect(job.deadline == (slo > 0 ? SimTime(seconds: Double(f[9])! + slo) : nil))
            }
        }
    }

    @Test func gavelConfigNames() {
        #expect(MeasuredOracle.gavelConfig("ResNet-50 (batch size 64)") == ModelConfig(model: "resnet50-imagenet", batchSize: 64, mode: .train))
        #expect(MeasuredOracle.gavelConfig("A3C") == ModelConfig(model: "a3c-pong", batchSize: 1, mode: .train))
        #expect(MeasuredOracle.gavelConfig("LM (batch size 80)")?.model == "lstm-wikitext2")
        #expect(MeasuredOracle.gavelConfig("GPT-3 (batch size 8)") == nil)
    }

    static let gavelRow = "ResNet-50 (batch size 64)\tpython3 main.py\timage_classification\t--num_steps\t1\t1000\t2\t1\t-1\t0\n"

    @Test func gavelWrongFieldCount() throws {
        try withTempFile(Self.gavelRow + "ResNet-50 (batch size 64)\tpython3 main.py\t1000\t2\n", name: "bad.trace") { path in
            expectInputError(file: path, line: 2, reason: "expected 10 tab-separated fields, found 4") {
                _ = try GavelImporter.read(path: path)
            }
        }
    }

    @Test func gavelUnknownJobType() throws {
        let bad = Self.gavelRow.replacingOccurrences(of: "ResNet-50 (batch size 64)", with: "BERT (batch size 8)")
        try withTempFile(Self.gavelRow + Self.gavelRow + bad, name: "bad.trace") { path in
            expectInputError(file: path, line: 3, field: "job_type", reason: "unknown Gavel job type 'BERT (batch size 8)'") {
                _ = try GavelImporter.read(path: path)
            }
        }
    }

    /// Out-of-range numbers are input errors, not crashes. (Running this today traps the test
    /// process: `Int(scale)` with scale_factor 1e300.)
    @Test
    func gavelHugeNumbersAreInputErrors() throws {
        let row = Self.gavelRow.replacingOccurrences(of: "\t1000\t2\t", with: "\t1000\t1e300\t")
        try withTempFile(row, name: "huge.trace") { path in
            expectInputError(file: path, line: 1, field: "scale_factor", reason: "out of range") {
                _ = try GavelImporter.read(path: path)
            }
        }
    }

    @Test func gavelSLOBecomesDeadline() throws {
        let row = Self.gavelRow.replacingOccurrences(of: "\t-1\t0\n", with: "\t100\t50\n")
        try withTempFile(row, name: "slo.trace") { path in
            let trace = try GavelImporter.read(path: path)
            #expect(trace.jobs.count == 1)
            #expect(trace.jobs[0].deadline == SimTime(seconds: 150))
            #expect(trace.jobs[0].submit == SimTime(seconds: 50))
            #expect(trace.jobs[0].gpus == 2)
        }
    }
}
