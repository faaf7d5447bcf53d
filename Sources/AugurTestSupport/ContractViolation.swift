import Foundation
import Testing

/// One broken rule of a contract: which rule, and what was seen.
public struct ContractViolation: Sendable, Hashable, CustomStringConvertible {
    /// The rule, e.g. `one answer per query`.
    public let rule: String
    /// What broke it: the subject (predictor or policy name) and the values seen.
    public let detail: String

    public init(rule: String, detail: String) {
        self.rule = rule
        self.detail = detail
    }

    public var description: String { "\(rule): \(detail)" }
}

extension Array where Element == ContractViolation {
    /// Records one Swift Testing issue per violation, at the caller's source location.
    public func expectNone(_ context: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
        for v in self {
            Issue.record(Comment(rawValue: context.isEmpty ? v.description : "\(context): \(v)"), sourceLocation: sourceLocation)
        }
    }
}

/// A value shared by checker threads, one lock around it.
final class Locked<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T { lock.withLock { stored } }
    func update(_ body: (inout T) -> Void) { lock.withLock { body(&stored) } }
}
