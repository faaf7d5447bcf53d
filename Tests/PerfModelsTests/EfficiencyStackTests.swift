import Foundation
@testable import PerfModels
import Testing

@Suite struct EfficiencyStackTests {
    /// Rows of `groups` groups whose target is `0.5·x₀ − 0.2·x₁ + 0.1` plus a group offset.
    static func rows(groups: Int = 5, perGroup: Int = 12, offset: (Int) -> Double = { _ in 0 }) -> [EfficiencyStack.Row] {
        var out: [EfficiencyStack.Row] = []
        for k in 0..<groups {
            for i in 0..<perGroup {
                let x0 = Double((i * 7 + k * 3) % 11) / 5, x1 = Double((i * 5 + k) % 13) / 4
                out.append(.init(features: [x0, x1], target: 0.5 * x0 - 0.2 * x1 + 0.1 + offset(k), group: "g\(k)"))
            }
        }
        return out
    }

    @Test func recoversALinearRelation() {
        let rows = Self.rows()
        let stack = EfficiencyStack(fitting: rows, lambda: 1e-6)
        for r in rows { #expect(abs(stack.predict(r.features) - r.target) < 1e-6) }
    }

    @Test func aGroupsAnswersNeverDependOnItsOwnTargets() {
        let rows = Self.rows()
        var changed = rows
        for i in changed.indices where changed[i].group == "g2" { changed[i].target += 3 }
        let a = EfficiencyStack.crossFitted(rows), b = EfficiencyStack.crossFitted(changed)
        for (i, r) in rows.enumerated() where r.group == "g2" { #expect(a.answers[i] == b.answers[i]) }
        // Other groups saw g2's rows when fitted, so theirs move.
        #expect(zip(rows, zip(a.answers, b.answers)).contains { $0.group != "g2" && $1.0 != $1.1 })
        #expect(a.lambdas.count == 5)
    }

    @Test func eachGroupWeighsTheSame() {
        // One large group with its own offset: unweighted, it would pull the intercept toward it.
        var rows = Self.rows(groups: 4, perGroup: 10)
        for i in 0..<200 {
            let x0 = Double(i % 11) / 5, x1 = Double(i % 13) / 4
            rows.append(.init(features: [x0, x1], target: 0.5 * x0 - 0.2 * x1 + 0.1 + 1.0, group: "big"))
        }
        let stack = EfficiencyStack(fitting: rows, lambda: 1e-6)
        // Five groups weigh the same: the intercept moves by a fifth of the big group's offset.
        let shift = stack.predict([0, 0]) - 0.1
        #expect(abs(shift - 0.2) < 0.02, "shift \(shift)")
    }

    @Test func penaltyIsChosenFromTheGrid() {
        let lambda = EfficiencyStack.selectLambda(Self.rows(offset: { Double($0) * 0.01 }))
        #expect(EfficiencyStack.lambdas.contains(lambda))
    }
}

@Suite struct EfficiencyStackStudyTests {
    /// The families study's stacked column: every held-out family answered by a stack that never
    /// saw it, reported beside the network and in the figures.
    @Test func familiesTableCarriesStackedAnswers() throws {
        let catalog = try PerfFixtures.catalog.get()
        var data = try PerfFixtures.dataset(devices: ["gtx-1080ti", "titan-rtx"])
        for i in data.info.indices { data.info[i].family = "f\(i % 3)" }
        var rows: [PredictorStudies.HeldOutRow] = []
        for family in ["f0", "f1", "f2"] {
            let test = data.samples.indices.filter { data.info[data.samples[$0].graph].family == family }
            // A network that answers twice its prior: the stack learns to correct it.
            let times: [Double?] = test.map { data.samples[$0].priorTime.map { 2 * $0 } }
            let report = AccuracyReport(predictor: "seernet", data: data, samples: test, predictions: times)
            var row = PredictorStudies.HeldOutRow(label: family, model: report, roofline: report, baselines: [report], seconds: 0,
                                                  absoluteLogResiduals: [])
            row.test = test
            row.modelTimes = times
            rows.append(row)
        }
        let lambdas = PredictorStudies.stack(&rows, data: data, catalog: catalog)
        #expect(Set(lambdas.keys) == ["f0", "f1", "f2"])
        for r in rows {
            let stacked = try #require(r.stacked)
            #expect(stacked.unanswered == 0 && stacked.overall.count == r.test.count)
        }
        let (md, figures) = PredictorStudies.heldOutTable(rows, unit: "family", units: "families", kind: "seernet")
        #expect(md.contains("stacked median APE %") && md.contains("Stacked (a ridge over"))
        #expect(figures["stacked.medianOfMedians"]?.isFinite == true && figures["stacked.wins"] != nil)
    }
}
