import AugurCore
@testable import ClusterSimulation
import Testing

/// The engine's set of job indices against a sorted array of distinct indices.
@Suite struct JobSetTests {
    @Test func matchesASortedArray() {
        var rng = SeededGenerator(seed: 11, stream: "job-set")
        var set = JobSet(), reference: [Int] = []
        for step in 0..<20_000 {
            // Sparse and dense stretches: indices up to 70,000 (many summary words), most below 300.
            let x = Int.random(in: 0..<10, using: &rng) == 0 ? Int.random(in: 0..<70_000, using: &rng) : Int.random(in: 0..<300, using: &rng)
            let present = reference.contains(x)
            if Int.random(in: 0..<20_000, using: &rng) > step / 2 {
                let inserted = set.insert(x)
                #expect(inserted == !present)
                if !present { reference.insert(x, at: reference.firstIndex { $0 > x } ?? reference.count) }
            } else {
                let removed = set.remove(x)
                #expect(removed == present)
                reference.removeAll { $0 == x }
            }
            #expect(set.contains(x) == reference.contains(x))
            if step % 499 == 0 { #expect(set.elements == reference) }
        }
        #expect(set.elements == reference && set.count == reference.count)
        for x in reference {
            let removed = set.remove(x)
            #expect(removed)
        }
        #expect(set.isEmpty && set.elements.isEmpty && !set.contains(0) && !set.contains(-1))
    }
}
