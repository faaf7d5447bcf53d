import ClusterKit
import Foundation

extension PredictorStudies {
    /// How far physics alone carries to a family never seen (issue 14, 7a): the families study's
    /// GPU-benchmark families held out in turn, each answered by ``ClassRooflineRegression``
    /// fitted on the other families' GPU samples (eight utilizations by operator class and an
    /// efficiency per GPU), beside ``DeviceEfficiency`` fitted on the same samples and the plain
    /// roofline. No network is trained; then the weights fitted on every family.
    public static func classRoofline(root: DataRoot, catalog: DeviceCatalog, options: StudyOptions,
                                     sources: [String] = ["nb201", "neusight", "augur"],
                                     gpuSources: [String] = ["torchvision", "gpu-throughput"]) throws -> StudyOutcome {
        let (data, gpuGraphs, note) = try gpuStudyData(root: root, catalog: catalog, options: options, sources: sources, gpuSources: gpuSources)
        let gpuSamples = data.samples.indices.filter { data.samples[$0].graph >= gpuGraphs && data.samples[$0].time != nil }
        let families = Array(Set(gpuSamples.map { data.info[data.samples[$0].graph].family })).sorted()
        var md = note + "Each GPU-benchmark family held out in turn and answered by a roofline whose operator classes run at fitted utilizations (`ClassRooflineRegression`: `t = e^d_GPU · (Σ_c a_c·C_c + b_c·M_c + a_opt·T_opt + a_L·L)` over cuDNN, cuBLAS and other operators' compute-bound and memory times, the optimizer update and the launch overhead; eight positive weights and an efficiency per GPU, least squares in `ln t`, each family weighing the same), fitted on the other families' \(gpuSamples.count)-sample GPU data only; beside it a per-GPU efficiency over the roofline fitted on the same samples, and the roofline. No network.\n\n"
        md += "| held-out family | n | class-roofline median APE % | MAPE % | device-efficiency median APE % | MAPE % | roofline median APE % |\n|---|---:|---:|---:|---:|---:|---:|\n"
        var figures: [String: Double] = [:]
        var medians: [(class: Double, device: Double, roofline: Double)] = [], means: [(Double, Double)] = []
        for family in families {
            let test = gpuSamples.filter { data.info[data.samples[$0].graph].family == family }
            let train = gpuSamples.filter { data.info[data.samples[$0].graph].family != family }
            let measured = test.map { data.samples[$0].time! }
            func metrics(_ p: some SampleTimePredictor) throws -> AccuracyMetrics {
                let answers = try p.times(data, samples: test)
                let pairs = zip(answers, measured).compactMap { a, m in a.map { ($0, m) } }
                return AccuracyMetrics(predicted: pairs.map(\.0), measured: pairs.map(\.1))
            }
            let c = try metrics(ClassRooflineRegression(data, train: train, catalog: catalog))
            let d = try metrics(DeviceEfficiency(data, train: train, catalog: catalog))
            let r = try metrics(RooflineBaseline())
            md += "| \(family) | \(c.count) | \(format(c.medianAPE, 1)) | \(format(c.mape, 1)) | \(format(d.medianAPE, 1)) | \(format(d.mape, 1)) | \(format(r.medianAPE, 1)) |\n"
            medians.append((c.medianAPE, d.medianAPE, r.medianAPE))
            means.append((c.mape, d.mape))
            figures["\(family).classRoofline.medianAPE"] = c.medianAPE
        }
        let median = { (xs: [Double]) in DeviceEfficiency.median(xs) }
        let mean = { (xs: [Double]) in xs.reduce(0, +) / Double(max(1, xs.count)) }
        figures["classRoofline.medianOverFamilies"] = median(medians.map(\.class))
        figures["classRoofline.meanMAPE"] = mean(means.map(\.0))
        let wins = medians.filter { $0.class < $0.device && $0.class < $0.roofline }.count
        md += "\nMedian over families of the median APE / mean of the MAPE: class-roofline \(format(median(medians.map(\.class)), 1))% / \(format(mean(means.map(\.0)), 1))%; device-efficiency \(format(median(medians.map(\.device)), 1))% / \(format(mean(means.map(\.1)), 1))%; roofline \(format(median(medians.map(\.roofline)), 1))% (median APE). The class roofline beats both on \(wins) of \(families.count) families.\n"
        let all = ClassRooflineRegression(data, train: gpuSamples, catalog: catalog)
        // Weights and offsets trade a common factor; on the median GPU (offset at the median) a
        // weight of 1 is the roofline's own figure for that term.
        md += "\nFitted on every family, on the median GPU (each weight times `e^d` at the median offset; 1 is the roofline's own figure for the term, below 1 faster than it):\n\n| term | weight |\n|---|---:|\n"
        for (name, w) in zip(ClassRooflineRegression.columns, all.weights) { md += "| \(name) | \(format(w * Foundation.exp(all.pooledOffset), 3)) |\n" }
        return StudyOutcome(markdown: md, figures: figures)
    }
}
