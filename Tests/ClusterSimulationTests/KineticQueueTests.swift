import ClusterKit
import Testing
@testable import ClusterSimulation

/// A policy whose waiting keys move with time (finish-time fairness) keeps its queue in
/// kinetic heaps; its decisions are those of sorting the whole queue.
@Suite struct KineticQueueTests {
    /// A policy with its keys hidden, so the planner sorts every queued and running job at each
    /// pass (the reference the kinetic queue must reproduce).
    struct SortingWholeQueue: SchedulingPolicy {
        let inner: any SchedulingPolicy
        var name: String { inner.name }
        var isPreemptive: Bool { inner.isPreemptive }
        func order(_ jobs: [Int], in view: PolicyView) -> [Int] { inner.order(jobs, in: view) }
    }

    @Test(arguments: [SchedulerKind.ftf])
    func aKineticQueueDecidesAsSortingTheWholeQueueDoes(_ kind: SchedulerKind) throws {
        #expect(kind.make().hasKineticWaitingKeys)
        let jobs = FullPassTests.generated(seed: 5, count: 160, gap: 60, sizes: [1, 1, 2, 4], work: 200..<20_200, halves: false)
        let cluster = Fixture.cluster(fastNodes: 2, fastPerNode: 4, slowNodes: 2, slowPerNode: 4)
        for placement in [FirstFitPlacement(), HeterogeneityAwarePlacement()] as [any PlacementPolicy] {
            let configure = { (c: inout SimulationConfig) in
                c.roundSeconds = 300
                c.checkpointRestoreSeconds = 30
            }
            let (kinetic, a) = try Fixture.run(jobs, cluster: cluster, oracle: FullPassTests.oracle, scheduler: kind.make(),
                                               placement: placement, configure: configure)
            // The reference needs no invariant checks (the kinetic run checks its queue at every event).
            let (sorted, b) = try Fixture.run(jobs, cluster: cluster, oracle: FullPassTests.oracle,
                                              scheduler: SortingWholeQueue(inner: kind.make()), placement: placement) {
                configure(&$0)
                $0.checkInvariants = false
            }
            #expect(a.preemptions > 0)
            #expect(a.preemptions == b.preemptions, "\(kind)+\(placement.name)")
            #expect(kinetic.state.jobs.map(\.end) == sorted.state.jobs.map(\.end), "\(kind)+\(placement.name)")
        }
    }
}
