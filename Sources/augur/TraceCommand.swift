import ArgumentParser
import ClusterKit
import ClusterSimulation
import Foundation

struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "trace", abstract: "Generate and convert traces.",
                                                    subcommands: [TraceGenerate.self, TraceConvert.self])
}

struct TraceGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "Write a seeded Philly-like trace in Augur's format.")

    @OptionGroup var data: DataOptions

    @Option(help: "Cluster whose measured device types the jobs' models are drawn for.")
    var cluster = "clusters/default.yaml"

    @Option(help: "Number of jobs.")
    var jobs = 2000

    @OptionGroup var shape: GeneratorOptions

    @Option(help: "Seed.")
    var seed: UInt64 = 1

    @Option(help: "Output trace file.")
    var out: String

    func validate() throws {
        try shape.check(jobs: jobs, flag: "--jobs")
    }

    func run() throws {
        try guarded {
            let (_, workloads) = try data.workloads(for: cluster, families: shape.familySet)
            let name = (out as NSString).lastPathComponent.replacingOccurrences(of: ".csv", with: "")
            let generator = shape.generator(jobs: jobs, seed: seed)
            let trace = try generator.generate(catalog: workloads, name: name)
            try TextFile.writeAtomically(AugurTraceFormat.write(trace), to: out)
            print("wrote \(trace.jobs.count) jobs to \(out)")
        }
    }
}

struct TraceConvert: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "convert", abstract: "Read any supported trace and write it in Augur's format.")

    @OptionGroup var data: DataOptions

    @Option(help: "Input trace.")
    var trace: String

    @Option(help: "Input format.")
    var traceFormat: TraceFormat = .auto

    @Option(help: "Cluster whose measured device types the jobs' models are drawn for.")
    var cluster = "clusters/default.yaml"

    @Option(help: "Seed for model assignment.")
    var seed: UInt64 = 1

    @Option(help: "Keep the first N jobs.")
    var limit: Int?

    @Option(help: "Output trace file.")
    var out: String

    func run() throws {
        try guarded {
            let (catalog, workloads) = try data.workloads(for: cluster)
            let trace = try traceFormat.read(path: trace, catalog: workloads, devices: catalog, seed: seed, limit: limit)
            try TextFile.writeAtomically(AugurTraceFormat.write(trace), to: out)
            print("wrote \(trace.jobs.count) jobs to \(out)")
        }
    }
}

struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cluster", abstract: "Build cluster specs.", subcommands: [ClusterAlibaba.self, ClusterShow.self])
}

struct ClusterAlibaba: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "alibaba", abstract: "Build the Alibaba GPU 2023 cluster spec from its node list.")

    @OptionGroup var data: DataOptions

    @Option(help: "Output spec.")
    var out = "clusters/alibaba-2023.yaml"

    func run() throws {
        try guarded {
            let catalog = try DeviceCatalog.load(path: data.devices)
            let spec = try ClusterSpec.alibaba2023(nodeList: data.root.alibabaNodeList, catalog: catalog)
            try TextFile.writeAtomically(spec.yaml(), to: out)
            print("wrote \(out): \(spec.nodeGroups.count) node groups, \(spec.nodeGroups.reduce(0) { $0 + $1.count }) nodes, \(spec.deviceCount) GPUs")
        }
    }
}

struct ClusterShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Validate a cluster spec and print its device counts.")

    @OptionGroup var data: DataOptions

    @Argument(help: "Cluster spec.")
    var cluster: String

    func run() throws {
        try guarded {
            let catalog = try DeviceCatalog.load(path: data.devices)
            let spec = try ClusterSpec.load(path: cluster, catalog: catalog)
            let topology = ClusterTopology(spec)
            print("\(spec.name): \(topology.nodes.count) nodes, \(spec.deviceCount) devices")
            for t in spec.deviceTypes {
                print("  \(t.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(topology.nodes.filter { $0.device.name == t.name }.reduce(0) { $0 + $1.deviceCount })")
            }
        }
    }
}

extension DataOptions {
    /// The device catalog and the workload catalog of a cluster (what production traces'
    /// jobs are given models from).
    func workloads(for clusterPath: String, families: Set<String>? = nil) throws -> (DeviceCatalog, WorkloadCatalog) {
        let loaded = try ScenarioInputs.load(devicesPath: devices, clusterPath: clusterPath, data: root, jobs: .drawn(families: families))
        return (loaded.catalog, loaded.workloads)
    }
}

/// The shape of a generated Philly-like trace (`trace generate`, `evaluate --generate-jobs`).
struct GeneratorOptions: ParsableArguments {
    @Option(help: "Generated trace: mean arrivals per hour (Poisson).")
    var rate = 60.0

    @Option(help: "Generated trace: scale every duration by this factor.")
    var durationScale = 1.0

    @Option(help: "Generated trace: largest GPU count drawn.")
    var maxGpus = 128

    @Option(help: "Model families jobs are drawn from, for generated traces and production traces (Philly, ITP, Alibaba), which name no model \(WorkloadFamilies.help).")
    var families: String?

    var familySet: Set<String>? { families.map(WorkloadFamilies.parse) }

    func validate() throws {
        guard rate.isFinite, rate >= 1e-3, rate <= 1e9 else { throw ValidationError("--rate must be in [0.001, 1e9] arrivals per hour, got \(rate)") }
        guard durationScale.isFinite, durationScale >= 1e-6, durationScale <= 1e4 else {
            throw ValidationError("--duration-scale must be in [1e-6, 1e4], got \(durationScale)")
        }
        guard maxGpus > 0, maxGpus <= Limits.maxDevices else { throw ValidationError("--max-gpus must be in [1, \(Limits.maxDevices)], got \(maxGpus)") }
        try WorkloadFamilies.check(familySet)
    }

    /// Checks the shape together with a job count: at most `Limits.maxJobs`, arriving within
    /// `Limits.maxSeconds` on average.
    func check(jobs: Int, flag: String) throws {
        try validate()
        guard jobs > 0, jobs <= Limits.maxJobs else { throw ValidationError("\(flag) must be in [1, \(Limits.maxJobs)], got \(jobs)") }
        guard Double(jobs) / rate * 3600 * 2 <= Limits.maxSeconds else {
            throw ValidationError("\(jobs) jobs at \(rate) per hour would arrive over more than 1e10 s; raise --rate")
        }
    }

    func generator(jobs: Int, seed: UInt64) -> PhillyLikeGenerator {
        PhillyLikeGenerator(jobs: jobs, arrivalsPerHour: rate, durationScale: durationScale, maxGPUs: maxGpus, seed: seed)
    }
}
