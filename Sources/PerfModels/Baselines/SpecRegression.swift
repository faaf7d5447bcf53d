import ClusterKit
import Foundation

/// A device-efficiency regression from specs: `ln(t / roofline) = w₀ + w · z(device)` by ridge
/// regression (λ = 1) on the training samples, where `z` is the device vector
/// (``DeviceFeatures``) standardized by a ``FeatureNormalizer`` and the roofline is the
/// sample's prior. One number per device, a linear function of its specs: the lowest-capacity way to carry what the training GPUs teach about
/// efficiency to a GPU never seen (NeuSight, Lee et al. 2024, bounds its per-kernel predictions
/// by the same roofline and learns the utilization from specs).
public struct SpecRegression: SampleTimePredictor {
    public var name: String { "spec-regression" }
    let catalog: DeviceCatalog
    /// Standardizes device vectors with the training samples' statistics (the identity before fitting).
    var normalizer = FeatureNormalizer(mean: Array(repeating: 0, count: DeviceFeatures.width), std: Array(repeating: 1, count: DeviceFeatures.width))
    var weights: [Double] = [0]

    /// The standardized device vector of `device`.
    func z(_ device: String) -> [Double] {
        normalizer.applied(DeviceFeatures.vector(catalog[device])).map(Double.init)
    }

    /// Fits on the training samples that have a measured time and a prior.
    public init(_ data: PerfDataset, train: [Int], catalog: DeviceCatalog, lambda: Double = 1) {
        self.catalog = catalog
        let usable = train.map { data.samples[$0] }.filter { ($0.time ?? 0) > 0 && ($0.priorTime ?? 0) > 0 }
        guard !usable.isEmpty else { return }
        normalizer = FeatureNormalizer(width: DeviceFeatures.width, blocks: usable.map { DeviceFeatures.vector(catalog[$0.device]) })
        weights = Ridge.fit(rows: usable.map { z($0.device) }, target: usable.map { Foundation.log($0.time! / $0.priorTime!) }, lambda: lambda)
    }

    public func times(_ data: PerfDataset, samples: [Int]) throws -> [Double?] {
        samples.map { i in
            let s = data.samples[i]
            guard let prior = s.priorTime else { return nil }
            let z = z(s.device)
            return prior * Foundation.exp(weights[0] + zip(z, weights.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 })
        }
    }
}
