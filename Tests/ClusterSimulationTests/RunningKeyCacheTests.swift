import ClusterKit
@testable import ClusterSimulation
import Testing

/// A planner keeps a running job's key between rounds until the policy says it may change
/// (`SchedulingPolicy.runningKeyChanges`): the same runs as asking at every round.
@Suite struct RunningKeyCacheTests {
    /// LAS without `runningKeyChanges`: its planner asks for every running job's key at every round.
    struct UncachedLAS: SchedulingPolicy {
        let las: LASScheduler
        var name: String { las.name }
        var isPreemptive: Bool { true }
        func order(_ jobs: [Int], in view: PolicyView) -> [Int] { las.order(jobs, in: view) }
        func priorityKey(job: Int, in view: PolicyView) -> Double? { las.priorityKey(job: job, in: view) }
        var hasStableWaitingKeys: Bool { las.hasStableWaitingKeys }
        func waitingKeyChanges(job: Int, in view: PolicyView) -> SimTime? { las.waitingKeyChanges(job: job, in: view) }
    }

    /// 60 jobs of 1–4 devices on four devices, thresholds crossed and starving jobs promoted many
    /// times (with invariant checks, which compare every kept key with the policy's answer).
    @Test func lasRunsAsIfItAskedEveryRound() throws {
        let oracle = Fixture.oracle([("m", 1, 4 * Fixture.gb, 0.5)])
        let jobs = (0..<60).map { i in
            Fixture.job("j\(i)", at: Double(3 * i), iterations: Double(5 + (i * 53) % 297), gpus: 1 + (i * 7) % 4 / 2)
        }
        let las = LASScheduler(thresholds: [20, 200], starvationFactor: 2, starvationMinimum: 30)
        var runs: [(Simulator, RunSummary)] = []
        for scheduler in [las, UncachedLAS(las: las)] as [any SchedulingPolicy] {
            runs.append(try Fixture.run(jobs, cluster: Fixture.cluster(fastPerNode: 4), oracle: oracle, scheduler: scheduler) {
                $0.checkpointRestoreSeconds = 2
                $0.roundSeconds = 7
                $0.checkInvariants = true
            })
        }
        let (cached, uncached) = (runs[0], runs[1])
        #expect(cached.1.completed == 60)
        #expect(cached.1.preemptions > 20)
        #expect(cached.1.preemptions == uncached.1.preemptions)
        #expect(cached.0.state.jobs.map(\.end) == uncached.0.state.jobs.map(\.end))
        #expect(cached.0.eventsProcessed == uncached.0.eventsProcessed)
    }

    /// The instant LAS names is the first at which the key moves: promotion ends or the next
    /// threshold is reached exactly there, not a microsecond before.
    @Test func lasNamesTheFirstInstantItsQueueMoves() throws {
        let oracle = Fixture.oracle([("m", 1, 4 * Fixture.gb, 0.5)])
        let las = LASScheduler(thresholds: [20, 200], starvationFactor: 2, starvationMinimum: 30)
        let (sim, _) = try Fixture.run([Fixture.job("a", at: 0, iterations: 500, gpus: 2)], cluster: Fixture.cluster(fastPerNode: 2),
                                       oracle: oracle, scheduler: las) { $0.roundSeconds = 7 }
        // Replay job a's run by hand: running on two devices from 0, no service before.
        let view = sim.view
        sim.state.jobs[0].status = .running
        sim.state.jobs[0].devices = [0, 1]
        sim.state.jobs[0].runStart = .zero
        sim.state.jobs[0].attainedService = 0
        sim.state.now = SimTime(seconds: 3)
        let change = try #require(las.runningKeyChanges(job: 0, in: view))
        #expect(change == SimTime(seconds: 10))  // 2 devices × 10 s = the first threshold, 20
        let before = las.priorityKey(job: 0, in: view)
        sim.state.now = change - SimTime(microseconds: 1)
        #expect(las.priorityKey(job: 0, in: view) == before)
        sim.state.now = change
        #expect(las.priorityKey(job: 0, in: view) != before)
        sim.state.now = SimTime(seconds: 150)  // service 300: the last queue, for good
        #expect(las.runningKeyChanges(job: 0, in: view) == .infinity)
    }
}
