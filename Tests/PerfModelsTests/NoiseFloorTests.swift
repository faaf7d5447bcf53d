import ClusterKit
import Foundation
import ModelGraph
@testable import PerfModels
import Testing

/// The NAS-Bench-201 noise-floor study's pieces: the cell encoding and its ridge regression.
@Suite struct NoiseFloorTests {
    static func randomArchitecture(_ generator: inout SeededGenerator) throws -> NB201Architecture {
        let ops = NB201Architecture.Operation.allCases.map(\.rawValue)
        let groups = (1...3).map { node in "|" + (0..<node).map { "\(ops.randomElement(using: &generator)!)~\($0)" }.joined(separator: "|") + "|" }
        return try NB201Architecture(groups.joined(separator: "+"))
    }

    @Test func everyCellHas22DistinctFeaturesWithinTheWidth() throws {
        var generator = SeededGenerator(seed: 5, stream: "cells")
        for _ in 0..<200 {
            let active = CellEncodingRidge.activeFeatures(try Self.randomArchitecture(&generator))
            #expect(active.count == 22 && Set(active).count == 22)
            #expect(active.allSatisfy { (0..<CellEncodingRidge.width).contains($0) })
        }
        #expect(CellEncodingRidge.width == 406)
    }

    @Test func ridgeRecoversAPairwiseFunctionOfTheCell() throws {
        var generator = SeededGenerator(seed: 9, stream: "ridge")
        let truth = (0..<CellEncodingRidge.width).map { _ in Double.random(in: -0.1...0.1, using: &generator) }
        let cells = try (0..<3000).map { _ in CellEncodingRidge.activeFeatures(try Self.randomArchitecture(&generator)) }
        let target = cells.map { $0.reduce(0) { $0 + truth[$1] } }
        let ridge = CellEncodingRidge(active: cells, target: target, lambda: 1e-9)
        // The encoding is redundant (one-hots sum to the intercept), so weights differ; predictions must not.
        let worst = zip(cells, target).map { abs(ridge.predict($0) - $1) }.max()!
        #expect(worst < 1e-6)
    }

    @Test func correlationOfALaggedSeries() {
        #expect(abs(AccuracyMetrics.pearson([1, 2, 3, 4], [2, 4, 6, 8]) - 1) < 1e-12)
        #expect(abs(AccuracyMetrics.pearson([1, 2, 3, 4], [4, 3, 2, 1]) + 1) < 1e-12)
    }
}
