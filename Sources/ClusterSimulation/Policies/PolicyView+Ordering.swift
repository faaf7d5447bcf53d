import ClusterKit

extension PolicyView {
    /// Sorts jobs by a key ascending; ties go to the earlier job (lower index = earlier submit).
    public func ordered(_ jobs: [Int], by key: (Int) -> Double) -> [Int] {
        jobs.map { (key($0), $0) }.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map(\.1)
    }

    /// Sorts jobs by their key curves now, compared exactly (`KeyCurve.compare`); ties go to
    /// the earlier job. The order of policies whose keys move with time.
    public func ordered(_ jobs: [Int], byCurve curve: (Int) -> KeyCurve) -> [Int] {
        KeyCurve.sortedExactly(jobs.map { (job: $0, curve: curve($0)) }, at: now).map(\.job)
    }
}
