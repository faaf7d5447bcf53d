import AugurCore
@testable import ClusterSimulation
import Testing

/// The engine's sorted multiset against a sorted array, through enough inserts and removals to
/// split and empty chunks many times.
@Suite struct SortedChunksTests {
    @Test func matchesASortedArray() {
        var rng = SeededGenerator(seed: 7, stream: "sorted-chunks")
        var set = SortedChunks<Int>(), reference: [Int] = []
        for step in 0..<30_000 {
            // Mostly inserts early, mostly removals late; values with many duplicates.
            let inserting = reference.isEmpty || Int.random(in: 0..<30_000, using: &rng) > step / 2
            let x = Int.random(in: 0..<2_000, using: &rng)
            if inserting {
                set.insert(x)
                reference.insert(x, at: reference.firstIndex { $0 > x } ?? reference.count)
            } else {
                let present = reference.firstIndex(of: x)
                let removed = set.remove(x)
                #expect(removed == (present != nil))
                if let present { reference.remove(at: present) }
            }
            if step % 997 == 0 {
                #expect(set.isValid)
                #expect(set.elements == reference)
                #expect(set.first(after: x) == reference.first { $0 > x })
            }
        }
        #expect(set.isValid && set.elements == reference && set.count == reference.count)
        for x in reference {
            let removed = set.remove(x)
            #expect(removed)
        }
        #expect(set.isEmpty && set.isValid && set.first == nil)
    }
}
