extension NB201 {
    /// Layer helpers over a ``GraphBuilder``.
    struct Net {
        var builder: GraphBuilder
        let batch: Int
        /// Build the cell as the benchmark's `InferCell` executes it (see ``NB201/graph(arch:batchSize:classes:imageSize:executed:)``).
        var executed = false

        mutating func conv(
            _ x: Int, from cin: Int, to cout: Int, kernel: Int, stride: Int, size: Int, name: String
        ) -> Int {
            let w = builder.addParameter(name + ".weight", shape: [cout, cin, kernel, kernel])
            let p = kernel / 2
            return builder.add("Conv", name: name, inputs: [x, w], attributes: [
                "kernel_shape": .ints([kernel, kernel]), "strides": .ints([stride, stride]),
                "pads": .ints([p, p, p, p]), "dilations": .ints([1, 1]), "group": .int(1),
            ])
        }

        mutating func batchNorm(_ x: Int, channels c: Int, name: String) -> Int {
            builder.batchNorm(x, channels: c, name: name)
        }

        /// ReLU → Conv → BN (NAS-Bench-201's `ReLUConvBN`).
        mutating func reluConvBN(
            _ x: Int, from cin: Int, to cout: Int, kernel: Int, stride: Int, size: Int, name: String
        ) -> Int {
            let r = builder.add("Relu", name: name + ".relu", inputs: [x])
            let c = conv(r, from: cin, to: cout, kernel: kernel, stride: stride, size: size, name: name + ".conv")
            return batchNorm(c, channels: cout, name: name + ".bn")
        }

        /// The residual reduction block (`ResNetBasicblock` with stride 2).
        mutating func reduction(_ x: Int, from cin: Int, to cout: Int, size: Int, name: String) -> Int {
            let a = reluConvBN(x, from: cin, to: cout, kernel: 3, stride: 2, size: size, name: name + ".conv_a")
            let b = reluConvBN(a, from: cout, to: cout, kernel: 3, stride: 1, size: size / 2, name: name + ".conv_b")
            let pool = builder.add("AveragePool", name: name + ".downsample.pool", inputs: [x], attributes: [
                "kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]), "pads": .ints([0, 0, 0, 0]),
            ])
            let short = conv(pool, from: cin, to: cout, kernel: 1, stride: 1, size: size / 2, name: name + ".downsample.conv")
            return builder.add("Add", name: name + ".add", inputs: [short, b])
        }

        /// One `InferCell`: node i = Σ_j op_ij(node j) over live edges, or, `executed`, over every
        /// edge as PyTorch runs it: `none` is a multiplication by zero and each node's Python
        /// `sum` starts from 0, one addition per edge.
        mutating func cell(_ arch: NB201Architecture, _ x: Int, channels c: Int, size: Int, name: String) -> Int {
            var nodes: [Int?] = [x]
            for (i, incoming) in arch.edges.enumerated() {
                var terms: [Int] = []
                for edge in incoming {
                    guard let source = nodes[edge.from] else { continue }
                    let label = "\(name).edge\(edge.from)->\(i + 1)"
                    switch edge.op {
                    case .none:
                        guard executed else { continue }
                        let zero = builder.addConstant(label + ".zero", shape: [], dtype: .float32, floatValues: [0])
                        terms.append(builder.add("Mul", name: label + ".mul", inputs: [source, zero]))
                    case .skipConnect: terms.append(source)
                    case .norConv1x1:
                        terms.append(reluConvBN(source, from: c, to: c, kernel: 1, stride: 1, size: size, name: label))
                    case .norConv3x3:
                        terms.append(reluConvBN(source, from: c, to: c, kernel: 3, stride: 1, size: size, name: label))
                    case .avgPool3x3:
                        terms.append(builder.add("AveragePool", name: label + ".pool", inputs: [source], attributes: [
                            "kernel_shape": .ints([3, 3]), "strides": .ints([1, 1]),
                            "pads": .ints([1, 1, 1, 1]), "count_include_pad": .int(0),
                        ]))
                    }
                }
                guard var sum = terms.first else { nodes.append(nil); continue }
                if executed {
                    let zero = builder.addConstant("\(name).node\(i + 1).start", shape: [], dtype: .float32, floatValues: [0])
                    sum = builder.add("Add", name: "\(name).node\(i + 1).sum_start", inputs: [sum, zero])
                }
                for (k, t) in terms.dropFirst().enumerated() {
                    sum = builder.add("Add", name: "\(name).node\(i + 1).sum\(k)", inputs: [sum, t])
                }
                nodes.append(sum)
            }
            if let out = nodes[3] { return out }
            return builder.addNode(
                "Constant", name: name + ".zero", inputs: [],
                attributes: ["value.dims": .ints([batch, c, size, size]), "value.dtype": .int(1)],
                outputNames: [name + ".zero:0"])[0]
        }
    }
}
