@testable import PerfModels
import Testing

/// ``ValidationSelection``: what a training run's early stopping and kept weights watch.
@Suite struct ValidationSelectionTests {
    /// `families` is the mean over families of each family's median APE; `pooled` the median over
    /// every sample; a family of many samples decides the second alone, not the first.
    @Test func familiesWeighEquallyAndPooledBySampleCount() throws {
        var data = try PerfFixtures.dataset()
        for g in data.info.indices where g % 4 == 0 { data.info[g].family = "small" }
        let catalog = try PerfFixtures.catalog.get()
        let model = try PerfFixtures.model(.seernet, data: data)
        let samples = Array(data.samples.indices)
        let v = try Trainer.validate(model, data, samples, catalog: catalog)
        let predictions = try model.predict(data, samples: samples, catalog: catalog, products: .blas)
        var byFamily: [String: (p: [Double], y: [Double])] = [:]
        var all: (p: [Double], y: [Double]) = ([], [])
        for (i, p) in zip(samples, predictions) {
            guard let y = data.samples[i].time, let t = p.time else { continue }
            byFamily[data.info[data.samples[i].graph].family, default: ([], [])].p.append(t)
            byFamily[data.info[data.samples[i].graph].family]!.y.append(y)
            all.p.append(t)
            all.y.append(y)
        }
        #expect(byFamily.count >= 2)
        let medians = byFamily.keys.sorted().map { AccuracyMetrics(predicted: byFamily[$0]!.p, measured: byFamily[$0]!.y).medianAPE }
        let familyMean = medians.reduce(0, +) / Double(medians.count)
        #expect(v.timeFamilyMedianAPE == familyMean)
        #expect(v.timeMedianAPE == AccuracyMetrics(predicted: all.p, measured: all.y).medianAPE)
        #expect(v.metric(.families) == familyMean, "no memory target: time alone")
        #expect(v.metric(.pooled) == v.timeMedianAPE)
        #expect(Set(medians).count > 1, "the fixture's families are fitted differently, so the figures differ")
    }

    /// Nothing validated: both figures are 0 (no run stops on an empty validation split).
    @Test func emptyValidationGivesZero() {
        let v = Trainer.ValidationErrors()
        #expect(v.metric(.pooled) == 0 && v.metric(.families) == 0)
    }
}
