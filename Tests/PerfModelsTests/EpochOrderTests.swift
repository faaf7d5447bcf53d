import AugurCore
@testable import PerfModels
import Testing

/// ``Trainer/epochOrder(_:family:balance:generator:)``: which graphs an epoch visits.
@Suite struct EpochOrderTests {
    /// 100 graphs of one family (0–99), 4 of another (100–103).
    static let graphs = Array(0..<104)
    static func family(_ g: Int) -> String { g < 100 ? "big" : "small" }

    @Test func balanceOneVisitsEveryGraphOnce() {
        var generator = SeededGenerator(seed: 1, stream: "train")
        let order = Trainer.epochOrder(Self.graphs, family: Self.family, balance: 1, generator: &generator)
        #expect(order.sorted() == Self.graphs)
        #expect(order != Self.graphs, "shuffled")
    }

    /// Shares ∝ n^0.5: 10 against 2, so of 104 visits the small family gets 17 (4 or 5 each)
    /// instead of 4, and the big one 87 (no graph twice).
    @Test func balanceHalfSharesVisitsBySquareRoot() {
        var generator = SeededGenerator(seed: 1, stream: "train")
        let order = Trainer.epochOrder(Self.graphs, family: Self.family, balance: 0.5, generator: &generator)
        #expect(order.count == 104)
        let small = order.filter { $0 >= 100 }
        #expect(small.count == 17)
        for g in 100..<104 { #expect((4...5).contains(small.filter { $0 == g }.count)) }
        let big = order.filter { $0 < 100 }
        #expect(big.count == 87 && Set(big).count == 87)
    }

    /// Balance 0: every family the same share; the same seed gives the same order.
    @Test func balanceZeroIsEvenAndSeeded() {
        var a = SeededGenerator(seed: 7, stream: "train"), b = SeededGenerator(seed: 7, stream: "train")
        let first = Trainer.epochOrder(Self.graphs, family: Self.family, balance: 0, generator: &a)
        let second = Trainer.epochOrder(Self.graphs, family: Self.family, balance: 0, generator: &b)
        #expect(first == second)
        #expect(first.filter { $0 >= 100 }.count == 52 && first.filter { $0 < 100 }.count == 52)
    }
}
