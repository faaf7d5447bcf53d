import Testing
@testable import ClusterSimulation

/// Known answers printed by CPython 3.11's `random.Random`: the Gavel mechanism replays Gavel's
/// random choices only if these agree bit for bit.
@Suite struct PythonRandomTests {
    @Test func bitsMatchCPython() {
        var r = PythonRandom(seed: 0)
        #expect([r.bits(32), r.bits(32), r.bits(32)] == [3_626_764_237, 1_654_615_998, 3_255_389_356])
        var big = PythonRandom(seed: 123_456_789_012)
        #expect([big.bits(32), big.bits(32)] == [1_619_264_890, 2_798_649_831])
    }

    @Test func randrangeAndShuffleMatchCPython() {
        var r = PythonRandom(seed: 0)
        #expect((0..<10).map { _ in r.below(3) } == [1, 1, 0, 1, 2, 1, 1, 1, 1, 1])
        var s = PythonRandom(seed: 5)
        var types = ["v100", "p100", "k80"]
        var seen: [[String]] = []
        for _ in 0..<5 { s.shuffle(&types); seen.append(types) }
        #expect(seen == [["v100", "p100", "k80"], ["v100", "p100", "k80"], ["p100", "v100", "k80"], ["k80", "p100", "v100"], ["p100", "k80", "v100"]])
    }
}
