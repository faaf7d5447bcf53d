import ArgumentParser
import ClusterKit
import ClusterSimulation

struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the simulator's models against measurements.", subcommands: [CalibrateInterference.self])
}

struct CalibrateInterference: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interference",
        abstract: "Error of the co-location interference model on the measured pairs of Lucid (fitted) and Gavel (held out).")

    @OptionGroup var data: DataOptions

    @Flag(help: "Grid-search the two parameters on each dataset and print them.")
    var fit = false

    func run() throws {
        try guarded {
            let catalog = try DeviceCatalog.load(path: data.devices)
            var oracle = MeasuredOracle()
            try oracle.loadGavel(path: data.root.gavelThroughputs, catalog: catalog)
            try oracle.loadLucid(singlePath: data.root.lucidSingle, colocatePath: data.root.lucidColocate)
            let report = InterferenceCalibration(oracle: oracle)
            if fit {
                for dataset in ["lucid", "gavel"] {
                    let m = report.fit(dataset: dataset)
                    print(String(format: "fitted on %@: s0 = %.2f, alpha = %.2f", dataset, m.sharedSpeed, m.alpha))
                }
            }
            print("model         dataset  pairs  speeds   MAPE  within ±10%")
            for (name, model) in [("spatial", InterferenceModel.spatial), ("time-sliced", .timeSliced), ("none", .none)] {
                for dataset in ["lucid", "gavel"] {
                    let e = report.error(dataset: dataset, model: model)
                    print(name.padding(toLength: 12, withPad: " ", startingAt: 0) + "  " + dataset.padding(toLength: 7, withPad: " ", startingAt: 0) + String(format: "  %5d  %6d  %5.1f%%  %10.1f%%", e.pairs, e.speeds, e.mape * 100, e.within10 * 100))
                }
            }
        }
    }
}
