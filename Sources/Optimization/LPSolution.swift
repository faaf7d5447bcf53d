/// An optimal solution of a ``LinearProgram``.
public struct LPSolution: Sendable, Equatable {
    /// The objective's value at the solution.
    public var objective: Double
    /// Each variable's value, in the order the variables were added.
    public var values: [Double]
    /// Each constraint's dual value (shadow price), in the order the constraints were added,
    /// with GLPK's sign convention (a variable's reduced cost is its objective coefficient
    /// minus Σ dual × coefficient); empty where the solver was not asked for them.
    public var duals: [Double]

    public init(objective: Double, values: [Double], duals: [Double] = []) {
        self.objective = objective
        self.values = values
        self.duals = duals
    }

    public subscript(variable: Int) -> Double { values[variable] }
}

/// Why a linear program has no optimal solution.
public enum LPError: Error, Equatable, Sendable {
    /// No point satisfies every constraint and bound.
    case infeasible
    /// The objective improves without limit over the feasible points.
    case unbounded
    /// The solver stopped without an answer: GLPK's return code (`glp_simplex`) or status.
    case solverFailure(code: Int32)
    /// A bound or coefficient was not finite, or a variable's lower bound exceeds its upper.
    case invalidInput(String)
}
