import ClusterKit
import Foundation
import ModelGraph

extension PredictorStudies {
    /// How accurate can any predictor of the NAS-Bench-201 graphs be on this table? Per device
    /// column, an encoding regression (``CellEncodingRidge``: each edge's operation and every
    /// pair of edges' operations, 406 features, ridge in ln time) is fitted on a seeded random
    /// 80% of the architectures and judged on the rest. It can represent any function of the
    /// cell up to pairwise interactions, with a column to itself, so what it leaves is close to
    /// what the graph cannot explain. Its residuals are then read in the table's row order
    /// (`arch_index`, the order of measurement): a lag-1 autocorrelation well above 0 means
    /// neighbouring measurements share an error, i.e. the device drifted during the session.
    /// The last column removes that drift (each test residual less the median residual of the
    /// 50 nearest training rows in row order): information from the measurement session, not
    /// the graph, so it is no predictor, only a measure of how much of the error is drift.
    public static func nb201Noise(root: DataRoot, options: StudyOptions) throws -> StudyOutcome {
        let path = root.nb201Latency
        let table = try CSVTable(text: TextFile.read(path), path: path)
        let cArch = try table.column("arch")
        let rows = table.rows.enumerated().filter { $0.offset % max(options.stride, 1) == 0 }.map(\.element)
        let archs = try rows.map { row in
            let text = String(try row.string(cArch, "arch", in: table))
            do { return try NB201Architecture(text) } catch {
                throw InputError(file: path, line: row.line, field: "arch", reason: "\(error)")
            }
        }
        let columns = table.header.indices.filter { !["arch", "arch_index"].contains(table.header[$0]) }
        let active = archs.map(CellEncodingRidge.activeFeatures)
        var generator = SeededGenerator(seed: options.seed, stream: "nb201-noise")
        let isTest = Dictionary(uniqueKeysWithValues: Array(rows.indices).shuffled(using: &generator).enumerated().map { ($0.element, $0.offset < rows.count / 5) })
        var md = "Noise floor of the NAS-Bench-201 latency table: per device column, a ridge regression on the cell encoding (each edge's operation and each pair of edges' operations, \(CellEncodingRidge.width) features) fitted on \(rows.count - rows.count / 5) architectures and judged on \(rows.count / 5) (seed \(options.seed)). Times under 1% of the column's median are dropped as damaged.\n\n"
        md += "| device column | test n | MAPE % | median APE % | ±10% | Spearman ρ | lag-1 autocorrelation of residuals in row order | MAPE % with the drift removed | integer ms? |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n"
        var means: [[Double]] = []
        var figures: [String: Double] = [:]
        for c in columns {
            let header = table.header[c]
            var ms = [Double](repeating: .nan, count: rows.count)
            for (i, row) in rows.enumerated() {
                if let v = try PerfDataset.latency(row, c, header, in: table, path: path) { ms[i] = v }
            }
            let present = ms.filter(\.isFinite).sorted()
            guard !present.isEmpty else { continue }
            let floor = PerfDataset.damageThreshold(present)
            let usable = ms.indices.filter { ms[$0].isFinite && ms[$0] >= floor }
            let train = usable.filter { !isTest[$0]! }, test = usable.filter { isTest[$0]! }
            let ridge = CellEncodingRidge(active: train.map { active[$0] }, target: train.map { Foundation.log(ms[$0]) })
            let residual = usable.map { Foundation.log(ms[$0]) - ridge.predict(active[$0]) }
            let byRow = Dictionary(uniqueKeysWithValues: zip(usable, residual))
            let metrics = AccuracyMetrics(predicted: test.map { Foundation.exp(ridge.predict(active[$0])) }, measured: test.map { ms[$0] })
            // Drift: residuals of the 50 nearest training rows in row order.
            let trainRows = train
            let corrected = test.map { i -> Double in
                let at = lowerBound(trainRows, i)
                let neighbours = trainRows[max(0, at - 25)..<min(trainRows.count, at + 25)].map { byRow[$0]! }.sorted()
                let drift = neighbours.isEmpty ? 0 : neighbours[neighbours.count / 2]
                return Foundation.exp(ridge.predict(active[i]) + drift)
            }
            let driftless = AccuracyMetrics(predicted: corrected, measured: test.map { ms[$0] })
            let lag1 = AccuracyMetrics.pearson(Array(residual.dropLast()), Array(residual.dropFirst()))
            let integral = present.allSatisfy { $0 == $0.rounded() }
            md += "| \(header) | \(test.count) | \(format(metrics.mape)) | \(format(metrics.medianAPE)) | \(format(100 * metrics.within10, 1))% | \(format(metrics.spearman, 3)) | \(format(lag1, 2)) | \(format(driftless.mape)) | \(integral ? "yes (smallest \(format(present[0], 0)) ms)" : "no") |\n"
            means.append([metrics.mape, metrics.medianAPE, 100 * metrics.within10, metrics.spearman, lag1, driftless.mape])
            figures["\(header).mape"] = metrics.mape
            figures["\(header).lag1"] = lag1
            options.log("  \(header): encoding ridge MAPE \(format(metrics.mape))%, lag-1 autocorrelation \(format(lag1)), without drift \(format(driftless.mape))%")
        }
        let mean = (0..<6).map { k in means.map { $0[k] }.reduce(0, +) / Double(max(means.count, 1)) }
        md += "| **mean** | | \(format(mean[0])) | \(format(mean[1])) | \(format(mean[2], 1))% | \(format(mean[3], 3)) | \(format(mean[4], 2)) | \(format(mean[5])) | |"
        // Row order is not an order of architectures: neighbours share no more edges than strangers.
        func shared(_ a: Int, _ b: Int) -> Double { Double(zip(active[a].dropFirst().prefix(6), active[b].dropFirst().prefix(6)).filter { $0 == $1 }.count) }
        let neighbours = (0..<(rows.count - 1)).map { shared($0, $0 + 1) }.reduce(0, +) / Double(max(rows.count - 1, 1))
        let strangers = (0..<rows.count).map { shared($0, ($0 * 7919 + 13) % rows.count) }.reduce(0, +) / Double(max(rows.count, 1))
        md += "\n\nNeighbouring rows share \(format(neighbours)) of their 6 edge operations on average; pseudo-random pairs (row i and row 7,919·i + 13, modulo the row count) share \(format(strangers)). The row order is not an order of architectures, so residuals correlated along it are drift of the measurement session, not structure a model of the graph could learn."
        figures["neighbourSharedEdges"] = neighbours
        figures["meanMAPE"] = mean[0]
        figures["meanWithin10"] = mean[2]
        figures["meanDriftlessMAPE"] = mean[5]
        return StudyOutcome(markdown: md, figures: figures)
    }

    /// First index of sorted `xs` not below `x`.
    private static func lowerBound(_ xs: [Int], _ x: Int) -> Int {
        var lo = 0, hi = xs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if xs[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
