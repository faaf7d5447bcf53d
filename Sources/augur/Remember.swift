import ArgumentParser
import ClusterKit
import Foundation
import PerfModels

/// `augur remember`: keeps measured times in a model (``MeasuredEfficiencies``), so that a
/// device it never trained on is answered from the nearest similar device's measurement of the
/// same workload. No weight changes.
struct Remember: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Keep measured times in a model (no training): a device the model never trained on is then answered, for a workload a similar device measured, from the nearest such measurement through its own roofline.")

    @OptionGroup var data: PerfDataOptions

    @Option(help: "Model directory (from augur train or adapt); its efficiencies.csv is rewritten.")
    var model: String

    @Flag(help: "Drop what the model kept before (default: the new measurements replace the old ones of the same workload and device, and the rest stay).")
    var replace = false

    func validate() throws {
        if data.sources.isEmpty { throw ValidationError("--data is required") }
    }

    func run() throws {
        try guardedPerf {
            let (net, record) = try Checkpoint.load(model)
            let catalog = try data.loadCatalog()
            let dataset = try data.load(catalog)
            let new = MeasuredEfficiencies(dataset, samples: Array(dataset.samples.indices), catalog: catalog,
                                           excludedFamilies: Trainer.unrememberedFamilies)
            let before = net.measured?.count ?? 0
            net.measured = replace ? new : (net.measured ?? MeasuredEfficiencies()).merging(new)
            try Checkpoint.save(net, to: model, training: record)
            print("kept \(new.count) measured workload-device pairs from \(dataset.samples.count) samples (\(data.sources.joined(separator: ", ")); NAS-Bench-201 cells are not kept); the model holds \(net.measured!.count) (before: \(before)); wrote \(model)/\(Checkpoint.efficienciesFile)")
        }
    }
}
