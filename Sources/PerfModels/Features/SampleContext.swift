import ClusterKit
import Foundation

/// The per-query inputs that are not the graph: mode, precision, batch size, the device vector
/// (``DeviceFeatures``) and the analytic priors (roofline time from the device's specs and the
/// graph's analytic memory), each prior with a known flag.
public enum SampleContext {
    public static let width = 3 + DeviceFeatures.width + 4

    /// Precision as one input: FP32 0, TF32 ½, FP16 and BF16 1.
    static func precisionCode(_ p: Precision) -> Float {
        switch p {
        case .fp32: return 0
        case .tf32: return 0.5
        case .fp16, .bf16: return 1
        }
    }

    /// The raw context of a sample on a device with the given ``DeviceFeatures`` vector.
    public static func vector(_ s: PerfSample, device: [Float]) -> [Float] {
        var v: [Float] = [s.mode == .train ? 1 : 0, precisionCode(s.precision),
                          Float(Foundation.log(Double(max(s.batchSize, 1))))]
        v += device
        if let t = s.priorTime, t > 0 { v += [Float(Foundation.log(t)), 1] } else { v += [0, 0] }
        if let m = s.priorMemory, m > 0 { v += [Float(Foundation.log(m)), 1] } else { v += [0, 0] }
        return v
    }
}
