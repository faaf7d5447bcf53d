import Foundation
import Testing
@testable import PerfModels

@Suite struct EnsembleAverageTests {
    func member(_ t: Double, half h: Double, memory: Double = 1e9) -> SamplePrediction {
        var p = SamplePrediction()
        p.time = t
        p.memory = memory
        p.timeBound = 1e-3...10
        return p.withInterval(halfWidth: h)
    }

    @Test func oneMemberIsItself() {
        let p = member(0.2, half: 0.1)
        #expect(EnsembleAverage.combine([p]) == p)
    }

    @Test func timeIsTheGeometricMeanAndMemoryTheMean() throws {
        let p = EnsembleAverage.combine([member(0.1, half: 0.1, memory: 1e9), member(0.4, half: 0.1, memory: 3e9)])
        let t = try #require(p.time)
        #expect(abs(t - 0.2) < 1e-12)
        #expect(p.memory == 2e9)
    }

    @Test func disagreementWidensTheInterval() throws {
        let agree = EnsembleAverage.combine([member(0.2, half: 0.1), member(0.2, half: 0.1), member(0.2, half: 0.1)])
        let differ = EnsembleAverage.combine([member(0.1, half: 0.1), member(0.2, half: 0.1), member(0.4, half: 0.1)])
        let h0 = log(try #require(agree.timeUpper) / 0.2)
        #expect(abs(h0 - 0.1) < 1e-9)
        let t = try #require(differ.time)
        let h1 = log(try #require(differ.timeUpper) / t)
        // ln times −ln 5 ± ln 2: standard deviation ln 2, so 0.1 + 1.6449·ln 2.
        #expect(abs(h1 - (0.1 + EnsembleAverage.spreadQuantile * log(2))) < 1e-9)
        #expect(try #require(differ.timeLower) < t)
    }

    @Test func aMemberWithoutTimeLeavesNoTime() {
        var missing = SamplePrediction()
        missing.memory = 1e9
        let p = EnsembleAverage.combine([member(0.2, half: 0.1), missing])
        #expect(p.time == nil)
        #expect(p.timeUpper == nil)
    }
}
