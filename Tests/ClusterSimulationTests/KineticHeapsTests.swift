import AugurCore
import ClusterKit
import Testing
@testable import ClusterSimulation

/// The kinetic waiting queue reads jobs in the order a sort of their keys now would give.
@Suite struct KineticHeapsTests {
    /// A random line or hyperbola, as finish-time fairness and max-min fairness make them.
    static func curve(_ rng: inout SeededGenerator, at t: SimTime) -> KeyCurve {
        let origin = t - SimTime(seconds: Double(rng.next() % 100_000))
        switch rng.next() % 5 {
        case 4:
            // Ran all its life: its share is exactly 1 now, as other such jobs' are (a tie now).
            return KeyCurve(origin: origin, a: 0, b: (t - origin).seconds, c: 1, d: 0, minimumAge: 1)
        case 0: return KeyCurve(origin: origin, a: -1, b: -Double(rng.next() % 50_000), c: 0, d: 1 + Double(rng.next() % 90_000))
        case 1: return KeyCurve(origin: origin, a: 0, b: Double(rng.next() % 1000), c: Double(1 + rng.next() % 8), d: 0, minimumAge: 1)
        case 2: return .constant(Double(rng.next() % 3))
        default: return KeyCurve(origin: origin, a: -1, b: -Double(rng.next() % 50_000), c: 0, d: 1 + Double(rng.next() % 3))
        }
    }

    /// Every class read through `first(of:)` and `first(of:after:)` at each step.
    static func readOrder(_ heaps: KineticHeaps, class c: Int) -> [Int] {
        var out: [Int] = []
        var e = heaps.first(of: c)
        while let x = e {
            out.append(x.job)
            e = heaps.first(of: c, after: x)
        }
        return out
    }

    /// Jobs sorted by their curves at `t`, compared exactly, ties to the lower index.
    static func exactOrder(_ jobs: [Int], _ curves: [KeyCurve?], at t: SimTime) -> [Int] {
        jobs.sorted { KeyCurve.precedes(curves[$0]!, job: $0, curves[$1]!, job: $1, at: t) }
    }

    @Test(arguments: [1 as UInt64, 2, 3, 4])
    func readsJobsInTheOrderOfTheirKeysNow(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let jobs = 400
        var heaps = KineticHeaps(jobs: jobs)
        heaps.addClass()
        heaps.addClass()
        var curves = [KeyCurve?](repeating: nil, count: jobs)
        var classOf = [Int](repeating: 0, count: jobs)
        var t = SimTime(seconds: 200_000)
        for _ in 0..<3000 {
            t = t + SimTime(microseconds: Int64(rng.next() % 3_000_000_000))
            let j = Int(rng.next() % UInt64(jobs))
            if curves[j] == nil {
                curves[j] = Self.curve(&rng, at: t)
                classOf[j] = Int(rng.next() % 2)
                heaps.insert(j, class: classOf[j], key: curves[j]!, at: t)
            } else {
                heaps.remove(j, at: t)
                curves[j] = nil
            }
            if rng.next() % 10 == 0 {
                heaps.advance(to: t)
                #expect(heaps.isInOrder())
                for c in 0..<2 {
                    let expected = Self.exactOrder(curves.indices.filter { curves[$0] != nil && classOf[$0] == c }, curves, at: t)
                    #expect(Self.readOrder(heaps, class: c) == expected)
                }
            }
        }
        #expect(heaps.swaps > 0)
    }

    @Test func aLineOvertakesAnotherAtTheMicrosecondItsKeyDoes() {
        var heaps = KineticHeaps(jobs: 2)
        heaps.addClass()
        // Job 0: −(t + 100) / 1000; job 1: −(t + 0) / 10. They cross at t = 100/99 s.
        let c0 = KeyCurve(origin: .zero, a: -1, b: -100, c: 0, d: 1000)
        let c1 = KeyCurve(origin: .zero, a: -1, b: 0, c: 0, d: 10)
        heaps.insert(0, class: 0, key: c0, at: .zero)
        heaps.insert(1, class: 0, key: c1, at: .zero)
        #expect(heaps.first(of: 0)?.job == 0)
        var t = SimTime(seconds: 1.01)
        while c0.value(at: t) < c1.value(at: t) || (c0.value(at: t) == c1.value(at: t)) { t = t + SimTime(microseconds: 1) }
        heaps.advance(to: t - SimTime(microseconds: 1))
        #expect(heaps.first(of: 0)?.job == 0)
        heaps.advance(to: t)
        #expect(heaps.first(of: 0)?.job == 1)
    }

    /// Two jobs submitted together with isolated times one ulp apart (seen in ITP): in doubles
    /// their keys tie and untie from one microsecond to the next; compared exactly, the one
    /// with the shorter isolated time goes first from the first microsecond on, and stays.
    @Test func nearlyEqualKeysKeepOneOrder() {
        let origin = SimTime(seconds: 572_222)
        let longer = KeyCurve(origin: origin, a: -1, b: -8157, c: 0, d: 8157)
        let shorter = KeyCurve(origin: origin, a: -1, b: -8156.999999999999, c: 0, d: 8156.999999999999)
        var heaps = KineticHeaps(jobs: 2)
        heaps.addClass()
        heaps.insert(0, class: 0, key: longer, at: origin)
        heaps.insert(1, class: 0, key: shorter, at: origin)
        #expect(heaps.first(of: 0)?.job == 0)
        var flips = 0, t = origin
        var wasTied = true
        for step in 0..<2000 {
            t = t + SimTime(microseconds: Int64(1 + step * 997))
            heaps.advance(to: t)
            #expect(heaps.first(of: 0)?.job == 1)
            let tied = longer.value(at: t) == shorter.value(at: t)
            if tied != wasTied { flips += 1 }
            wasTied = tied
        }
        // The doubles did tie and untie: the case is real.
        #expect(flips > 1)
    }
}
