/// Combining and replicating traces, for scale runs (`augur bench sim --scale`).
extension Trace {
    /// The jobs of several traces as one trace, sorted by submit time (ties keep the order of
    /// `traces`, then file order). Ids are kept as they are.
    public static func concatenating(_ traces: [Trace], name: String, source: String) -> Trace {
        Trace(name: name, source: source, jobs: traces.flatMap(\.jobs), dropped: traces.reduce(0) { $0 + $1.dropped })
    }

    /// The trace `copies` times over, every copy with the same submit times; copy k > 0 has
    /// `#k` appended to its job ids. Jobs submitted together keep copy order.
    public func replicated(_ copies: Int) -> Trace {
        precondition(copies >= 1, "copies must be positive")
        guard copies > 1 else { return self }
        let all = (0..<copies).flatMap { k in
            jobs.map { job -> Job in
                var j = job
                if k > 0 { j.id += "#\(k)" }
                return j
            }
        }
        return Trace(name: "\(name)x\(copies)", source: source, jobs: all, dropped: dropped * copies)
    }
}
