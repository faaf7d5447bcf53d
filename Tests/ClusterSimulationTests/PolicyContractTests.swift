import AugurTestSupport
import ClusterKit
@testable import ClusterSimulation
import Testing

/// One contract every scheduling and placement policy passes (`PolicyContract` in
/// AugurTestSupport): on empty, full, fragmented, heterogeneous and edge-only clusters,
/// decisions are valid, respect capacity and are deterministic; every pair runs a trace to the
/// end with invariants checked.
@Suite struct PolicyContractTests {
    static let schedulers: [any SchedulingPolicy] = SchedulerKind.allCases.map { $0.make() }
    static let placements: [any PlacementPolicy] = PlacementKind.allCases.map { $0.make() }

    enum Shape: String, CaseIterable { case empty, full, fragmented, heterogeneous, edgeOnly }

    /// A cluster state in a given shape with some running and some queued jobs, built by
    /// running a FIFO simulation until the shape's moment.
    static func state(_ shape: Shape, seed: UInt64 = 7) throws -> ClusterState {
        let oracle = Fixture.oracle([("m", 1, 4 * Fixture.gb, 0.4), ("n", 2, 8 * Fixture.gb, 0.7)], phoneModels: ["p"])
        var g = SeededGenerator(seed: seed, stream: "contract")
        let cluster: ClusterSpec
        var jobs: [Job] = []
        switch shape {
        case .empty:
            cluster = Fixture.cluster(fastNodes: 2, fastPerNode: 4)
        case .full:
            cluster = Fixture.cluster(fastNodes: 1, fastPerNode: 4)
            jobs = (0..<4).map { Fixture.job("run\($0)", at: 0, iterations: 1000) }
        case .fragmented:
            cluster = Fixture.cluster(fastNodes: 3, fastPerNode: 4)
            jobs = (0..<9).map { Fixture.job("run\($0)", at: 0, iterations: Double(500 + $0)) }
        case .heterogeneous:
            cluster = Fixture.cluster(fastNodes: 2, fastPerNode: 2, slowNodes: 2, slowPerNode: 4)
            jobs = (0..<5).map { Fixture.job("run\($0)", at: 0, model: $0 % 2 == 0 ? "m" : "n", iterations: 800) }
        case .edgeOnly:
            cluster = Fixture.cluster(fastNodes: 0, phones: 6)
            jobs = (0..<3).map { Job(id: "run\($0)", submit: .zero, config: Fixture.config("p", batch: 1, mode: .infer), work: .iterations(5000)) }
        }
        let widths = shape == .edgeOnly ? [1] : [1, 1, 1, 2, 4]
        for i in 0..<12 {
            let gpus = widths[Int(g.next() % UInt64(widths.count))]
            if shape == .edgeOnly {
                jobs.append(Job(id: "q\(i)", submit: SimTime(seconds: 1), config: Fixture.config("p", batch: 1, mode: .infer), work: .iterations(100)))
            } else {
                jobs.append(Fixture.job("q\(i)", at: 1, model: i % 3 == 0 ? "n" : "m", iterations: Double(10 + i), gpus: gpus,
                                        milli: gpus == 1 && i % 5 == 0 ? 500 : 1000))
            }
        }
        // Build the state at t = 0.5: the t = 0 jobs run (FIFO + first fit), the rest are queued.
        var config = SimulationConfig()
        config.checkInvariants = true
        let sim = try Simulator(trace: Trace(name: "c", source: "contract", jobs: jobs), cluster: cluster, oracle: oracle, predictor: oracle,
                                scheduler: FIFOScheduler(), placement: FirstFitPlacement(), config: config)
        sim.runUntil(SimTime(seconds: 0.5))
        // Then make the late jobs queued as if they had arrived.
        sim.submitPending()
        return sim.state
    }

    @Test(arguments: Shape.allCases)
    func schedulersReturnQueuedAndOnlyPreemptiveAlsoRunningJobsDeterministically(_ shape: Shape) throws {
        let state = try Self.state(shape)
        for s in Self.schedulers { PolicyContract.check(scheduler: s, on: state, label: shape.rawValue).expectNone() }
    }

    @Test(arguments: Shape.allCases)
    func placementsAreValidCapacityRespectingAndDeterministic(_ shape: Shape) throws {
        let state = try Self.state(shape)
        for p in Self.placements { PolicyContract.check(placement: p, on: state, label: shape.rawValue).expectNone() }
    }

    @Test func onAFullClusterNoExclusivePlacementIsFound() throws {
        let state = try Self.state(.full)
        for p in Self.placements where !p.colocates {
            for j in state.queued where state.jobs[j].job.gpuMilli == 1000 { #expect(p.place(job: j, in: PolicyView(state)) == nil) }
        }
    }

    @Test func onAnEmptyClusterEveryJobThatFitsIsPlaced() throws {
        let state = try Self.state(.empty)
        for p in Self.placements {
            for j in state.queued where state.jobs[j].job.gpus <= 4 { #expect(p.place(job: j, in: PolicyView(state)) != nil, "\(p.name)") }
        }
    }

    @Test func everyPolicyPairRunsATraceToTheEndWithInvariantsChecked() throws {
        let oracle = Fixture.oracle([("m", 1, 4 * Fixture.gb, 0.4), ("n", 2, 8 * Fixture.gb, 0.7), ("big", 1, 14 * Fixture.gb, 0.9)])
        var g = SeededGenerator(seed: 3, stream: "trace")
        var jobs: [Job] = []
        var t = 0.0
        for i in 0..<60 {
            t += g.nextExponential(mean: 5)
            let gpus = [1, 1, 1, 2, 4][Int(g.next() % 5)]
            jobs.append(Fixture.job("j\(i)", at: (t * 1000).rounded() / 1000, model: ["m", "n", "big"][Int(g.next() % 3)],
                                    iterations: Double(5 + g.next() % 200), gpus: gpus))
        }
        let cluster = Fixture.cluster(fastNodes: 2, fastPerNode: 4, slowNodes: 1, slowPerNode: 4)
        let trace = Trace(name: "t", source: "test", jobs: jobs)
        for s in SchedulerKind.allCases {
            for p in PlacementKind.allCases {
                try PolicyContract.checkRun(scheduler: s.make(), placement: p.make(), trace: trace, cluster: cluster, oracle: oracle,
                                            predictor: NoisyOracle(base: oracle, sigma: 0.5, seed: 1)) {
                    $0.checkpointRestoreSeconds = 3
                    $0.roundSeconds = 20
                }.expectNone()
            }
        }
    }
}

extension Simulator {
    /// Test hook: marks every not-yet-arrived job as queued now (for building policy states).
    func submitPending() {
        for j in state.jobs.indices where state.jobs[j].status == .pending {
            state.jobs[j].status = .queued
            state.queued.append(j)
        }
    }
}
