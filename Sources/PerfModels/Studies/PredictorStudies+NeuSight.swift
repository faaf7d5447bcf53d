import ClusterKit
import Foundation

extension PredictorStudies {
    /// NeuSight's GPUs held out by default: one inside the training GPUs' range of specs and one
    /// beyond it.
    public static let neusightTestGPUs = ["Tesla_T4", "NVIDIA_A100-PCIE-40GB"]

    /// Transformers on unseen GPUs: train on the other NeuSight GPUs, test on `testGPUs` (no
    /// sample of theirs is seen) as `options.unseenDevices` says (``UnseenDeviceRule``); MAPE per model. EAGAT is trained with
    /// the mixed operator + model loss (SLAPP) in two forms: whole-model time from the readout,
    /// and as the sum of its operator predictions.
    public static func neusight(root: DataRoot, catalog: DeviceCatalog, options: StudyOptions,
                                testGPUs: [String] = neusightTestGPUs) throws -> StudyOutcome {
        let data = try PerfDataSource.load("neusight", options: .init(root: root, catalog: catalog))
        let testDevices = try testGPUs.map { gpu -> String in
            guard let d = catalog.device(dataset: "neusight", name: gpu) else {
                throw InputError(file: root.neusightLabels, field: gpu, reason: "GPU has no 'neusight:\(gpu)' alias in the device catalog")
            }
            return d.name
        }
        let split = DatasetSplit(data, kind: .device(test: testDevices), seed: options.seed)
        // So few whole-model samples that validation keeps them all for training.
        let trainAll = DatasetSplit(train: split.train + split.validation, validation: split.train + split.validation, test: split.test)
        func byModel(_ s: PerfSample, _ info: PerfDataset.GraphInfo) -> String {
            "\(info.model) \(s.mode == .train ? "train" : "infer") b\(s.batchSize) on \(s.device)"
        }
        var rows: [(AccuracyReport, Double?)] = []
        var figures: [String: Double] = [:]
        var variants: [(String, ModelHyper)] = []
        for kind in options.models {
            switch kind {
            case .eagat:
                variants.append(("eagat-ops", options.hyper(.eagat, operatorHead: true, timeFromOperators: true)))
                variants.append(("eagat", options.hyper(.eagat, operatorHead: true)))
            default:
                variants.append((kind.rawValue, options.hyper(kind)))
            }
        }
        for (name, hyper) in variants {
            let (model, seconds) = try trainOne(hyper, name: "neusight-\(name)", data: data, split: trainAll, catalog: catalog, options: options)
            let r = try AccuracyReport(model: model, name: name, data: data, samples: split.test, catalog: catalog, group: byModel)
            rows.append((r, seconds))
            figures["\(name).meanMAPE"] = r.deviceMean(\.mape)
        }
        for baseline in [FLOPsRegression(data, train: trainAll.train) as any SampleTimePredictor,
                         SpecRegression(data, train: trainAll.train, catalog: catalog), RooflineBaseline()] {
            let r = try AccuracyReport(baseline, data: data, samples: split.test, group: byModel)
            rows.append((r, nil))
            figures["\(baseline.name).meanMAPE"] = r.deviceMean(\.mape)
        }
        let groups = Array(Set(rows.flatMap { $0.0.devices.keys })).sorted()
        // Test samples a training GPU's measurement answers under `--unseen-device measured`.
        let measured = MeasuredEfficiencies(data, samples: trainAll.train, catalog: catalog)
        let transferred = split.test.filter { measured.nearest(data.graphs[data.samples[$0].graph], data.samples[$0], catalog: catalog) != nil }.count
        var md = "NeuSight transformers, trained on \(Array(Set(trainAll.train.map { data.samples[$0].device })).sorted().joined(separator: ", ")) (\(trainAll.train.count) whole-model samples with operator labels), tested on \(testDevices.joined(separator: " and ")) (\(split.test.count) samples), " + (options.unseenDevices == .specs
            ? "from their specs alone (`--unseen-device specs`)"
            : "from the nearest training GPU (in specs, of the same vendor, within spec distance \(format(MeasuredEfficiencies.transferDistanceLimit, 2))) that measured the same workload, where one did (\(transferred) of \(split.test.count); the models agree on those), else from their specs (`--unseen-device measured`)") + ". Absolute percentage error per workload:\n\n"
        md += "| workload | " + rows.map(\.0.predictor).joined(separator: " | ") + " |\n|---|" + rows.map { _ in "---:|" }.joined() + "\n"
        for g in groups {
            md += "| \(g) | " + rows.map { r in r.0.devices[g].map { format($0.mape, 1) } ?? "–" }.joined(separator: " | ") + " |\n"
        }
        md += "| **mean** | " + rows.map { format($0.0.deviceMean(\.mape), 1) }.joined(separator: " | ") + " |\n"
        md += "\n" + rooflineRatios(data, testDevices: testDevices, catalog: catalog)
        return StudyOutcome(markdown: md, figures: figures)
    }

    /// Per GPU, how far the measured whole-model times are from the roofline: what a model must
    /// extrapolate to GPUs it never saw.
    static func rooflineRatios(_ data: PerfDataset, testDevices: [String], catalog: DeviceCatalog) -> String {
        var ratios: [String: [Double]] = [:]
        for s in data.samples {
            guard let t = s.time, let p = s.priorTime, p > 0 else { continue }
            ratios[s.device, default: []].append(t / p)
        }
        var md = "Measured time over the roofline prior, per GPU (median and range over its workloads; unseen GPUs marked *). The last column is the MAPE of the roofline times the GPU's own median: what knowing each GPU's efficiency exactly would leave.\n\n| GPU | specs | workloads | median | min | max | MAPE at its median |\n|---|---|---:|---:|---:|---:|---:|\n"
        for d in ratios.keys.sorted() {
            let r = ratios[d]!.sorted()
            let spec = catalog[d]
            let specs = [spec?.fp32FLOPS.map { format($0 / 1e12, 1) + " TFLOP/s" }, spec?.memoryBandwidth.map { format($0 / 1e9, 0) + " GB/s" },
                         spec?.powerWatts.map { format($0, 0) + " W" }].compactMap { $0 }.joined(separator: ", ")
            let median = r[r.count / 2]
            let mape = 100 * r.reduce(0) { $0 + abs(median / $1 - 1) } / Double(r.count)
            md += "| \(d)\(testDevices.contains(d) ? " *" : "") | \(specs) | \(r.count) | \(format(median, 2)) | \(format(r.first!, 2)) | \(format(r.last!, 2)) | \(format(mape, 1)) |\n"
        }
        return md
    }
}
