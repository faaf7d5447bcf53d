import ClusterKit
import Foundation
import Testing

/// The contract every `PerformancePredictor` keeps, as one checker its tests call:
///
/// - one answer per query, in query order; no queries, no answers;
/// - every answer usable by a policy (`PerformanceEstimate.invalidReason` is nil: a positive
///   finite time, non-negative memory, finite ordered intervals), memory positive when stated
///   and SM utilization in (0, 1] when stated;
/// - deterministic: the same answers on every call, and from a fresh instance when a factory is
///   given;
/// - a function of the query alone: asked one at a time (first to last and last to first), in
///   reversed order, in batches of 2, 3, 5 and 7, in a shuffled order (seeded) in batches of five,
///   with a duplicate in the batch, the answers are the same bits;
/// - thread-safe: several threads asking one instance at once, each an overlapping slice, get
///   the same bits, and the instance answers the same afterwards.
///
/// Which queries a predictor answers (nil for unknown models or devices) is its own; its tests
/// check that next to this.
public enum PredictorContract {
    /// The violations of the contract by `predictor` on `queries` (empty when it keeps it).
    /// `fresh` makes a new instance configured like `predictor`; with it, answers from fresh
    /// instances are compared too. `threads` concurrent callers; `seed` for the shuffled order.
    public static func check(_ predictor: any PerformancePredictor, queries: [PerformanceQuery],
                             fresh: (() throws -> any PerformancePredictor)? = nil,
                             threads: Int = 8, seed: UInt64 = 1) throws -> [ContractViolation] {
        var out: [ContractViolation] = []
        let name = predictor.name
        func fail(_ rule: String, _ detail: String) { out.append(ContractViolation(rule: rule, detail: "\(name): \(detail)")) }
        func describe(_ q: PerformanceQuery) -> String { "\(q.config) on \(q.device)" }

        let answers = predictor.estimate(queries)
        guard answers.count == queries.count else {
            fail("one answer per query", "\(answers.count) answers to \(queries.count) queries")
            return out
        }
        let empty = predictor.estimate([])
        if !empty.isEmpty { fail("one answer per query", "\(empty.count) answers to no queries") }

        for (q, a) in zip(queries, answers) {
            guard let e = a else { continue }
            if let why = e.invalidReason { fail("answers are usable", "\(describe(q)): \(why)") }
            if let m = e.peakMemoryBytes, m <= 0 { fail("memory is positive when stated", "\(describe(q)): \(m) bytes") }
            if let u = e.smUtilization, !(u > 0 && u <= 1) { fail("utilization is in (0, 1] when stated", "\(describe(q)): \(u)") }
        }

        /// Compares answers to `answers` at the given query indices.
        func same(_ rule: String, _ got: [PerformanceEstimate?], at indices: [Int]) {
            guard got.count == indices.count else {
                fail(rule, "\(got.count) answers to \(indices.count) queries")
                return
            }
            for (i, g) in zip(indices, got) where g != answers[i] {
                fail(rule, "\(describe(queries[i])): \(String(describing: g)) vs \(String(describing: answers[i]))")
                return
            }
        }
        let all = Array(queries.indices)

        same("deterministic across calls", predictor.estimate(queries), at: all)
        same("answers in query order: one at a time", queries.map { predictor.estimate([$0]).first ?? nil }, at: all)
        same("answers in query order: reversed", Array(predictor.estimate(queries.reversed()).reversed()), at: all)
        for size in [2, 3, 5, 7] {
            var batched: [PerformanceEstimate?] = []
            for start in Swift.stride(from: 0, to: queries.count, by: size) {
                batched += predictor.estimate(Array(queries[start..<min(start + size, queries.count)]))
            }
            same("independent of batch composition: batches of \(size)", batched, at: all)
        }
        if queries.count >= 2 {
            let dup = predictor.estimate([queries[0], queries[1], queries[0]])
            same("independent of batch composition: a duplicate in the batch", dup, at: [0, 1, 0])
        }
        // A shuffled order (seeded), in batches of five.
        func shuffledBatches(_ p: any PerformancePredictor, _ rule: String) {
            var rng = SeededGenerator(seed: seed, stream: "predictor-contract")
            let order = queries.indices.shuffled(using: &rng)
            var got: [PerformanceEstimate?] = []
            for start in Swift.stride(from: 0, to: order.count, by: 5) {
                got += p.estimate(order[start..<min(start + 5, order.count)].map { queries[$0] })
            }
            same(rule, got, at: order)
        }
        shuffledBatches(predictor, "independent of batch composition: shuffled, batches of five")

        if let fresh {
            let alone = try fresh()
            let lastFirst = queries.indices.reversed().map { alone.estimate([queries[$0]]).first ?? nil }
            same("deterministic across instances: one at a time, last first", Array(lastFirst.reversed()), at: all)
            shuffledBatches(try fresh(), "deterministic across instances: shuffled, batches of five")
        }

        // Several threads at once on one instance, each with its own overlapping slice.
        let shared = try fresh?() ?? predictor
        let results = Locked([[PerformanceEstimate?]](repeating: [], count: threads))
        let snapshot = queries
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let mine = snapshot.indices.filter { ($0 + t) % 3 != 0 }
            let got = shared.estimate(mine.map { snapshot[$0] })
            results.update { $0[t] = got }
        }
        for (t, got) in results.value.enumerated() {
            same("thread-safe: thread \(t) of \(threads)", got, at: queries.indices.filter { ($0 + t) % 3 != 0 })
        }
        same("thread-safe: the shared instance afterwards", shared.estimate(queries), at: all)
        return out
    }
}

extension PredictorContract {
    /// `check`, recording one Swift Testing issue per violation.
    public static func expect(_ predictor: any PerformancePredictor, queries: [PerformanceQuery],
                              fresh: (() throws -> any PerformancePredictor)? = nil,
                              threads: Int = 8, seed: UInt64 = 1,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        try check(predictor, queries: queries, fresh: fresh, threads: threads, seed: seed).expectNone(sourceLocation: sourceLocation)
    }
}
