import CGLPK
import Foundation

/// Solves a ``LinearProgram`` with GLPK's primal simplex (`glp_simplex`, presolver on, all
/// terminal output off: GLPK prints nothing).
///
/// GLPK keeps per-thread state (its environment and terminal hook), and not every build is
/// compiled thread-safe, so solves are serialized by one process-wide lock; the programs this
/// package solves are small (Gavel's allocations: jobs × device types).
public enum GLPKSolver {
    static let lock = NSLock()

    /// The optimal solution of `program`; throws ``LPError`` when it is infeasible, unbounded
    /// or GLPK fails. The same program always gives the same solution.
    public static func solve(_ program: LinearProgram) throws(LPError) -> LPSolution {
        try validate(program)
        if program.variables.isEmpty { return LPSolution(objective: 0, values: []) }
        lock.lock()
        defer { lock.unlock() }
        _ = glp_term_out(GLP_OFF)
        guard let problem = glp_create_prob() else { throw .solverFailure(code: -1) }
        defer { glp_delete_prob(problem) }
        load(program, into: problem)
        var code = simplex(problem, presolve: true)
        if code == GLP_ENODFS {
            // The presolver found no dual-feasible point: the primal is unbounded or infeasible.
            // Without presolve the simplex tells which.
            code = simplex(problem, presolve: false)
        }
        if code == GLP_ENOPFS { throw .infeasible }
        try checkOptimal(problem, code: code)
        let values = (1...program.variables.count).map { glp_get_col_prim(problem, Int32($0)) }
        return LPSolution(objective: glp_get_obj_val(problem), values: values)
    }

    static func validate(_ program: LinearProgram) throws(LPError) {
        for (i, v) in program.variables.enumerated() {
            guard v.objective.isFinite else { throw .invalidInput("variable \(i): non-finite bound or objective") }
            try checkBounds(v.lower, v.upper, of: "variable \(i)")
        }
        for (i, c) in program.constraints.enumerated() {
            guard c.terms.allSatisfy({ $0.coefficient.isFinite }) else { throw .invalidInput("constraint \(i): non-finite bound or coefficient") }
            try checkBounds(c.lower, c.upper, of: "constraint \(i)")
        }
    }

    /// Rejects bounds that are not finite or that cross; `what` names the variable or constraint.
    static func checkBounds(_ lower: Double?, _ upper: Double?, of what: String) throws(LPError) {
        guard lower.map(\.isFinite) ?? true, upper.map(\.isFinite) ?? true else { throw .invalidInput("\(what): non-finite bound") }
        if let l = lower, let u = upper, l > u { throw .invalidInput("\(what): lower bound \(l) > upper \(u)") }
    }

    /// Throws unless the simplex (return `code`) left `problem` at an optimum.
    static func checkOptimal(_ problem: OpaquePointer, code: Int32) throws(LPError) {
        guard code == 0 else { throw .solverFailure(code: code) }
        switch glp_get_status(problem) {
        case GLP_OPT: break
        case GLP_NOFEAS, GLP_INFEAS: throw .infeasible
        case GLP_UNBND: throw .unbounded
        case let status: throw .solverFailure(code: status)
        }
    }

    /// GLPK's bound type and bounds for `lower...upper`.
    static func bounds(_ lower: Double?, _ upper: Double?) -> (Int32, Double, Double) {
        switch (lower, upper) {
        case (nil, nil): (GLP_FR, 0, 0)
        case let (l?, nil): (GLP_LO, l, 0)
        case let (nil, u?): (GLP_UP, 0, u)
        case let (l?, u?): l == u ? (GLP_FX, l, u) : (GLP_DB, l, u)
        }
    }

    static func load(_ program: LinearProgram, into problem: OpaquePointer) {
        glp_set_obj_dir(problem, program.sense == .maximize ? GLP_MAX : GLP_MIN)
        _ = glp_add_cols(problem, Int32(program.variables.count))
        for (i, v) in program.variables.enumerated() {
            let (type, l, u) = bounds(v.lower, v.upper)
            glp_set_col_bnds(problem, Int32(i + 1), type, l, u)
            glp_set_obj_coef(problem, Int32(i + 1), v.objective)
        }
        guard !program.constraints.isEmpty else { return }
        _ = glp_add_rows(problem, Int32(program.constraints.count))
        // GLPK's arrays are 1-based: element 0 is ignored.
        var rows: [Int32] = [0], columns: [Int32] = [0], values: [Double] = [0]
        for (r, c) in program.constraints.enumerated() {
            let (type, l, u) = bounds(c.lower, c.upper)
            glp_set_row_bnds(problem, Int32(r + 1), type, l, u)
            for term in c.terms {
                rows.append(Int32(r + 1))
                columns.append(Int32(term.variable + 1))
                values.append(term.coefficient)
            }
        }
        glp_load_matrix(problem, Int32(values.count - 1), rows, columns, values)
    }

    /// Runs GLPK's simplex silently (`dual`: the dual simplex, falling back to the primal).
    static func simplex(_ problem: OpaquePointer, presolve: Bool, dual: Bool = false) -> Int32 {
        var parameters = glp_smcp()
        glp_init_smcp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.presolve = presolve ? GLP_ON : GLP_OFF
        if dual { parameters.meth = GLP_DUALP }
        return glp_simplex(problem, &parameters)
    }
}
