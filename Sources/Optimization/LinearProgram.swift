/// A linear program in the form GLPK takes: bounded variables (columns), linear constraints
/// (rows) and a linear objective to maximize or minimize.
///
/// Built in a fixed order (variables and constraints are numbered as they are added), so the
/// same calls give the same problem and GLPK, which is deterministic, the same solution.
public struct LinearProgram: Sendable {
    /// Whether the objective is maximized or minimized.
    public enum Sense: Sendable { case maximize, minimize }

    /// One variable: its bounds (nil: unbounded on that side) and objective coefficient.
    public struct Variable: Sendable, Equatable {
        public var lower: Double?
        public var upper: Double?
        public var objective: Double
        public var name: String?
    }

    /// One constraint `lower ≤ Σ coefficient·x ≤ upper` (nil: no bound on that side).
    public struct Constraint: Sendable, Equatable {
        /// (variable index, coefficient) pairs; an index appears at most once.
        public var terms: [(variable: Int, coefficient: Double)]
        public var lower: Double?
        public var upper: Double?

        public static func == (a: Constraint, b: Constraint) -> Bool {
            a.lower == b.lower && a.upper == b.upper && a.terms.count == b.terms.count
                && zip(a.terms, b.terms).allSatisfy { $0.variable == $1.variable && $0.coefficient == $1.coefficient }
        }
    }

    public var sense: Sense
    public private(set) var variables: [Variable] = []
    public private(set) var constraints: [Constraint] = []

    public init(_ sense: Sense) { self.sense = sense }

    /// Adds a variable with bounds `lower...upper` (default `0...`) and objective coefficient;
    /// returns its index.
    @discardableResult
    public mutating func addVariable(lower: Double? = 0, upper: Double? = nil, objective: Double = 0, name: String? = nil) -> Int {
        variables.append(Variable(lower: lower, upper: upper, objective: objective, name: name))
        return variables.count - 1
    }

    /// Adds `lower ≤ Σ coefficient·x[variable] ≤ upper`. Zero coefficients are dropped;
    /// repeated variables are summed. Traps on an unknown variable index.
    public mutating func addConstraint(_ terms: [(Int, Double)], lower: Double? = nil, upper: Double? = nil) {
        // Fast path: variables in increasing order repeat none, so nothing needs merging.
        var increasing = true
        for i in terms.indices {
            precondition(terms[i].0 >= 0 && terms[i].0 < variables.count, "unknown variable \(terms[i].0)")
            if i > 0 && terms[i].0 <= terms[i - 1].0 { increasing = false }
        }
        if increasing {
            var direct: [(variable: Int, coefficient: Double)] = []
            direct.reserveCapacity(terms.count)
            for (v, c) in terms where c != 0 { direct.append((v, c)) }
            constraints.append(Constraint(terms: direct, lower: lower, upper: upper))
            return
        }
        var merged: [(variable: Int, coefficient: Double)] = []
        var position: [Int: Int] = [:]
        for (v, c) in terms {
            precondition(v >= 0 && v < variables.count, "unknown variable \(v)")
            if let p = position[v] { merged[p].coefficient += c } else { position[v] = merged.count; merged.append((v, c)) }
        }
        constraints.append(Constraint(terms: merged.filter { $0.coefficient != 0 }, lower: lower, upper: upper))
    }

    /// Adds `Σ coefficient·x ≤ bound`.
    public mutating func addLessOrEqual(_ terms: [(Int, Double)], _ bound: Double) { addConstraint(terms, upper: bound) }

    /// Adds `Σ coefficient·x ≥ bound`.
    public mutating func addGreaterOrEqual(_ terms: [(Int, Double)], _ bound: Double) { addConstraint(terms, lower: bound) }

    /// Adds `Σ coefficient·x = value`.
    public mutating func addEqual(_ terms: [(Int, Double)], _ value: Double) { addConstraint(terms, lower: value, upper: value) }

    /// Sets a variable's objective coefficient.
    public mutating func setObjective(_ variable: Int, _ coefficient: Double) { variables[variable].objective = coefficient }
}
