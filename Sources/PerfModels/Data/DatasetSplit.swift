import ClusterKit

/// Training, validation and test samples of a dataset (indices into ``PerfDataset/samples``).
public struct DatasetSplit: Sendable, Hashable {
    public var train: [Int]
    public var validation: [Int]
    public var test: [Int]

    /// How samples are divided.
    public enum Kind: Sendable, Hashable {
        /// By model (architecture): a seeded 70/10/20 split of model names, so every batch size,
        /// mode and device of one architecture lands on the same side.
        case random
        /// Families in `test` are held out (test); the rest split 87.5/12.5 by model into
        /// training and validation.
        case family(test: [String])
        /// Devices in `test` are held out (test); samples on the other devices split 87.5/12.5
        /// by model into training and validation.
        case device(test: [String])
    }

    public init(train: [Int], validation: [Int], test: [Int]) {
        self.train = train
        self.validation = validation
        self.test = test
    }

    /// Splits `data` the way `kind` says, reproducibly for a seed.
    public init(_ data: PerfDataset, kind: Kind, seed: UInt64) {
        let models = Array(Set(data.info.map(\.model))).sorted()
        var generator = SeededGenerator(seed: seed, stream: "split")
        let shuffled = models.shuffled(using: &generator)
        func fractions(_ names: [String], _ cuts: [Double]) -> [String: Int] {
            var side: [String: Int] = [:]
            for (i, m) in names.enumerated() {
                let f = Double(i) / Double(max(names.count, 1))
                side[m] = cuts.firstIndex { f < $0 } ?? cuts.count
            }
            return side
        }
        train = []; validation = []; test = []
        switch kind {
        case .random:
            let side = fractions(shuffled, [0.7, 0.8])
            for (i, s) in data.samples.enumerated() {
                switch side[data.info[s.graph].model]! {
                case 0: train.append(i)
                case 1: validation.append(i)
                default: test.append(i)
                }
            }
        case .family(let held), .device(let held):
            let byDevice: Bool = { if case .device = kind { return true }; return false }()
            let heldSet = Set(held)
            let side = fractions(shuffled, [0.875])
            for (i, s) in data.samples.enumerated() {
                let key = byDevice ? s.device : data.info[s.graph].family
                if heldSet.contains(key) { test.append(i); continue }
                if side[data.info[s.graph].model]! == 0 { train.append(i) } else { validation.append(i) }
            }
        }
    }
}
