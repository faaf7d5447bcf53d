import ArgumentParser
import ClusterKit
import Foundation
import ModelGraph
import PerfModels

extension EncoderKind: ExpressibleByArgument {}
extension Adaptation.Tune: ExpressibleByArgument {}
extension Adaptation.Method: ExpressibleByArgument {}
extension UnseenDeviceRule: ExpressibleByArgument {}

/// `--unseen-device`'s help, shared by the commands that answer queries.
let unseenDeviceHelp = ArgumentHelp("How a device the model was never trained on is answered: measured (where a device of its kind measured the same workload, the nearest such device's time over its roofline times this device's roofline, else from its specs; the default) or specs (always from its specs alone).")

/// Where the public datasets and the device catalog are.
struct PerfPathOptions: ParsableArguments {
    @Option(help: "Root of the public datasets (default: $AUGUR_DATA, else ../shared).")
    var root: String?

    @Option(help: "Device catalog.")
    var catalog: String = "clusters/devices.yaml"

    var dataRoot: DataRoot { DataRoot.resolve(flag: root) }

    func loadCatalog() throws -> DeviceCatalog { try DeviceCatalog.load(path: catalog) }
}

/// Where a predictor command reads measurements from.
struct PerfDataOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: "Measurements: nb201 | neusight | augur | a latency CSV (nb201-latency layout, any device columns) | a tools/measure CSV or directory | a NeuSight labels directory. Repeatable.")
    var sources: [String] = []

    @OptionGroup var paths: PerfPathOptions

    @Option(help: "Directory of the measurement harness's exported graphs.")
    var graphs: String = "data/graphs/onnx"

    @Option(help: "Read every N-th architecture of latency tables (1: all).")
    var nb201Stride: Int = 1

    @Flag(help: "Keep time labels under 1% of their device setting's median (by default dropped as damaged).")
    var keepDamagedLabels = false

    func validate() throws {
        if nb201Stride < 1 { throw ValidationError("--nb201-stride must be at least 1") }
    }

    var dataRoot: DataRoot { paths.dataRoot }

    func loadCatalog() throws -> DeviceCatalog { try paths.loadCatalog() }

    func load(_ catalog: DeviceCatalog, columns: Set<String>? = nil) throws -> PerfDataset {
        var o = PerfDataSource.Options(root: dataRoot, catalog: catalog)
        o.graphs = graphs
        o.nb201Stride = nb201Stride
        o.columns = columns
        let start = Date()
        var data = try PerfDataSource.load(sources, options: o)
        printError("loaded \(data.graphs.count) graphs and \(data.samples.count) samples on \(data.devices.count) devices in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
        if !data.skipped.isEmpty {
            printError("skipped rows: " + data.skipped.keys.sorted().map { "\(data.skipped[$0]!) (\($0))" }.joined(separator: ", "))
        }
        if !keepDamagedLabels {
            let (clean, dropped) = data.withoutDamagedTimes()
            if !dropped.isEmpty {
                printError("dropped damaged time labels (under 1% of the setting's median; --keep-damaged-labels keeps them): "
                           + PerfDataset.describe(dropped: dropped))
            }
            data = clean
        }
        return data
    }
}

/// Runs a predictor command's body: input, model-file and unknown-device errors become one
/// line on stderr and exit code 2. Predictor commands keep freed pages in jemalloc
/// (``AllocatorProbe/keepFreedPages()``); the simulator keeps jemalloc's defaults.
func guardedPerf<T>(_ body: () throws -> T) throws -> T {
    AllocatorProbe.keepFreedPages()
    do { return try guarded(body) } catch let e as CheckpointError {
        ErrorLine.report(e.description)
        throw ExitCode(ErrorLine.status)
    } catch let e as UnknownDeviceError {
        ErrorLine.report(e.description)
        throw ExitCode(ErrorLine.status)
    } catch let e as ModelGraphError {
        ErrorLine.report("\(e)")
        throw ExitCode(ErrorLine.status)
    }
}

/// Writes text to a file atomically, creating its directory.
func writeText(_ text: String, to path: String) throws {
    try TextFile.writeAtomically(text, to: path)
}

/// `--family-balance`'s help, shared by `train` and `experiment` (``TrainingOptions/familyBalance``).
let familyBalanceHelp = "Share of each epoch's visits a graph family gets, in proportion to its graph count to this power: 1 visits every graph once; 0.5 lets small families (a benchmark's dozen models) weigh more beside thousands of NAS-Bench-201 cells; 0 gives every family the same share."

/// `--weight-average`'s help, shared by `train` and `experiment` (``TrainingOptions/weightAverageHalfLife``).
let weightAverageHelp = "Half-life in epochs of an exponential moving average of the weights (Polyak averaging): validation, early stopping and the kept weights use the average; training goes on from the raw weights. Off unless given."

/// `--weight-average` must be a positive, finite number of epochs.
func validateWeightAverage(_ halfLife: Double?) throws {
    if let h = halfLife, !(h.isFinite && h > 0 && h <= 1000) { throw ValidationError("--weight-average must be a half-life in epochs within (0, 1000]") }
}

/// `--select-by`'s help, shared by `train` and `experiment` (``TrainingOptions/selection``).
let selectionHelp = "Validation figure that early stopping, the learning-rate schedule and the kept weights watch: pooled (the median APE over every validation sample, so NAS-Bench-201's cells decide) or families (the mean over graph families of each family's median APE, every family weighing the same)."

extension ValidationSelection: ExpressibleByArgument {}
