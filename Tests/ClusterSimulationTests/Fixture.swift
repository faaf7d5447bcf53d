import ClusterKit
@testable import ClusterSimulation

/// A small world built in code: device types, an oracle with hand-set measurements, clusters.
enum Fixture {
    static let gb: Int64 = 1_000_000_000

    static let fast = DeviceSpec(name: "fast-gpu", display: "fast", kind: .gpu, tier: .datacenter, memoryBytes: 16 * gb,
                                 fp32FLOPS: 10e12, computeUnits: 80, sources: [:])
    static let slow = DeviceSpec(name: "slow-gpu", display: "slow", kind: .gpu, tier: .datacenter, memoryBytes: 12 * gb,
                                 fp32FLOPS: 4e12, computeUnits: 13, sources: [:])
    static let phone = DeviceSpec(name: "phone", display: "phone", kind: .phone, tier: .edge, memoryBytes: 4 * gb, sources: [:])
    static let catalog = DeviceCatalog(devices: [fast, slow, phone])

    /// `model` takes `seconds` per iteration on fast-gpu, twice that on slow-gpu.
    static func config(_ model: String, batch: Int = 32, mode: RunMode = .train) -> ModelConfig {
        ModelConfig(model: model, batchSize: batch, mode: mode)
    }

    static func oracle(_ entries: [(String, Double, Int64?, Double?)], phoneModels: [String] = []) -> MeasuredOracle {
        var o = MeasuredOracle()
        for (model, seconds, memory, util) in entries {
            o.insert(PerformanceQuery(config: config(model), device: fast.name),
                     .init(estimate: PerformanceEstimate(timePerIteration: seconds, peakMemoryBytes: memory, smUtilization: util), source: "test"))
            o.insert(PerformanceQuery(config: config(model), device: slow.name),
                     .init(estimate: PerformanceEstimate(timePerIteration: 2 * seconds, peakMemoryBytes: memory, smUtilization: util), source: "test"))
        }
        // Two GPUs of one node give exactly one GPU's throughput: keeps hand computations simple.
        for (model, _, _, _) in entries {
            o.scaling.measured[.init(model: "\(model)/b32", device: fast.name, gpus: 2, consolidated: true)] = 0.5
        }
        for model in phoneModels {
            o.insert(PerformanceQuery(config: config(model, batch: 1, mode: .infer), device: phone.name),
                     .init(estimate: PerformanceEstimate(timePerIteration: 0.05), source: "test"))
            o.insert(PerformanceQuery(config: config(model, batch: 1, mode: .infer), device: fast.name),
                     .init(estimate: PerformanceEstimate(timePerIteration: 0.005), source: "test"))
        }
        return o
    }

    static func cluster(fastNodes: Int = 1, fastPerNode: Int = 1, slowNodes: Int = 0, slowPerNode: Int = 1, phones: Int = 0) -> ClusterSpec {
        var groups: [ClusterSpec.NodeGroup] = []
        if fastNodes > 0 {
            groups.append(.init(name: "fast", count: fastNodes, device: fast, devicesPerNode: fastPerNode, hostCPUCores: nil, hostMemoryGB: nil, interconnect: "nvlink", networkGbps: nil))
        }
        if slowNodes > 0 {
            groups.append(.init(name: "slow", count: slowNodes, device: slow, devicesPerNode: slowPerNode, hostCPUCores: nil, hostMemoryGB: nil, interconnect: "pcie", networkGbps: nil))
        }
        let edges: [ClusterSpec.EdgeGroup] = phones > 0 ? [.init(name: "phones", count: phones, device: phone, uplinkMbps: 50, latencyMs: 30)] : []
        return ClusterSpec(name: "fixture", nodeGroups: groups, edgeGroups: edges)
    }

    /// A job of `seconds` of work on one fast GPU per device (`iterations = seconds / t`).
    static func job(_ id: String, at submit: Double, model: String = "m", iterations: Double, gpus: Int = 1, milli: Int = 1000) -> Job {
        Job(id: id, submit: SimTime(seconds: submit), config: config(model), work: .iterations(iterations), gpus: gpus, gpuMilli: milli)
    }

    static func run(_ jobs: [Job], cluster: ClusterSpec, oracle: MeasuredOracle, predictor: (any PerformancePredictor)? = nil,
                    scheduler: any SchedulingPolicy = FIFOScheduler(), placement: any PlacementPolicy = FirstFitPlacement(),
                    configure: (inout SimulationConfig) -> Void = { _ in }) throws -> (Simulator, RunSummary) {
        var config = SimulationConfig()
        config.checkInvariants = true
        config.checkpointRestoreSeconds = 0
        configure(&config)
        let sim = try Simulator(trace: Trace(name: "t", source: "test", jobs: jobs), cluster: cluster, oracle: oracle,
                                predictor: predictor ?? oracle, scheduler: scheduler, placement: placement, config: config)
        let metrics = MetricsCollector()
        sim.addObserver(metrics)
        sim.run()
        return (sim, RunSummary(simulator: sim, metrics: metrics))
    }

    static func end(_ sim: Simulator, _ id: String) -> Double? {
        sim.state.jobs.first { $0.job.id == id }?.end?.seconds
    }
}
