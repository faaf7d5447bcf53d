import ClusterKit
@testable import ClusterSimulation
import Testing

@Suite struct EventQueueTests {
    @Test func sameInstantOrderIsCompletionsThenArrivalsThenSchedule() {
        var q = EventQueue()
        let t = SimTime(seconds: 5)
        q.push(.schedule, at: t)
        q.push(.arrival(job: 1), at: t)
        q.push(.round, at: t)
        q.push(.completion(job: 0, epoch: 1), at: t)
        q.push(.nodeFailure(node: 0), at: t)
        q.push(.arrival(job: 2), at: SimTime(seconds: 4))
        var kinds: [EventKind] = []
        while let e = q.pop() { kinds.append(e.kind) }
        #expect(kinds == [.arrival(job: 2), .completion(job: 0, epoch: 1), .nodeFailure(node: 0), .arrival(job: 1), .round, .schedule])
    }

    @Test func sequenceBreaksTiesInInsertionOrder() {
        var q = EventQueue()
        for j in [3, 1, 2] { q.push(.arrival(job: j), at: .zero) }
        var jobs: [Int] = []
        while let e = q.pop() { if case .arrival(let j) = e.kind { jobs.append(j) } }
        #expect(jobs == [3, 1, 2])
    }

    @Test func schedulingPassSeesEveryChangeOfItsInstant() throws {
        // A completion and an arrival at the same instant: the pass runs after both, so the
        // arriving job starts at once on the GPU the finished job freed.
        let oracle = Fixture.oracle([("m", 1, nil, nil)])
        let (sim, _) = try Fixture.run([Fixture.job("a", at: 0, iterations: 10), Fixture.job("b", at: 10, iterations: 5)],
                                       cluster: Fixture.cluster(), oracle: oracle)
        #expect(sim.state.jobs[1].firstStart == SimTime(seconds: 10))
        #expect(Fixture.end(sim, "b") == 15)
    }
}
