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
        // Saved for backward: the conv input and the relu output, which the unknown op also keeps.
        #expect(t.savedActivationBytes == 4 * (3 * 64 + 4 * 64))
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

    /// ONNX LSTM: Y [seq, dirs, batch, H], Y_h and Y_c [dirs, batch, H]; FLOPs
    /// seq·batch·dirs·(2·4H·(input + H) + 2·4H bias + 26H cell); W, R and B are parameters.
    @Test func bidirectionalLSTMAndGRU() throws {
        var b = GraphBuilder(name: "lstm")
        let (seq, batch, input, h) = (7, 3, 10, 6)
        let x = b.addInput("x", shape: [seq, batch, input])
        let w = b.addParameter("W", shape: [2, 4 * h, input])
        let r = b.addParameter("R", shape: [2, 4 * h, h])
        let bias = b.addParameter("B", shape: [2, 8 * h])
        let outs = b.addNode("LSTM", name: "lstm", inputs: [x, w, r, bias], attributes: [
            "hidden_size": .int(h), "direction": .string("bidirectional"),
        ], outputNames: ["y", "y_h", "y_c"])
        let gw = b.addParameter("gW", shape: [1, 3 * h, 2 * h])
        let gr = b.addParameter("gR", shape: [1, 3 * h, h])
        let flat = b.add("Reshape", inputs: [outs[0], b.addConstant("s", shape: [3], dtype: .int64, intValues: [seq, batch, 2 * h])])
        let gru = b.addNode("GRU", name: "gru", inputs: [flat, gw, gr], attributes: ["hidden_size": .int(h)], outputNames: ["gy", "gy_h"])
        b.markOutput(gru[0])
        let g = try b.build()
        #expect(g.tensors[outs[0]].shape == [seq, 2, batch, h])
        #expect(g.tensors[outs[1]].shape == [2, batch, h])
        #expect(g.tensors[outs[2]].shape == [2, batch, h])
        #expect(g.tensors[gru[0]].shape == [seq, 1, batch, h])
        #expect(g.tensors[gru[1]].shape == [1, batch, h])
        let lstmFLOPs = seq * batch * 2 * (2 * 4 * h * (input + h) + 2 * 4 * h + 26 * h)
        #expect(g.nodes[0].flops == lstmFLOPs)
        #expect(g.nodes[0].parameters == 2 * 4 * h * (input + h) + 2 * 8 * h)
        let elements = seq * batch * input + 2 * 4 * h * (input + h) + 2 * 8 * h + seq * 2 * batch * h + 2 * 2 * batch * h
        #expect(g.nodes[0].bytes == 4 * elements)
        #expect(g.nodes[2].flops == seq * batch * (2 * 3 * h * (2 * h + h) + 17 * h))
        #expect(g.uncostedOperators().isEmpty)
        // Training: the recurrent op is a weighted op (backward ≈ 2× forward).
        #expect(g.cost(mode: .train).flops > 2 * g.cost(mode: .infer).flops)
    }

    /// An imported ONNX LSTM (layout 1, initializer weights) is shaped and costed, and its
    /// initial state is not counted as a parameter.
    @Test func importedONNXLSTM() throws {
        var model = Onnx_ModelProto()
        model.irVersion = 8
        var input = Onnx_ValueInfoProto()
        input.name = "x"
        input.type.tensorType.elemType = 1
        var dims = [Onnx_TensorShapeProto.Dimension](repeating: .init(), count: 3)
        dims[0].dimValue = 2; dims[1].dimValue = 5; dims[2].dimValue = 4
        input.type.tensorType.shape.dim = dims
        func initializer(_ name: String, _ shape: [Int64]) -> Onnx_TensorProto {
            var t = Onnx_TensorProto()
            t.name = name; t.dims = shape; t.dataType = 1
            return t
        }
        var node = Onnx_NodeProto()
        node.opType = "LSTM"
        node.input = ["x", "W", "R", "B", "", "h0"]
        node.output = ["y", "y_h"]
        var hidden = Onnx_AttributeProto()
        hidden.name = "hidden_size"; hidden.type = .int; hidden.i = 3
        var layout = Onnx_AttributeProto()
        layout.name = "layout"; layout.type = .int; layout.i = 1
        node.attribute = [hidden, layout]
        var output = Onnx_ValueInfoProto()
        output.name = "y"
        model.graph.node = [node]
        model.graph.input = [input]
        model.graph.initializer = [initializer("W", [1, 12, 4]), initializer("R", [1, 12, 3]),
                                   initializer("B", [1, 24]), initializer("h0", [2, 1, 3])]
        model.graph.output = [output]
        let g = try ONNXImporter.load(data: try model.serializedData(), file: "mem")
        #expect(g.tensors[g.outputs[0]].shape == [2, 5, 1, 3])
        #expect(g.uncostedOperators().isEmpty)
        #expect(g.parameterCount == 12 * 4 + 12 * 3 + 24)
        #expect(g.nodes[0].flops == 5 * 2 * (2 * 12 * 7 + 2 * 12 + 26 * 3))
    }

    /// RoiAlign: [R, C, oh, ow]; 8 FLOPs per bilinear sample, sampling_ratio² samples per output.
    @Test func roiAlign() throws {
        var b = GraphBuilder(name: "roi")
        let x = b.addInput("x", shape: [2, 16, 50, 50])
        let rois = b.addInput("rois", shape: [10, 4])
        let idx = b.addInput("idx", shape: [10], dtype: .int64)
        let y = b.add("RoiAlign", inputs: [x, rois, idx], attributes: [
            "output_height": .int(7), "output_width": .int(7), "sampling_ratio": .int(2),
        ])
        let g = try b.build()
        #expect(g.tensors[y].shape == [10, 16, 7, 7])
        let out = 10 * 16 * 49
        #expect(g.nodes[0].flops == 8 * 4 * out)
        #expect(g.nodes[0].bytes == 4 * (2 * 16 * 50 * 50) + 4 * 40 + 8 * 10 + 4 * out)
        #expect(g.uncostedOperators().isEmpty)
    }
}

/// What a training step keeps for backward follows PyTorch's autograd per operator, also where
/// an exporter split LayerNorm and GELU into element-wise pieces (as torchvision's ConvNeXt and
/// ViT exports are).
@Suite struct SavedActivationTests {
    @Test func decomposedLayerNormKeepsWhatItsPiecesNeed() throws {
        var b = GraphBuilder(name: "ln")
        let x = b.addInput("x", shape: [2, 8, 16])
        let two = b.addConstant("two", shape: [], dtype: .float32, floatValues: [2])
        let eps = b.addConstant("eps", shape: [], dtype: .float32, floatValues: [1e-6])
        let gamma = b.addParameter("gamma", shape: [16]), beta = b.addParameter("beta", shape: [16])
        let axes: [String: AttributeValue] = ["axes": .ints([-1])]
        let m = b.add("ReduceMean", inputs: [x], attributes: axes)
        let d = b.add("Sub", inputs: [x, m])
        let p = b.add("Pow", inputs: [d, two])
        let v = b.add("ReduceMean", inputs: [p], attributes: axes)
        let e = b.add("Add", inputs: [v, eps])
        let sd = b.add("Sqrt", inputs: [e])
        let n = b.add("Div", inputs: [d, sd])
        let y = b.add("Mul", inputs: [n, gamma])
        b.markOutput(b.add("Add", inputs: [y, beta]))
        let g = try b.build()
        #expect(g.tensors[sd].shape == [2, 8, 1])
        // Pow keeps d; Sqrt its output (one per row); Div both operands; the product with the
        // trained gamma keeps n. The mean, the difference and the sums keep nothing.
        #expect(g.savedActivationBytes() == 4 * (256 + 16 + 256))
    }

    @Test func decomposedGELUKeepsThreeTensorsNotFive() throws {
        var b = GraphBuilder(name: "gelu")
        let x = b.addInput("x", shape: [4, 64])
        let root2 = b.addConstant("root2", shape: [], dtype: .float32, floatValues: [1.4142135])
        let one = b.addConstant("one", shape: [], dtype: .float32, floatValues: [1])
        let half = b.addConstant("half", shape: [], dtype: .float32, floatValues: [0.5])
        let h = b.add("Div", inputs: [x, root2])
        let erf = b.add("Erf", inputs: [h])
        let a = b.add("Add", inputs: [erf, one])
        let m = b.add("Mul", inputs: [x, a])
        b.markOutput(b.add("Mul", inputs: [m, half]))
        let g = try b.build()
        // Erf keeps its input; the product of two computed tensors keeps both; the quotient
        // and the product by literal constants keep nothing.
        #expect(g.savedActivationBytes() == 4 * 3 * 256)
    }

    @Test func rulesByOperator() {
        #expect(OpCostModel.savedTensors("Add") == .nothing)
        #expect(OpCostModel.savedTensors("Reshape") == .nothing)
        #expect(OpCostModel.savedTensors("Relu") == .output)
        #expect(OpCostModel.savedTensors("Mul") == .operandsOfProduct)
        #expect(OpCostModel.savedTensors("Conv") == .inputs)
        #expect(OpCostModel.savedTensors("FancyOp") == .inputs)
    }
}
