import ClusterKit
import Foundation

/// How far a query lies from what a model was trained on (item "knows when it does not know"):
/// the largest excess of any input beyond its training range, in that input's training standard
/// deviations, over the graph's global features, its operators' features (an operator type never
/// seen counts one deviation), and the sample context (mode, precision, batch, device specs,
/// priors); plus one for a device with neither a learned embedding nor a reference.
///
/// Intervals widen with it: ``TimeIntervals`` calibrates `|ln residual| / (1 + distance)` and
/// answers `q·(1 + distance)`, normalized split-conformal prediction (Lei et al. 2018, §5.2, with
/// the distance as the local scale), so in-distribution queries keep the calibrated width and
/// queries outside it get wider intervals.
public struct Novelty: Sendable {
    /// The distance (0: every input inside its training range on a trained device).
    public var distance: Double
    /// Whether the device was neither trained on nor adapted to (answered from its specs alone).
    public var untrainedDevice: Bool
    /// The inputs outside their training range, worst first: name, value, training range and
    /// excess in deviations (raw units: most features are natural logarithms).
    public var outside: [(name: String, value: Float, low: Float, high: Float, excess: Float)]

    /// The cap on the distance (an interval is at most this many times its calibrated width).
    public static let cap: Double = 50
}

extension PerfModel {
    /// Names of the global features, in ``GraphFeaturizer`` order.
    static let globalNames = [
        "ln nodes", "ln edges", "density", "ln forward FLOPs", "ln forward bytes", "ln parameters", "ln parameter bytes",
        "ln intensity", "mean node ln FLOPs", "max node ln FLOPs", "std node ln FLOPs", "ln training FLOPs",
        "ln saved activations", "ln training memory", "conv FLOPs share", "matmul FLOPs share", "ln batch size", "inputs",
    ]
    /// Names of the sample-context entries, in ``SampleContext`` order.
    static let contextNames: [String] = {
        var names = ["mode", "precision", "ln batch size"]
        for spec in ["ln FP32 peak", "ln FP16 peak", "ln memory bandwidth", "ln device memory", "ln compute units"] {
            names += [spec, spec + " known"]
        }
        names += DeviceKind.allCases.map { "kind " + $0.rawValue } + ["edge tier"]
        names += ["ln prior time", "prior time known", "ln prior memory", "prior memory known"]
        return names
    }()
    /// Names of the node features past the operator one-hot.
    static let nodeNames = [
        "ln FLOPs", "ln bytes", "ln parameters", "ln intensity", "FLOPs share", "bytes share", "parameters share",
        "ln output elements", "ln input elements", "ln kernel elements", "ln stride", "ln groups", "ln dilation",
        "ln padding", "ln output channels", "ln last dimension", "backward multiplier", "relative depth", "costed",
    ]

    /// The novelty distance of one sample: its graph's raw features, its raw context, and
    /// whether its device is trained (fast path for batches; ``novelty(_:context:trainedDevice:)``
    /// explains).
    func noveltyDistance(graphExcess: Float, context: ArraySlice<Float>, trainedDevice: Bool) -> Float {
        let d: Float = (trainedDevice ? 0 : 1) + max(graphExcess, norms.context.maxExcess(context))
        return min(d, Float(Novelty.cap))
    }

    /// The largest excess of a graph's global and operator features (the graph's share of the
    /// novelty distance, the same for every sample on it).
    func graphExcess(_ g: GraphFeatures) -> Float {
        max(norms.global.maxExcess(g.globals[...]), norms.node.maxExcess(g.nodes[...]))
    }

    /// The novelty of a graph's sample on a device, with every input outside its training range
    /// named (for `augur predict`).
    public func novelty(_ g: GraphFeatures, context: [Float], trainedDevice: Bool) -> Novelty {
        var outside: [(name: String, value: Float, low: Float, high: Float, excess: Float)] = []
        func collect(_ n: FeatureNormalizer, _ row: ArraySlice<Float>, _ names: [String], prefix: String) {
            guard let lo = n.low, let hi = n.high else { return }
            for (c, e) in n.excess(row).enumerated() where e > 0 {
                outside.append((prefix + (c < names.count ? names[c] : "column \(c)"), row[row.startIndex + c], lo[c], hi[c], e))
            }
        }
        collect(norms.global, g.globals[...], Self.globalNames, prefix: "graph: ")
        collect(norms.context, context[...], Self.contextNames, prefix: "query: ")
        if let lo = norms.node.low, let hi = norms.node.high {
            let w = GraphFeaturizer.nodeWidth, v = OperatorVocabulary.width
            var worst = [Int: (Float, Float)]()
            for r in 0..<g.nodeCount {
                for (c, e) in norms.node.excess(g.nodes[(r * w)..<((r + 1) * w)]).enumerated() where e > (worst[c]?.1 ?? 0) {
                    worst[c] = (g.nodes[r * w + c], e)
                }
            }
            for (c, (x, e)) in worst.sorted(by: { $0.key < $1.key }) {
                let name = c < v ? "operator type \(c < OperatorVocabulary.types.count ? OperatorVocabulary.types[c] : "other") never seen"
                                 : "largest operator " + Self.nodeNames[c - v]
                outside.append(("graph: " + name, x, lo[c], hi[c], e))
            }
        }
        outside.sort { $0.excess != $1.excess ? $0.excess > $1.excess : $0.name < $1.name }
        let d = min(Double((trainedDevice ? 0 : 1) + (outside.first?.excess ?? 0)), Novelty.cap)
        return Novelty(distance: d, untrainedDevice: !trainedDevice, outside: outside)
    }

    /// Whether the model answers `device` from something it learned (an embedding or a reference).
    public func isTrained(device: String) -> Bool {
        devices.contains(device) || references[device] != nil
    }
}
