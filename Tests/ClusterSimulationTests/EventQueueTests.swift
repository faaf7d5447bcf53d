import AugurCore
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

    /// Arrivals scheduled up front and events pushed as a run goes (some at the same instants)
    /// come out in exactly the order of one queue that was pushed everything in the same order.
    @Test func scheduledArrivalsMergeInTheOrderOfOneHeap() {
        var rng = SeededGenerator(seed: 3, stream: "event-queue")
        let arrivals = (0..<2_000).map { (job: $0, at: SimTime(seconds: Double(Int.random(in: 0..<300, using: &rng)))) }
        var merged = EventQueue(), single = EventQueue()
        merged.schedule(arrivals: arrivals)
        for a in arrivals { single.push(.arrival(job: a.job), at: a.at) }
        var order: [[QueuedEvent]] = [[], []]
        while let e = merged.pop() {
            let f = single.pop()
            order[0].append(e)
            order[1].append(f!)
            // What a run would add: a completion or a pass at this instant or later.
            if Int.random(in: 0..<3, using: &rng) == 0 {
                let kind: EventKind = Bool.random(using: &rng) ? .completion(job: e.sequence, epoch: 0) : .schedule
                let at = e.time + SimTime(seconds: Double(Int.random(in: 0..<5, using: &rng)))
                merged.push(kind, at: at)
                single.push(kind, at: at)
            }
        }
        #expect(single.pop() == nil && merged.isEmpty)
        #expect(order[0].map(\.sequence) == order[1].map(\.sequence) && order[0].map(\.kind) == order[1].map(\.kind))
        #expect(order[0].count > 2_000)
    }

    /// A job asking for no share of a device (a `Job` built in code; trace formats refuse it)
    /// is refused at setup with its id, not placed on full devices.
    @Test func aJobWithoutAShareIsRefused() throws {
        let oracle = Fixture.oracle([("m", 1, nil, nil)])
        do {
            _ = try Fixture.run([Fixture.job("none", at: 0, iterations: 5, milli: 0)], cluster: Fixture.cluster(), oracle: oracle)
            Issue.record("a job with no share of a device was accepted")
        } catch let e as InputError {
            #expect(e.description.contains("job none") && e.description.contains("1–1000"))
        }
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
