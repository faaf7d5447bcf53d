/// Whether a cost describes one inference (forward pass) or one training step
/// (forward + backward + optimizer update).
public enum Mode: String, Codable, Sendable, CaseIterable {
    case infer
    case train
}
