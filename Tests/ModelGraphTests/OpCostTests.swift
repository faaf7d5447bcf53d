import Testing
@testable import ModelGraph

/// Per-operator costs and the training rule on hand-checked tiny graphs.
@Suite struct OpCostTests {
    @Test func groupedDilatedStridedConv() throws {
        var b = GraphBuilder(name: "conv")
        let x = b.addInput("x", shape: [2, 8, 15, 15])
        let w = b.addParameter("w", shape: [16, 2, 3, 3])
        let y = b.add("Conv", inputs: [x, w], attributes: [
            "group": .int(4), "dilations": .ints([2, 2]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1]),
        ])
        b.markOutput(y)
        let g = try b.build()
        // out = ⌊(15 + 2 − 2·2 − 1) / 2⌋ + 1 = 7
        #expect(g.tensors[y].shape == [2, 16, 7, 7])
        #expect(g.nodes[0].flops == 2 * (2 * 16 * 7 * 7) * (2 * 3 * 3))
        #expect(g.nodes[0].parameters == 288)
        #expect(g.nodes[0].bytes == 4 * (2 * 8 * 15 * 15 + 288 + 2 * 16 * 7 * 7))
    }

    @Test func convTransposeAndBatchedMatMul() throws {
        var b = GraphBuilder(name: "t")
        let x = b.addInput("x", shape: [1, 4, 5, 5])
        let w = b.addParameter("w", shape: [4, 3, 3, 3])
        let y = b.add("ConvTranspose", inputs: [x, w], attributes: ["strides": .ints([2, 2])])
        let a = b.addInput("a", shape: [2, 1, 4, 8])
        let c = b.addInput("c", shape: [3, 8, 5])
        let m = b.add("MatMul", inputs: [a, c])
        let g = try b.build()
        #expect(g.tensors[y].shape == [1, 3, 11, 11])
        #expect(g.nodes[0].flops == 2 * (3 * 9) * (4 * 25))
        #expect(g.tensors[m].shape == [2, 3, 4, 5])
        #expect(g.nodes[1].flops == 2 * (2 * 3 * 4 * 5) * 8)
    }

    @Test func broadcastingElementwiseAndViews() throws {
        var b = GraphBuilder(name: "e")
        let x = b.addInput("x", shape: [4, 1, 6])
        let y = b.addInput("y", shape: [5, 1])
        let s = b.add("Add", inputs: [x, y])
        let r = b.add("Reshape", inputs: [s, b.addConstant("shape", shape: [2], dtype: .int64, intValues: [-1, 6])])
        let t = b.add("Transpose", inputs: [r])
        let gl = b.add("Gelu", inputs: [t])
        let g = try b.build()
        #expect(g.tensors[s].shape == [4, 5, 6])
        #expect(g.tensors[r].shape == [20, 6])
        #expect(g.tensors[t].shape == [6, 20])
        #expect(g.nodes[0].flops == 120)
        #expect(g.nodes[1].bytes == 0 && g.nodes[1].flops == 0)
        #expect(g.nodes[2].bytes == 2 * 4 * 120)
        #expect(g.nodes[3].flops == 8 * 120)
        #expect(g.tensors[gl].shape == [6, 20])
    }

    @Test func trainingRuleAndUnknownOps() throws {
        var b = GraphBuilder(name: "train")
        let x = b.addInput("x", shape: [1, 3, 8, 8])
        let w = b.addParameter("w", shape: [4, 3, 1, 1])
        let c = b.add("Conv", inputs: [x, w])
        let r = b.add("Relu", inputs: [c])
        let u = b.add("FancyOp", inputs: [r])
        b.markOutput(u)
        let g = try b.build()
        let conv = g.nodes[0].flops, relu = g.nodes[1].flops
        #expect(conv == 2 * 4 * 64 * 3 && relu == 4 * 64)
        let t = g.cost(mode: .train)
        #expect(t.forwardFLOPs == conv + relu)
        #expect(t.backwardFLOPs == 2 * conv + relu)
        #expect(t.optimizerFLOPs == 12 * 12)
        #expect(t.optimizerBytes == 7 * 4 * 12)
        #expect(g.nodeCost(0, mode: .train).flops == 3 * conv)
        // Saved for backward: the conv input, the relu input, the unknown op's input.
        #expect(t.savedActivationBytes == 4 * (3 * 64 + 4 * 64 + 4 * 64))
        #expect(g.uncostedOperators().map(\.type) == ["FancyOp"])
        #expect(g.nodes[2].cost.isCosted == false && g.nodes[2].flops == 0)
        // Its output shape is unknown, so only its input's bytes count.
        #expect(g.nodes[2].bytes == 4 * 4 * 64)
        #expect(g.edges == [Edge(producer: 0, consumer: 1, tensor: c), Edge(producer: 1, consumer: 2, tensor: r)])
    }
}

/// A graph's ``CostProfile`` says what its costs say, operator by operator and in total.
@Suite struct CostProfileTests {
    @Test(arguments: ["|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
                      "|none~0|+|skip_connect~0|none~1|+|skip_connect~0|none~1|nor_conv_1x1~2|"])
    func profileMatchesTheGraph(arch: String) throws {
        let g = try NB201.graph(arch: arch, batchSize: 8, executed: true)
        let p = g.costProfile()
        #expect(p.count == g.nodes.count)
        for mode in [Mode.infer, .train] {
            for i in g.nodes.indices {
                let c = g.nodeCost(i, mode: mode)
                #expect(p.cost(i, mode: mode) == (c.flops, c.bytes))
            }
        }
        let train = g.cost(mode: .train)
        #expect(p.optimizerFLOPs == train.optimizerFLOPs && p.optimizerBytes == train.optimizerBytes)
        #expect(p.trainingMemoryBytes == g.trainingMemoryBytes())
        #expect(p.parameterBytes == g.tensors.filter { $0.kind == .parameter }.reduce(0) { $0 + $1.byteCount })
        #expect(p.largestWorkingSet == g.nodes.map(\.cost.bytes).max())
        #expect(p.launches == g.nodes.filter { $0.cost.flops > 0 || $0.cost.bytes > 0 }.count)
        #expect(p.launches > 0 && p.launches <= p.count)
    }
}
