import Foundation
import ModelGraph

/// Turns a ``ModelGraph`` into ``GraphFeatures`` (PerfSeer's node, edge and global features).
///
/// - Node: operator-type one-hot (``OperatorVocabulary``); `ln(1+x)` of forward FLOPs, bytes and
///   parameters; log arithmetic intensity; the operator's share of the graph's FLOPs, bytes and
///   parameters; `ln(1+x)` of output and first-input elements, kernel elements, stride, groups,
///   dilation and padding, output channels and last output dimension; the backward multiplier;
///   depth (longest path from the inputs, over the graph's depth), which unlike a position in the
///   node list does not depend on node order; whether the cost model knows the operator.
/// - Edge: `ln(1+x)` of the tensor's elements, bytes, first and last dimension; its rank; a
///   data-flow direction flag.
/// - Global: `ln` of node and edge counts, density, `ln(1+x)` of the forward FLOPs, bytes,
///   parameters and parameter bytes, log intensity, mean/max/std of per-node log FLOPs, training
///   FLOPs, saved activations and training memory; the shares of FLOPs in convolutions and in
///   matrix products; `ln` of the batch size.
public enum GraphFeaturizer {
    static let vocabulary = OperatorVocabulary.width
    /// Node feature width.
    public static let nodeWidth = vocabulary + 19
    /// Edge feature width.
    public static let edgeWidth = 6
    /// Global feature width.
    public static let globalWidth = 18

    @inline(__always) static func ln1p(_ x: Int) -> Float { Float(Foundation.log1p(Double(max(x, 0)))) }
    @inline(__always) static func ln1p(_ x: Double) -> Float { Float(Foundation.log1p(max(x, 0))) }

    /// The features of many graphs, featurized on all cores, in input order (batched
    /// prediction: featurizing costs about as much as predicting).
    public static func features(of items: [(graph: ModelGraph, batchSize: Int)]) -> [GraphFeatures] {
        Parallel.map(items.count) { i in features(of: items[i].graph, batchSize: items[i].batchSize) }
    }

    /// The features of `graph`, whose batch size is `batchSize`.
    public static func features(of graph: ModelGraph, batchSize: Int) -> GraphFeatures {
        let n = graph.nodes.count
        var totalFLOPs = 0.0, totalBytes = 0.0, totalParams = 0.0
        var convFLOPs = 0.0, matFLOPs = 0.0
        for node in graph.nodes {
            totalFLOPs += Double(node.cost.flops)
            totalBytes += Double(node.cost.bytes)
            totalParams += Double(node.cost.parameters)
            switch node.type {
            case "Conv", "ConvTranspose": convFLOPs += Double(node.cost.flops)
            case "Gemm", "MatMul", "Einsum": matFLOPs += Double(node.cost.flops)
            default: break
            }
        }
        let graphEdges = graph.edges
        var depth = [Int](repeating: 0, count: n)
        for e in graphEdges.sorted(by: { $0.consumer < $1.consumer }) { depth[e.consumer] = max(depth[e.consumer], depth[e.producer] + 1) }
        let maxDepth = max(depth.max() ?? 0, 1)
        let train = graph.cost(mode: .train)
        let profile = graph.costProfile(train: train)
        var nodes = [Float](repeating: 0, count: n * nodeWidth)
        var logF = [Float](repeating: 0, count: n), logB = [Float](repeating: 0, count: n)
        for (i, node) in graph.nodes.enumerated() {
            let base = i * nodeWidth
            nodes[base + OperatorVocabulary.slot(of: node.type)] = 1
            var k = base + vocabulary
            func put(_ x: Float) { nodes[k] = x; k += 1 }
            let c = node.cost
            logF[i] = ln1p(c.flops)
            logB[i] = ln1p(c.bytes)
            put(logF[i]); put(logB[i]); put(ln1p(c.parameters))
            put(Float(Foundation.log((Double(c.flops) + 1) / (Double(c.bytes) + 1))))
            put(totalFLOPs > 0 ? Float(Double(c.flops) / totalFLOPs) : 0)
            put(totalBytes > 0 ? Float(Double(c.bytes) / totalBytes) : 0)
            put(totalParams > 0 ? Float(Double(c.parameters) / totalParams) : 0)
            let out = node.outputs.first.map { graph.tensors[$0] }
            let input = node.presentInputs.first.map { graph.tensors[$0] }
            put(ln1p(out?.elementCount ?? 0)); put(ln1p(input?.elementCount ?? 0))
            let a = node.attributes
            put(ln1p(a["kernel_shape"]?.intsValue?.reduce(1, *) ?? 0))
            put(ln1p(a["strides"]?.intsValue?.max() ?? 0))
            put(ln1p(a["group"]?.intValue ?? 1))
            put(ln1p(a["dilations"]?.intsValue?.max() ?? 0))
            put(ln1p(a["pads"]?.intsValue?.reduce(0, +) ?? 0))
            let shape = out?.shape ?? []
            put(ln1p(shape.count >= 2 ? shape[1] : 0)); put(ln1p(shape.last ?? 0))
            put(Float(profile.trainMultiplier[i] - 1))
            put(Float(depth[i]) / Float(maxDepth))
            nodes[k] = c.isCosted ? 1 : 0
        }
        // Each tensor's edge features once; every edge appears in both directions.
        var tensorRows = [[Float]?](repeating: nil, count: graph.tensors.count)
        var senders: [Int] = [], receivers: [Int] = [], edges: [Float] = []
        senders.reserveCapacity(2 * graphEdges.count)
        receivers.reserveCapacity(2 * graphEdges.count)
        edges.reserveCapacity(2 * graphEdges.count * edgeWidth)
        for direction in [Float(1), 0] {
            for e in graphEdges {
                let row = tensorRows[e.tensor] ?? {
                    let t = graph.tensors[e.tensor]
                    let shape = t.shape ?? []
                    let r = [ln1p(t.elementCount), ln1p(t.byteCount), ln1p(shape.first ?? 0), ln1p(shape.last ?? 0), Float(shape.count)]
                    tensorRows[e.tensor] = r
                    return r
                }()
                senders.append(direction == 1 ? e.producer : e.consumer)
                receivers.append(direction == 1 ? e.consumer : e.producer)
                edges.append(contentsOf: row)
                edges.append(direction)
            }
        }
        let mean = logF.isEmpty ? 0 : logF.reduce(0, +) / Float(n)
        let variance = logF.isEmpty ? 0 : logF.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(n)
        let globals: [Float] = [
            Float(Foundation.log(Double(max(n, 1)))), Float(Foundation.log(Double(max(graphEdges.count, 1)))),
            n > 1 ? Float(Double(graphEdges.count) / Double(n * (n - 1))) : 0,
            ln1p(totalFLOPs), ln1p(totalBytes), ln1p(totalParams), ln1p(profile.parameterBytes),
            Float(Foundation.log((totalFLOPs + 1) / (totalBytes + 1))),
            mean, logF.max() ?? 0, variance.squareRoot(),
            ln1p(train.flops), ln1p(train.savedActivationBytes), ln1p(profile.trainingMemoryBytes),
            totalFLOPs > 0 ? Float(convFLOPs / totalFLOPs) : 0, totalFLOPs > 0 ? Float(matFLOPs / totalFLOPs) : 0,
            Float(Foundation.log(Double(max(batchSize, 1)))), Float(graph.inputs.count),
        ]
        return GraphFeatures(nodeCount: n, nodes: nodes, senders: senders, receivers: receivers, edges: edges,
                             globals: globals, nodeLogFLOPs: logF, nodeLogBytes: logB, profile: profile)
    }
}
