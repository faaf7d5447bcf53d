import CGLPK

/// A ``LinearProgram`` loaded into GLPK once and solved again after its bounds, objective or
/// columns change, each solve starting from the previous optimal basis (no presolve): for a
/// sequence of programs that differ a little, such as the feasibility programs of a bisection
/// or the programs of column generation, where a fresh load, presolve and simplex per program
/// would cost most of the time.
///
/// Not shareable across threads: one owner solves it. Every call into GLPK holds the same
/// process-wide lock as ``GLPKSolver``. Deterministic: the same program and the same sequence
/// of bound changes give the same solutions.
public final class GLPKIncrementalProblem {
    private let problem: OpaquePointer
    /// How many variables the problem has now (`addVariable` adds to them).
    public private(set) var variableCount: Int
    private let constraintCount: Int

    /// Loads `program` (validated as ``GLPKSolver/solve(_:)`` does).
    public init(_ program: LinearProgram) throws(LPError) {
        try GLPKSolver.validate(program)
        GLPKSolver.lock.lock()
        defer { GLPKSolver.lock.unlock() }
        _ = glp_term_out(GLP_OFF)
        guard let p = glp_create_prob() else { throw .solverFailure(code: -1) }
        problem = p
        variableCount = program.variables.count
        constraintCount = program.constraints.count
        GLPKSolver.load(program, into: p)
        glp_adv_basis(p, 0)
    }

    deinit {
        GLPKSolver.lock.lock()
        glp_delete_prob(problem)
        GLPKSolver.lock.unlock()
    }

    /// Sets constraint `index`'s bounds to `lower...upper` (nil: none on that side).
    public func setBounds(constraint index: Int, lower: Double?, upper: Double?) throws(LPError) {
        guard index >= 0 && index < constraintCount else { throw .invalidInput("constraint \(index) of \(constraintCount)") }
        try GLPKSolver.checkBounds(lower, upper, of: "constraint \(index)")
        let (type, l, u) = GLPKSolver.bounds(lower, upper)
        GLPKSolver.lock.lock()
        glp_set_row_bnds(problem, Int32(index + 1), type, l, u)
        GLPKSolver.lock.unlock()
    }

    /// Sets variable `index`'s bounds to `lower...upper` (nil: none on that side).
    public func setBounds(variable index: Int, lower: Double?, upper: Double?) throws(LPError) {
        guard index >= 0 && index < variableCount else { throw .invalidInput("variable \(index) of \(variableCount)") }
        try GLPKSolver.checkBounds(lower, upper, of: "variable \(index)")
        let (type, l, u) = GLPKSolver.bounds(lower, upper)
        GLPKSolver.lock.lock()
        glp_set_col_bnds(problem, Int32(index + 1), type, l, u)
        GLPKSolver.lock.unlock()
    }

    /// Adds a variable (column) with bounds `lower...upper`, objective coefficient and its
    /// coefficients in existing constraints; returns its index. It starts non-basic at its
    /// lower bound, so the kept basis stays valid (column generation).
    @discardableResult
    public func addVariable(lower: Double? = 0, upper: Double? = nil, objective: Double = 0, terms: [(constraint: Int, coefficient: Double)]) throws(LPError) -> Int {
        guard objective.isFinite else { throw .invalidInput("new variable: non-finite objective") }
        try GLPKSolver.checkBounds(lower, upper, of: "new variable")
        var rows: [Int32] = [0], values: [Double] = [0]
        for t in terms where t.coefficient != 0 {
            guard t.constraint >= 0 && t.constraint < constraintCount, t.coefficient.isFinite else { throw .invalidInput("new variable: constraint \(t.constraint) or its coefficient") }
            guard !rows.contains(Int32(t.constraint + 1)) else { throw .invalidInput("new variable: constraint \(t.constraint) twice") }
            rows.append(Int32(t.constraint + 1))
            values.append(t.coefficient)
        }
        let (type, l, u) = GLPKSolver.bounds(lower, upper)
        GLPKSolver.lock.lock()
        defer { GLPKSolver.lock.unlock() }
        let column = glp_add_cols(problem, 1)
        glp_set_col_bnds(problem, column, type, l, u)
        glp_set_obj_coef(problem, column, objective)
        if rows.count > 1 { glp_set_mat_col(problem, column, Int32(rows.count - 1), rows, values) }
        glp_set_col_stat(problem, column, lower == nil ? (upper == nil ? GLP_NF : GLP_NU) : GLP_NL)
        variableCount += 1
        return variableCount - 1
    }

    /// Replaces the objective: its sense and every variable's coefficient (`coefficients` has
    /// one per variable).
    public func setObjective(_ sense: LinearProgram.Sense, coefficients: [Double]) throws(LPError) {
        guard coefficients.count == variableCount, coefficients.allSatisfy(\.isFinite) else {
            throw .invalidInput("objective: \(coefficients.count) finite coefficients wanted for \(variableCount) variables")
        }
        GLPKSolver.lock.lock()
        glp_set_obj_dir(problem, sense == .maximize ? GLP_MAX : GLP_MIN)
        for (i, c) in coefficients.enumerated() { glp_set_obj_coef(problem, Int32(i + 1), c) }
        GLPKSolver.lock.unlock()
    }

    /// How a solve moves from the kept basis: the dual simplex after right-hand sides change
    /// (the basis stays dual feasible), the primal simplex after the objective changes (it
    /// stays primal feasible).
    public enum Method: Sendable { case dual, primal }

    /// The optimal solution under the current bounds; throws ``LPError/infeasible`` or
    /// ``LPError/unbounded`` as ``GLPKSolver`` does.
    public func solve(_ method: Method = .dual) throws(LPError) -> LPSolution {
        if variableCount == 0 { return LPSolution(objective: 0, values: []) }
        GLPKSolver.lock.lock()
        defer { GLPKSolver.lock.unlock() }
        _ = glp_term_out(GLP_OFF)
        var code = GLPKSolver.simplex(problem, presolve: false, dual: method == .dual)
        if code == GLP_EBADB || code == GLP_ESING || code == GLP_ECOND {
            // The kept basis is unusable: start again from an advanced one.
            glp_adv_basis(problem, 0)
            code = GLPKSolver.simplex(problem, presolve: false, dual: method == .dual)
        }
        try GLPKSolver.checkOptimal(problem, code: code)
        let values = (1...variableCount).map { glp_get_col_prim(problem, Int32($0)) }
        let duals = constraintCount == 0 ? [] : (1...constraintCount).map { glp_get_row_dual(problem, Int32($0)) }
        return LPSolution(objective: glp_get_obj_val(problem), values: values, duals: duals)
    }
}
