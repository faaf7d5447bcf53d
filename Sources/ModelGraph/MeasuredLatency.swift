/// A measured latency label of one operator (NeuSight torch.fx traces), milliseconds.
public struct MeasuredLatency: Codable, Sendable, Hashable {
    /// Forward latency (ms), the CSV's `fw_latency`.
    public var forwardMs: Double
    /// Backward latency (ms), the CSV's `bw_latency` (0 in inference traces).
    public var backwardMs: Double

    /// Creates a label.
    public init(forwardMs: Double, backwardMs: Double) {
        self.forwardMs = forwardMs
        self.backwardMs = backwardMs
    }
}
