import Testing
@testable import ModelGraph

/// NAS-Bench-201 networks against an independent hand computation of their MACs.
/// The totals agree with the CIFAR-10 FLOPs range quoted for the benchmark
/// (7.78 M for cells without convolutions to ≈ 220.1 M for all-nor_conv_3x3; NAS-Bench-201
/// counts a multiply-accumulate as one FLOP).
@Suite struct NB201Tests {
    static let allConv3 = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|"
    static let allSkip = "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|"
    static let allNone = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"

    /// Conv and linear MACs (NAS-Bench-201's "FLOPs").
    func macs(_ g: ModelGraph) -> Int {
        g.nodes.filter { $0.type == "Conv" }.reduce(0) { $0 + $1.flops } / 2
            + g.nodes.filter { $0.type == "Gemm" }.reduce(0) { $0 + ($1.flops - 10) } / 2
    }

    /// Skeleton MACs: stem 3→16 at 32², two reduction blocks, classifier 64→10.
    static let skeletonMACs: Int = {
        let stem = 9 * 3 * 16 * 32 * 32
        let red1 = 9 * 16 * 32 * 16 * 16 + 9 * 32 * 32 * 16 * 16 + 16 * 32 * 16 * 16
        let red2 = 9 * 32 * 64 * 8 * 8 + 9 * 64 * 64 * 8 * 8 + 32 * 64 * 8 * 8
        return stem + red1 + red2 + 64 * 10
    }()

    @Test func allConv3x3MatchesHandComputation() throws {
        let g = try NB201.graph(arch: Self.allConv3)
        // 6 convs per cell, 5 cells per stage; each stage's 3×3 conv costs 9·C²·H·W = 2,359,296.
        let cells = 3 * 5 * 6 * (9 * 16 * 16 * 32 * 32)
        #expect(macs(g) == cells + Self.skeletonMACs)
        #expect(macs(g) == 220_119_680)  // ≈ 220.1 M
        #expect(g.tensors[g.outputs[0]].shape == [1, 10])
        #expect(g.nodes.filter { $0.type == "Conv" }.count == 1 + 90 + 2 * 3)
    }

    @Test func cellsWithoutConvolutionsCostOnlyTheSkeleton() throws {
        let none = try NB201.graph(arch: Self.allNone)
        #expect(macs(none) == Self.skeletonMACs)
        #expect(macs(none) == 7_783_040)  // ≈ 7.78 M
        #expect(none.nodes.contains { $0.type == "Constant" })
        let skip = try NB201.graph(arch: Self.allSkip)
        #expect(macs(skip) == Self.skeletonMACs)
        #expect(skip.nodes.filter { $0.type == "Add" }.count == 15 * 3 + 2)  // node sums 0+1+2 per cell
    }

    @Test func executedFormRunsZeroEdgesAndSumsLikeInferCell() throws {
        let none = try NB201.graph(arch: Self.allNone, executed: true)
        #expect(macs(none) == Self.skeletonMACs, "zero edges add no multiply-accumulates")
        #expect(none.nodes.filter { $0.type == "Mul" }.count == 15 * 6, "every none edge is x·0")
        #expect(!none.nodes.contains { $0.type == "Constant" })
        #expect(none.nodes.filter { $0.type == "Add" }.count == 15 * 6 + 2, "each node's sum starts from 0: one Add per edge")
        let conv = try NB201.graph(arch: Self.allConv3, executed: true)
        #expect(macs(conv) == macs(try NB201.graph(arch: Self.allConv3)))
        // Two architectures that differ only in where a dead branch is: one graph mathematically,
        // two different programs as executed.
        let a = "|none~0|+|skip_connect~0|none~1|+|skip_connect~0|none~1|none~2|"
        let b = "|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|"
        #expect(try NB201.graph(arch: a).nodes.count == NB201.graph(arch: b).nodes.count)
        #expect(try NB201.graph(arch: a, executed: true).cost(mode: .infer).flops
                != NB201.graph(arch: b, executed: true).cost(mode: .infer).flops)
    }

    @Test func mixedCellAndBatchSize() throws {
        let arch = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|skip_connect~2|"
        let g1 = try NB201.graph(arch: arch, batchSize: 1)
        let g8 = try NB201.graph(arch: arch, batchSize: 8)
        let perCell = (2 * 9 + 1) * 16 * 16 * 32 * 32  // two 3×3 convs and one 1×1 per cell
        #expect(macs(g1) == 3 * 5 * perCell + Self.skeletonMACs)
        #expect(g8.cost(mode: .infer).forwardFLOPs == 8 * g1.cost(mode: .infer).forwardFLOPs)
        #expect(g8.parameterCount == g1.parameterCount)
        #expect(try NB201Architecture(arch).description == arch)
        #expect(g1.nodes.contains { $0.type == "AveragePool" && $0.attributes["kernel_shape"] == .ints([3, 3]) })
    }

    @Test(arguments: [
        "", "|nor_conv_3x3~0|", "|nor_conv_3x3~0|+|nor_conv_3x3~0|+|nor_conv_3x3~0|",
        "|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|",
        "|none~1|+|none~0|none~1|+|none~0|none~1|none~2|",
        "|none~0|+|none~0|+|none~0|none~1|none~2|",
        "none~0+|none~0|none~1|+|none~0|none~1|none~2|",
    ])
    func badStringsThrowClearErrors(_ arch: String) {
        do {
            _ = try NB201.graph(arch: arch)
            Issue.record("accepted '\(arch)'")
        } catch let e as ModelGraphError {
            #expect(e.description.contains("NB201 architecture"), "\(e)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
