import ArgumentParser
import ClusterKit
import Foundation
import PerfModels

struct Adapt: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Adapt a trained model to a device from a few measured samples (a latency CSV in the nb201-latency layout with one device column).",
        discussion: """
            --method reference (the default) changes no weight: the samples choose, by leave-one-out error, the device the             model knows whose predictions map best onto the new device's (an offset, or an offset and a scale, in log time),             and the model answers for the new device through that map. --method finetune trains a new device embedding             (and with --tune head the time head) on the samples. The device may be one clusters/devices.yaml does not know;             its specs are then unknown and the model relies on the samples.
            """)

    @Option(help: "Model directory to start from.")
    var model: String

    @Option(help: "Samples: CSV with an 'arch' column and one latency column (ms).")
    var samples: String

    @Option(help: "Name of the device (a catalog name, or a new name).")
    var device: String

    @Option(help: "Output model directory.")
    var out: String

    @Option(help: "How to adapt: \(Adaptation.Method.allCases.map(\.rawValue).joined(separator: " | ")).")
    var method: Adaptation.Method = .reference

    @Option(help: "With --method finetune, what to tune besides the device's embedding: embedding | head.")
    var tune: Adaptation.Tune = .head

    @Option(help: "With --method finetune, optimization steps.")
    var steps: Int = 150

    @Option(help: "Device catalog.")
    var catalog: String = "clusters/devices.yaml"

    func validate() throws {
        if steps < 1 { throw ValidationError("--steps must be positive") }
        if device.isEmpty { throw ValidationError("--device must not be empty") }
    }

    func run() throws {
        try guardedPerf {
            let (net, training) = try Checkpoint.load(model)
            let cat = try DeviceCatalog.load(path: catalog)
            let table = try CSVTable(text: TextFile.read(samples), path: samples)
            let columns = table.header.filter { $0 != "arch" && $0 != "arch_index" }
            guard columns.count == 1 else {
                throw InputError(file: samples, line: 1, reason: "needs exactly one device column besides arch/arch_index, found \(columns.count): \(columns.joined(separator: ", "))")
            }
            // Read the samples as a latency table whose one column is the named device.
            let data = try PerfDataset.nb201(path: samples, catalog: cat, device: device)
            let spec = cat[device]
            let batch = data.samples.first?.batchSize ?? 1
            guard !data.samples.isEmpty else { throw InputError(file: samples, reason: "no samples with a latency") }
            var options = Adaptation.Options()
            options.steps = steps
            options.tune = tune
            // Before adapting, a device the model cannot place (no specs, never trained on) has no prediction.
            let before = !net.canPredict(device, catalog: cat) ? nil
                : try AccuracyReport(model: net.clone(), name: "before", data: data, samples: Array(data.samples.indices), catalog: cat)
            let how: String
            switch method {
            case .finetune:
                let loss = try Adaptation.adapt(net, data: data, samples: Array(data.samples.indices), device: device,
                                                vector: DeviceFeatures.vector(spec), catalog: cat, options: options)
                how = "fine-tuned (\(tune.rawValue)), final loss \(String(format: "%.4f", loss))"
            case .reference:
                let r: DeviceReference
                do { r = try Adaptation.reference(net, data: data, samples: Array(data.samples.indices), device: device, catalog: cat) } catch let e as Adaptation.ReferenceError {
                    throw InputError(file: samples, reason: e.reason)
                }
                how = "by reference to \(r.reference == device ? "its own specs" : r.reference): ln t = \(String(format: "%.4f", r.offset)) + \(String(format: "%.4f", r.scale)) · ln t(\(r.reference)), leave-one-out error \(String(format: "%.4f", r.leaveOneOutError)) in ln time"
                    + (r.intervalHalfWidth.map { String(format: "; 90%% interval ×/÷ %.3f", Foundation.exp($0)) } ?? "; no interval (fewer than 9 samples)")
            }
            let after = try AccuracyReport(model: net, name: "after", data: data, samples: Array(data.samples.indices), catalog: cat)
            print("adapted to \(device)\(spec == nil ? " (not in the catalog: specs unknown)" : "") from \(data.samples.count) samples at batch \(batch), \(how)")
            if let before {
                print(String(format: "on these samples: MAPE %.2f%% → %.2f%%, Spearman ρ %.3f → %.3f", before.overall.mape, after.overall.mape, before.overall.spearman, after.overall.spearman))
            } else {
                print(String(format: "on these samples after adapting: MAPE %.2f%%, Spearman ρ %.3f (no prediction before: the model could not place the device)", after.overall.mape, after.overall.spearman))
            }
            var record = training
            record?.split += "; adapted to \(device) from \(samples)"
            try Checkpoint.save(net, to: out, training: record)
            print("model written to \(out)")
        }
    }
}
