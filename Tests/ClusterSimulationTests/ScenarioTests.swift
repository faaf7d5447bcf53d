import ClusterKit
@testable import ClusterSimulation
import Testing

/// Tiny scenarios whose answers are computed by hand.
@Suite struct HandComputedScenarioTests {
    let oracle = Fixture.oracle([("m", 1, nil, nil)])

    @Test func fifoOnTwoGPUs() throws {
        // A takes both GPUs for 100 s (its 2 GPUs scale at 0.5, see Fixture); B (50 s) and
        // C (10 s) start together when A ends.
        let jobs = [Fixture.job("a", at: 0, iterations: 100, gpus: 2), Fixture.job("b", at: 1, iterations: 50),
                    Fixture.job("c", at: 2, iterations: 10)]
        let (sim, summary) = try Fixture.run(jobs, cluster: Fixture.cluster(fastPerNode: 2), oracle: oracle)
        #expect(Fixture.end(sim, "a") == 100)
        #expect(Fixture.end(sim, "b") == 150)
        #expect(Fixture.end(sim, "c") == 110)
        #expect(summary.completed == 3)
        #expect(abs(summary.avgJCT - (100 + 149 + 108) / 3) < 1e-9)
        #expect(summary.makespan == 150)
    }

    @Test func fifoBackfillsAroundABlockedWideJob() throws {
        // On 3 GPUs: A holds 2 until 100; B needs 2 and waits; C needs 1 and starts at once.
        let jobs = [Fixture.job("a", at: 0, iterations: 100, gpus: 2), Fixture.job("b", at: 1, iterations: 10, gpus: 2),
                    Fixture.job("c", at: 2, iterations: 10)]
        let (sim, _) = try Fixture.run(jobs, cluster: Fixture.cluster(fastPerNode: 3), oracle: oracle)
        #expect(Fixture.end(sim, "c") == 12)
        #expect(Fixture.end(sim, "b") == 110)
    }

    @Test func srtfPreemptsAndStaleCompletionIsSkipped() throws {
        // A (100 s) runs from 0; B (10 s) arrives at 10 and preempts it; A resumes at 20 with
        // 90 s left. A's first completion event (t = 100) is stale and must be skipped.
        let jobs = [Fixture.job("a", at: 0, iterations: 100), Fixture.job("b", at: 10, iterations: 10)]
        let (sim, summary) = try Fixture.run(jobs, cluster: Fixture.cluster(), oracle: oracle, scheduler: SRTFScheduler()) {
            $0.roundSeconds = 0  // a full preemptive pass at every event
        }
        #expect(Fixture.end(sim, "b") == 20)
        #expect(Fixture.end(sim, "a") == 110)
        #expect(summary.preemptions == 1)
        #expect(sim.state.jobs[0].preemptions == 1)
    }

    @Test func restoreCostDelaysAPreemptedJob() throws {
        let jobs = [Fixture.job("a", at: 0, iterations: 100), Fixture.job("b", at: 10, iterations: 10)]
        let (sim, _) = try Fixture.run(jobs, cluster: Fixture.cluster(), oracle: oracle, scheduler: SRTFScheduler()) {
            $0.checkpointRestoreSeconds = 30
            $0.roundSeconds = 0
        }
        #expect(Fixture.end(sim, "a") == 140)
    }

    @Test func lasTiresiasDemotesByAttainedService() throws {
        // Threshold 50 GPU-s, rounds every 5 s. A runs 0–50 and is demoted; B (queue 0) preempts
        // it and runs 50–100, and is demoted; both are in queue 1 then, where the running job
        // goes first (Tiresias): B finishes 100–150 without a second preemption, A 150–200.
        let jobs = [Fixture.job("a", at: 0, iterations: 100), Fixture.job("b", at: 10, iterations: 100)]
        let (sim, summary) = try Fixture.run(jobs, cluster: Fixture.cluster(), oracle: oracle,
                                             scheduler: LASScheduler(thresholds: [50])) { $0.roundSeconds = 5 }
        #expect(Fixture.end(sim, "b") == 150)
        #expect(Fixture.end(sim, "a") == 200)
        #expect(summary.preemptions == 1)
    }

    @Test func srtfWithRoundsPreemptsAtTheNextRound() throws {
        // Rounds of 15 s: B arrives at 10; the round after that pass is at 25, where B preempts A.
        let jobs = [Fixture.job("a", at: 0, iterations: 100), Fixture.job("b", at: 10, iterations: 10)]
        let (sim, _) = try Fixture.run(jobs, cluster: Fixture.cluster(), oracle: oracle, scheduler: SRTFScheduler()) { $0.roundSeconds = 15 }
        #expect(Fixture.end(sim, "b") == 35)
        #expect(Fixture.end(sim, "a") == 110)
    }

    @Test func slowDeviceRunsSlowly() throws {
        let (sim, _) = try Fixture.run([Fixture.job("a", at: 0, iterations: 10)], cluster: Fixture.cluster(fastNodes: 0, slowNodes: 1),
                                       oracle: oracle)
        #expect(Fixture.end(sim, "a") == 20)
    }

    @Test func heteroPlacementPicksTheFastestPredictedType() throws {
        let (sim, _) = try Fixture.run([Fixture.job("a", at: 0, iterations: 10)], cluster: Fixture.cluster(fastNodes: 1, slowNodes: 1),
                                       oracle: oracle, placement: HeterogeneityAwarePlacement())
        #expect(sim.state.deviceTypes[sim.state.jobs[0].deviceType].name == "fast-gpu")
        #expect(Fixture.end(sim, "a") == 10)
    }

    @Test func jobsSpanningNodesAreSlowedByMeasuredScaling() throws {
        var o = oracle
        o.scaling.measured[.init(model: "m/b32", device: "fast-gpu", gpus: 2, consolidated: true)] = 0.9
        o.scaling.measured[.init(model: "m/b32", device: "fast-gpu", gpus: 2, consolidated: false)] = 0.5
        let job = Fixture.job("a", at: 0, iterations: 90, gpus: 2)
        let (one, _) = try Fixture.run([job], cluster: Fixture.cluster(fastNodes: 1, fastPerNode: 2), oracle: o)
        let (two, _) = try Fixture.run([job], cluster: Fixture.cluster(fastNodes: 2, fastPerNode: 1), oracle: o)
        #expect(Fixture.end(one, "a") == 50)   // 90 / (2 × 0.9)
        #expect(Fixture.end(two, "a") == 90)   // 90 / (2 × 0.5)
    }

    @Test func oomAtStartWhenRealMemoryExceedsTheDevice() throws {
        let o = Fixture.oracle([("big", 1, 20 * Fixture.gb, 0.5), ("m", 1, nil, nil)])
        let jobs = [Fixture.job("a", at: 0, model: "big", iterations: 10), Fixture.job("b", at: 1, iterations: 10)]
        // A user-estimate-like predictor that knows nothing about memory lets the policy try.
        let blind = BlindPredictor(base: o)
        let (sim, summary) = try Fixture.run(jobs, cluster: Fixture.cluster(), oracle: o, predictor: blind)
        #expect(sim.state.jobs[0].status == .failedOOM)
        #expect(sim.state.jobs[0].end == .zero)
        #expect(summary.oomFailures == 1)
        #expect(Fixture.end(sim, "b") == 11)
        // With measured memory the placement policy never tries it on a too-small device.
        #expect(throws: Never.self) { _ = try Fixture.run([jobs[1]], cluster: Fixture.cluster(), oracle: o) }
    }

    @Test func colocatedJobsSlowEachOtherByTheirRealUtilization() throws {
        // Both jobs really use 80% of the SMs; the packing policy believes 40% (it is given a
        // predictor that halves utilization), so it co-locates them. U = 1.6.
        let o = Fixture.oracle([("m", 1, 4 * Fixture.gb, 0.8)])
        let optimistic = ScaledUtilizationPredictor(base: o, factor: 0.5)
        let jobs = [Fixture.job("a", at: 0, iterations: 100), Fixture.job("b", at: 0, iterations: 100)]
        let (sim, summary) = try Fixture.run(jobs, cluster: Fixture.cluster(), oracle: o, predictor: optimistic,
                                             placement: MemoryAwarePackingPlacement())
        let speed = InterferenceModel.spatial.speed(totalUtilization: 1.6, residents: 2)
        #expect(abs(Fixture.end(sim, "a")! - 100 / speed) < 1e-5)
        #expect(abs(Fixture.end(sim, "b")! - 100 / speed) < 1e-5)
        #expect(summary.colocatedJobs == 2)
        // Measured utilization (0.8 + 0.8 > 1) keeps the packing policy from co-locating.
        let (honest, _) = try Fixture.run(jobs, cluster: Fixture.cluster(), oracle: o, placement: MemoryAwarePackingPlacement())
        #expect(Fixture.end(honest, "b") == 200)
    }

    @Test func colocationOOMWhenRealMemoryDoesNotFitBesideAResident() throws {
        let o = Fixture.oracle([("m", 1, 10 * Fixture.gb, 0.3)])
        let underestimate = ScaledMemoryPredictor(base: o, factor: 0.5)
        let jobs = [Fixture.job("a", at: 0, iterations: 100), Fixture.job("b", at: 1, iterations: 100)]
        let (sim, _) = try Fixture.run(jobs, cluster: Fixture.cluster(), oracle: o, predictor: underestimate,
                                       placement: MemoryAwarePackingPlacement())
        #expect(sim.state.jobs[1].status == .failedOOM)
        #expect(Fixture.end(sim, "a") == 100)
    }

    @Test func nodeFailurePreemptsAndRecoveryResumes() throws {
        let jobs = [Fixture.job("a", at: 0, iterations: 100)]
        let (sim, summary) = try Fixture.run(jobs, cluster: Fixture.cluster(), oracle: oracle) {
            $0.nodeEvents = [NodeEvent(time: SimTime(seconds: 40), node: 0, up: false), NodeEvent(time: SimTime(seconds: 60), node: 0, up: true)]
        }
        #expect(Fixture.end(sim, "a") == 120)
        #expect(summary.preemptions == 1)
    }

    @Test func aJobNoNodeCanEverHoldIsAnInputError() {
        let jobs = [Fixture.job("wide", at: 0, iterations: 10, gpus: 4)]
        #expect(throws: InputError.self) { _ = try Fixture.run(jobs, cluster: Fixture.cluster(fastPerNode: 2), oracle: oracle) }
        let unmeasured = [Fixture.job("x", at: 0, model: "unmeasured", iterations: 10)]
        #expect(throws: InputError.self) { _ = try Fixture.run(unmeasured, cluster: Fixture.cluster(), oracle: oracle) }
    }

    @Test func fractionalJobsShareOneGPU() throws {
        let jobs = [Fixture.job("a", at: 0, iterations: 50, milli: 500), Fixture.job("b", at: 0, iterations: 50, milli: 500)]
        let (sim, _) = try Fixture.run(jobs, cluster: Fixture.cluster(), oracle: oracle) { $0.interference = .none }
        // Each holds half a GPU: rate 0.5 it/s, so 100 s; both on the one device at once.
        #expect(Fixture.end(sim, "a") == 100)
        #expect(Fixture.end(sim, "b") == 100)
    }
}

/// Test doubles that are real predictors: they distort another predictor's answers.
struct BlindPredictor: PerformancePredictor {
    let base: any PerformancePredictor
    var name: String { "blind" }
    func estimate(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?] {
        base.estimate(queries).map { $0.map { PerformanceEstimate(timePerIteration: $0.timePerIteration) } }
    }
}

struct ScaledUtilizationPredictor: PerformancePredictor {
    let base: any PerformancePredictor
    let factor: Double
    var name: String { "util×\(factor)" }
    func estimate(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?] {
        base.estimate(queries).map { $0.map { var e = $0; e.smUtilization = e.smUtilization.map { $0 * factor }; return e } }
    }
}

struct ScaledMemoryPredictor: PerformancePredictor {
    let base: any PerformancePredictor
    let factor: Double
    var name: String { "mem×\(factor)" }
    func estimate(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?] {
        base.estimate(queries).map { $0.map { var e = $0; e.peakMemoryBytes = e.peakMemoryBytes.map { Int64(Double($0) * factor) }; return e } }
    }
}

/// Preemptions make progress: with restores longer than a round, a job restored from a
/// checkpoint is not preempted again before it has restored and run a round.
@Suite struct PreemptionProgressTests {
    static let oracle = Fixture.oracle([("m", 1, 4 * Fixture.gb, 0.5)])

    /// 40 jobs of 10–400 s arriving every 5 s on two devices, LAS with small thresholds.
    static func jobs() -> [Job] {
        (0..<40).map { i in Fixture.job("j\(i)", at: Double(5 * i), iterations: Double(10 + (i * 37) % 391)) }
    }

    @Test(arguments: [1e4, 1e7, 1e10])
    func lasWithHugeRestoresFinishesWithBoundedPreemptions(_ restore: Double) throws {
        let (sim, summary) = try Fixture.run(Self.jobs(), cluster: Fixture.cluster(fastPerNode: 2), oracle: Self.oracle,
                                             scheduler: LASScheduler(thresholds: [20, 200], starvationFactor: 2, starvationMinimum: 30)) {
            $0.checkpointRestoreSeconds = restore
            $0.roundSeconds = 10
            $0.checkInvariants = true
        }
        #expect(summary.completed == 40)
        // Every job is preempted at most once before its first restore, then only after a
        // round of progress each time: total work over the round bounds the rest.
        let work = Self.jobs().reduce(0.0) { $0 + ($1.iterations ?? 0) }
        #expect(summary.preemptions <= 40 + Int(work / 10))
        // Rounds wait for protected runs: the events do not grow with the restore time.
        #expect(sim.eventsProcessed < 20_000)
    }

    @Test func restoresShorterThanARoundAreNotProtected() throws {
        // Restore 3 s, rounds 10 s, SRTF. B preempts A at the round at 11 and ends at 61; A
        // restarts at 61 (restoring until 64); C, shorter, arrives at 62 and preempts A at the
        // next round, 72, although A has run only 8 s since its restore (a protected run would
        // be safe until 74).
        let jobs = [Fixture.job("a", at: 0, iterations: 100), Fixture.job("b", at: 1, iterations: 50),
                    Fixture.job("c", at: 62, iterations: 10)]
        let (sim, summary) = try Fixture.run(jobs, cluster: Fixture.cluster(), oracle: Self.oracle, scheduler: SRTFScheduler()) {
            $0.checkpointRestoreSeconds = 3
            $0.roundSeconds = 10
        }
        #expect(summary.completed == 3)
        #expect(summary.preemptions == 2)
        #expect(sim.state.jobs[2].firstStart?.seconds == 72)
    }
}
