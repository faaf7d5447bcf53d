import Foundation

/// Work spread over all cores with results in input order, so what is built does not depend on
/// scheduling: dataset loaders build graphs with it, the featurizer featurizes batches of graphs,
/// and a model predicts its batches.
enum Parallel {
    /// `build(0..<count)` in parallel; `build(i)` must be thread-safe. One item runs inline.
    static func map<T: Sendable>(_ count: Int, _ build: @Sendable (Int) -> T) -> [T] {
        if count <= 1 { return (0..<count).map(build) }
        let box = Slots<T>(count)
        DispatchQueue.concurrentPerform(iterations: count) { i in
            let r = build(i)
            box.lock.lock()
            box.results[i] = r
            box.lock.unlock()
        }
        return box.results.map { $0! }
    }

    /// ``map(_:_:)`` for a build that may fail: the first failure in input order is thrown.
    static func map<T: Sendable>(_ count: Int, _ build: @Sendable (Int) throws -> T) throws -> [T] {
        try map(count) { i in Result { try build(i) } }.map { try $0.get() }
    }

    /// The slots `map` fills from several threads, one lock around them.
    final class Slots<T>: @unchecked Sendable {
        var results: [T?]
        let lock = NSLock()
        init(_ n: Int) { results = Array(repeating: nil, count: n) }
    }
}
