#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// A small, dependency-free SVG chart: axes with ticks (linear or log), lines, points, bars and
/// a legend. Output is deterministic text (fixed number formatting), for self-contained reports.
struct SVGPlot {
    var title: String
    var xLabel: String
    var yLabel: String
    var xLog = false
    var yLog = false
    var xRange: ClosedRange<Double>
    var yRange: ClosedRange<Double>
    var width = 620.0
    var height = 340.0
    var left = 64.0, right = 16.0, top = 30.0, bottom = 46.0
    var body: [String] = []
    var legend: [(String, String)] = []
    /// Category names under the x axis, replacing numeric ticks (bar charts).
    var categories: [String]? = nil

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    init(title: String, xLabel: String, yLabel: String, x: ClosedRange<Double>, y: ClosedRange<Double>, xLog: Bool = false, yLog: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xLog = xLog
        self.yLog = yLog
        self.xRange = Self.padded(x, log: xLog)
        self.yRange = Self.padded(y, log: yLog)
    }

    static func padded(_ r: ClosedRange<Double>, log: Bool) -> ClosedRange<Double> {
        var lo = r.lowerBound, hi = r.upperBound
        if log { lo = max(lo, 1e-12); hi = max(hi, lo * 1.0001) }
        if !(lo.isFinite && hi.isFinite) { return 0...1 }
        if hi <= lo { hi = lo == 0 ? 1 : lo + abs(lo) * 0.1 }
        return lo...hi
    }

    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }

    func px(_ v: Double) -> Double {
        let (a, b, x) = xLog ? (log10(xRange.lowerBound), log10(xRange.upperBound), log10(max(v, 1e-300))) : (xRange.lowerBound, xRange.upperBound, v)
        return left + (x - a) / (b - a) * plotWidth
    }

    func py(_ v: Double) -> Double {
        let (a, b, y) = yLog ? (log10(yRange.lowerBound), log10(yRange.upperBound), log10(max(v, 1e-300))) : (yRange.lowerBound, yRange.upperBound, v)
        return top + plotHeight - (y - a) / (b - a) * plotHeight
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    mutating func line(_ points: [(Double, Double)], color: String, width w: Double = 1.8, dash: Bool = false) {
        let visible = points.filter { $0.0.isFinite && $0.1.isFinite && (!xLog || $0.0 > 0) && (!yLog || $0.1 > 0) }
        guard visible.count > 1 else { return }
        let d = visible.map { "\(Self.f(px($0.0))),\(Self.f(py($0.1)))" }.joined(separator: " ")
        body.append("<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(w)\"\(dash ? " stroke-dasharray=\"5,4\"" : "") points=\"\(d)\"/>")
    }

    mutating func point(_ x: Double, _ y: Double, color: String, radius: Double = 2.5, label: String? = nil, opacity: Double = 0.6) {
        guard x.isFinite, y.isFinite, !xLog || x > 0, !yLog || y > 0 else { return }
        let tip = label.map { "<title>\(Self.escape($0))</title>" } ?? ""
        body.append("<circle cx=\"\(Self.f(px(x)))\" cy=\"\(Self.f(py(y)))\" r=\"\(radius)\" fill=\"\(color)\" fill-opacity=\"\(opacity)\">\(tip)</circle>")
    }

    mutating func text(_ x: Double, _ y: Double, _ s: String, size: Int = 10, anchor: String = "start") {
        body.append("<text x=\"\(Self.f(px(x)))\" y=\"\(Self.f(py(y)))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\">\(Self.escape(s))</text>")
    }

    /// A rectangle in data coordinates (x0...x1, y0...y1).
    mutating func rect(x0: Double, x1: Double, y0: Double, y1: Double, color: String, label: String? = nil) {
        let a = px(x0), b = px(x1), c = py(y1), d = py(y0)
        let tip = label.map { "<title>\(Self.escape($0))</title>" } ?? ""
        body.append("<rect x=\"\(Self.f(min(a, b)))\" y=\"\(Self.f(min(c, d)))\" width=\"\(Self.f(abs(b - a)))\" height=\"\(Self.f(abs(d - c)))\" fill=\"\(color)\">\(tip)</rect>")
    }

    /// A vertical error bar at x from y0 to y1.
    mutating func whisker(x: Double, y0: Double, y1: Double) {
        guard y0.isFinite, y1.isFinite, y1 > y0 else { return }
        let cx = px(x), a = py(y0), b = py(y1)
        body.append("<path d=\"M\(Self.f(cx)),\(Self.f(a))V\(Self.f(b))M\(Self.f(cx - 3)),\(Self.f(a))H\(Self.f(cx + 3))M\(Self.f(cx - 3)),\(Self.f(b))H\(Self.f(cx + 3))\" stroke=\"#222\" fill=\"none\"/>")
    }

    static func ticks(_ r: ClosedRange<Double>, log isLog: Bool) -> [Double] {
        if isLog {
            let a = Int(floor(log10(r.lowerBound))), b = Int(ceil(log10(r.upperBound)))
            var out: [Double] = []
            let steps: [Double] = b - a <= 2 ? [1, 2, 5] : [1]
            for e in a...b { for s in steps { let v = s * pow(10, Double(e)); if r.contains(v) { out.append(v) } } }
            return out
        }
        let span = r.upperBound - r.lowerBound
        let raw = span / 5
        let mag = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? raw
        var v = ceil(r.lowerBound / step) * step
        var out: [Double] = []
        while v <= r.upperBound + step * 1e-9 { out.append(abs(v) < step * 1e-9 ? 0 : v); v += step }
        return out
    }

    static func tickLabel(_ v: Double) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e6 || a < 1e-3 { return String(format: "%.0e", v) }
        if a >= 100 || v == v.rounded() { return String(format: "%.0f", v) }
        if a >= 1 { return String(format: "%.1f", v) }
        var s = String(format: "%.3f", v)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }

    func render() -> String {
        var out = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height + Double(legendRows) * 16))\" viewBox=\"0 0 \(Int(width)) \(Int(height + Double(legendRows) * 16))\" font-family=\"sans-serif\">"]
        out.append("<text x=\"\(Self.f(left))\" y=\"18\" font-size=\"13\" font-weight=\"bold\">\(Self.escape(title))</text>")
        out.append("<rect x=\"\(Self.f(left))\" y=\"\(Self.f(top))\" width=\"\(Self.f(plotWidth))\" height=\"\(Self.f(plotHeight))\" fill=\"#fafafa\" stroke=\"#999\"/>")
        for t in Self.ticks(yRange, log: yLog) {
            let y = py(t)
            out.append("<line x1=\"\(Self.f(left))\" x2=\"\(Self.f(left + plotWidth))\" y1=\"\(Self.f(y))\" y2=\"\(Self.f(y))\" stroke=\"#e3e3e3\"/>")
            out.append("<text x=\"\(Self.f(left - 5))\" y=\"\(Self.f(y + 3))\" font-size=\"10\" text-anchor=\"end\">\(Self.tickLabel(t))</text>")
        }
        if let categories {
            for (i, c) in categories.enumerated() {
                out.append("<text x=\"\(Self.f(px(Double(i) + 0.5)))\" y=\"\(Self.f(top + plotHeight + 14))\" font-size=\"10\" text-anchor=\"middle\">\(Self.escape(c))</text>")
            }
        } else {
            for t in Self.ticks(xRange, log: xLog) {
                let x = px(t)
                out.append("<line x1=\"\(Self.f(x))\" x2=\"\(Self.f(x))\" y1=\"\(Self.f(top))\" y2=\"\(Self.f(top + plotHeight))\" stroke=\"#e3e3e3\"/>")
                out.append("<text x=\"\(Self.f(x))\" y=\"\(Self.f(top + plotHeight + 14))\" font-size=\"10\" text-anchor=\"middle\">\(Self.tickLabel(t))</text>")
            }
        }
        out.append(contentsOf: body)
        out.append("<text x=\"\(Self.f(left + plotWidth / 2))\" y=\"\(Self.f(height - 12))\" font-size=\"11\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>")
        out.append("<text transform=\"translate(14,\(Self.f(top + plotHeight / 2))) rotate(-90)\" font-size=\"11\" text-anchor=\"middle\">\(Self.escape(yLabel))</text>")
        for (i, (name, color)) in legend.enumerated() {
            let col = i % legendColumns, row = i / legendColumns
            let x = left + Double(col) * (plotWidth / Double(legendColumns)), y = height + Double(row) * 16
            out.append("<rect x=\"\(Self.f(x))\" y=\"\(Self.f(y - 9))\" width=\"12\" height=\"10\" fill=\"\(color)\"/>")
            out.append("<text x=\"\(Self.f(x + 16))\" y=\"\(Self.f(y))\" font-size=\"11\">\(Self.escape(name))</text>")
        }
        out.append("</svg>")
        return out.joined(separator: "\n")
    }

    var legendColumns: Int { 3 }
    var legendRows: Int { (legend.count + legendColumns - 1) / legendColumns }
}
