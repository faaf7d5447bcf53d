import ClusterKit
import Testing
@testable import ClusterSimulation

/// Policies decide, the engine validates and applies (`Decision`, `Simulator+Decisions.swift`),
/// and what policies see holds the predictor's answers, never the measured ones (`PolicyView`).
@Suite struct DecisionTests {
    static let oracle = Fixture.oracle([("m", 1.0, 4 * Fixture.gb, 0.5)])

    /// A simulator on one fast and one slow device with `jobs`, run until `until` seconds.
    static func simulator(_ jobs: [Job], until: Double, restore: Double = 0, round: Double = 10,
                          predictor: (any PerformancePredictor)? = nil,
                          scheduler: any SchedulingPolicy = LASScheduler()) throws -> Simulator {
        var config = SimulationConfig()
        config.checkInvariants = true
        config.checkpointRestoreSeconds = restore
        config.roundSeconds = round
        let sim = try Simulator(trace: Trace(name: "t", source: "test", jobs: jobs), cluster: Fixture.cluster(fastNodes: 1, slowNodes: 1),
                                oracle: oracle, predictor: predictor ?? oracle, scheduler: scheduler, placement: FirstFitPlacement(), config: config)
        sim.runUntil(SimTime(seconds: until))
        return sim
    }

    static func device(_ sim: Simulator, _ spec: DeviceSpec) -> Int {
        sim.state.deviceTypeOfDevice.firstIndex { sim.state.deviceTypes[$0].name == spec.name }!
    }

    @Test func theEngineRejectsDecisionsThatBreakItsRules() throws {
        // a runs on the fast device from 0; b and c wait (one slow device: b takes it at 1).
        let jobs = [Fixture.job("a", at: 0, iterations: 1000), Fixture.job("b", at: 1, iterations: 1000), Fixture.job("c", at: 2, iterations: 1000)]
        let sim = try Self.simulator(jobs, until: 3)
        let fast = Self.device(sim, Fixture.fast), slow = Self.device(sim, Fixture.slow)
        #expect(sim.state.jobs[0].status == .running && sim.state.jobs[1].status == .running && sim.state.jobs[2].status == .queued)
        #expect(sim.apply(.start(job: 0, on: Placement(devices: [slow]))) == .rejected(.notQueued))
        #expect(sim.apply(.start(job: 2, on: Placement(devices: [fast]))) == .rejected(.placement(.noRoom)))
        #expect(sim.apply(.start(job: 2, on: Placement(devices: [fast, slow]))) == .rejected(.placement(.wrongDeviceCount)))
        #expect(sim.apply(.start(job: 2, on: Placement(devices: [99]))) == .rejected(.placement(.unknownDevice)))
        #expect(sim.apply(.preempt(job: 2)) == .rejected(.notRunning))
        #expect(sim.apply(.preempt(job: 7)) == .rejected(.notRunning))
        #expect(sim.apply(.migrate(job: 1, to: Placement(devices: [fast]))) == .rejected(.placement(.noRoom)))
        #expect(sim.invalidPlacements == 4 && sim.rejectedDecisions == 3)
        // Rejections changed nothing.
        #expect(sim.state.jobs[0].devices == [fast] && sim.state.jobs[1].devices == [slow] && sim.state.queued == [2])
        sim.checkInvariants()
    }

    @Test func appliedDecisionsShowInTheViewAtOnce() throws {
        let jobs = [Fixture.job("a", at: 0, iterations: 1000), Fixture.job("b", at: 1, iterations: 1000), Fixture.job("c", at: 2, iterations: 1000)]
        let sim = try Self.simulator(jobs, until: 3)
        let fast = Self.device(sim, Fixture.fast)
        let view = sim.view
        #expect(sim.apply(.preempt(job: 0)) == .applied)
        #expect(view.job(0).status == .queued && view.idleCount(ofType: view.deviceType(ofDevice: fast)) == 1)
        #expect(sim.apply(.start(job: 2, on: Placement(devices: [fast]))) == .applied)
        #expect(view.job(2).status == .running && view.job(2).devices == [fast] && view.job(0).preemptions == 1)
        // b moves from the slow device to the one a gives up.
        #expect(sim.apply(.preempt(job: 2)) == .applied)
        #expect(sim.apply(.migrate(job: 1, to: Placement(devices: [fast]))) == .applied)
        #expect(view.job(1).devices == [fast] && sim.migrations == 1 && view.job(1).preemptions == 1)
        sim.checkInvariants()
        sim.run()
        #expect(sim.state.jobs.allSatisfy { $0.status == .completed })
    }

    /// With a restore of at least a round, a restored run may not be preempted or moved before
    /// it has restored and run a round.
    @Test func protectedRunsCannotBePreempted() throws {
        let jobs = [Fixture.job("a", at: 0, iterations: 1000)]
        let sim = try Self.simulator(jobs, until: 1, restore: 20, round: 10)
        let slow = Self.device(sim, Fixture.slow)
        #expect(sim.apply(.preempt(job: 0)) == .applied)  // never restored: not protected
        #expect(sim.apply(.start(job: 0, on: Placement(devices: [slow]))) == .applied)
        #expect(sim.view.isProtected(job: 0) && sim.view.preemptibleFrom(job: 0) == sim.view.job(0).runStart + SimTime(seconds: 30))
        #expect(sim.apply(.preempt(job: 0)) == .rejected(.protected))
        #expect(sim.apply(.migrate(job: 0, to: Placement(devices: [0]))) == .rejected(.protected))
    }

    /// The view answers with the predictor's estimates: a predictor that says 3× what was
    /// measured shows 3× to the policy, while the engine runs at the measured speed.
    @Test func theViewHoldsPredictionsNotMeasurements() throws {
        let predictor = ScaledPredictor(base: Self.oracle, factor: 3)
        let jobs = [Fixture.job("a", at: 0, iterations: 100)]
        let sim = try Self.simulator(jobs, until: 1, predictor: predictor)
        let fastType = sim.state.deviceTypes.firstIndex { $0.name == Fixture.fast.name }!
        #expect(sim.view.prediction(job: 0, type: fastType)?.timePerIteration == 3)
        #expect(sim.state.measured[0][fastType]?.timePerIteration == 1)
        #expect(sim.view.predictorName == predictor.name)
        sim.run()
        #expect(Fixture.end(sim, "a") == 100)
    }

    /// A policy that plans by itself: its own planner starts the newest queued job first (last
    /// in, first out) through decisions, with no help from the engine.
    @Test func aPolicyWithItsOwnPlannerDecidesEverything() throws {
        let jobs = (0..<4).map { Fixture.job("j\($0)", at: Double($0), iterations: 100) }
        var config = SimulationConfig()
        config.checkInvariants = true
        config.checkpointRestoreSeconds = 0
        let sim = try Simulator(trace: Trace(name: "t", source: "test", jobs: jobs), cluster: Fixture.cluster(fastNodes: 1),
                                oracle: Self.oracle, predictor: Self.oracle, scheduler: LIFOScheduler(), placement: FirstFitPlacement(), config: config)
        sim.run()
        // j0 starts at 0; j1..j3 queue; at 100 the newest (j3) starts, then j2, then j1.
        #expect(sim.state.jobs.map { $0.firstStart?.seconds } == [0, 300, 200, 100])
        #expect(sim.invalidPlacements == 0 && sim.rejectedDecisions == 0)
    }
}

/// Last in, first out, planned by its own `Planner` (a test of the seam, not a policy to use).
struct LIFOScheduler: SchedulingPolicy {
    var name: String { "lifo" }
    var isPreemptive: Bool { false }
    func order(_ jobs: [Int], in view: PolicyView) -> [Int] { jobs.sorted(by: >) }
    func makePlanner(placement: any PlacementPolicy, view: PolicyView) -> any Planner { LIFOPlanner(placement: placement) }

    final class LIFOPlanner: Planner {
        let placement: any PlacementPolicy
        init(placement: any PlacementPolicy) { self.placement = placement }
        var wantsRoundsForReleasedDevices: Bool { false }
        func jobQueued(_ job: Int, in view: PolicyView) {}
        func jobLeftQueue(_ job: Int, in view: PolicyView) {}
        func plan(full: Bool, in view: PolicyView, sink: any DecisionSink) {
            for j in view.queued.reversed() {
                guard let p = placement.place(job: j, in: view) else { continue }
                _ = sink.apply(.start(job: j, on: p))
            }
        }
    }
}

/// The oracle's answers with time per iteration multiplied by `factor`.
struct ScaledPredictor: PerformancePredictor {
    let base: MeasuredOracle
    let factor: Double
    var name: String { "scaled×\(factor)" }
    func estimate(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?] {
        base.estimate(queries).map { e in e.map { PerformanceEstimate(timePerIteration: $0.timePerIteration * factor, peakMemoryBytes: $0.peakMemoryBytes, smUtilization: $0.smUtilization) } }
    }
}
