import Optimization
import Testing

/// A program solved again after its bounds change gives what a fresh solve of the changed
/// program gives, and says when it became infeasible.
@Suite struct GLPKIncrementalProblemTests {
    /// maximize 3x + 2y  s.t.  x + y ≤ 4,  x + 3y ≤ 6,  x ≥ need (row 2),  0 ≤ x ≤ 3, y ≥ 0.
    static func program(need: Double) -> LinearProgram {
        var lp = LinearProgram(.maximize)
        let x = lp.addVariable(lower: 0, upper: 3, objective: 3)
        let y = lp.addVariable(lower: 0, objective: 2)
        lp.addLessOrEqual([(x, 1), (y, 1)], 4)
        lp.addLessOrEqual([(x, 1), (y, 3)], 6)
        lp.addGreaterOrEqual([(x, 1)], need)
        return lp
    }

    @Test func reSolvesMatchFreshSolves() throws {
        let problem = try GLPKIncrementalProblem(Self.program(need: 0))
        for need in [0.0, 1, 2.5, 3, 0.5] {
            try problem.setBounds(constraint: 2, lower: need, upper: nil)
            let warm = try problem.solve()
            let cold = try GLPKSolver.solve(Self.program(need: need))
            #expect(abs(warm.objective - cold.objective) < 1e-9, "need \(need)")
            #expect(warm.values[0] >= need - 1e-9)
        }
    }

    @Test func infeasibleAfterTighteningThenFeasibleAgain() throws {
        let problem = try GLPKIncrementalProblem(Self.program(need: 0))
        try problem.setBounds(constraint: 2, lower: 3.5, upper: nil)  // x ≤ 3
        #expect(throws: LPError.infeasible) { try problem.solve() }
        try problem.setBounds(constraint: 2, lower: 1, upper: nil)
        #expect(abs(try problem.solve().objective - 11) < 1e-9)  // x = 3, y = 1
    }

    @Test func badBoundsAreTyped() throws {
        let problem = try GLPKIncrementalProblem(Self.program(need: 0))
        #expect(throws: LPError.self) { try problem.setBounds(constraint: 3, lower: 0, upper: nil) }
        #expect(throws: LPError.self) { try problem.setBounds(constraint: 0, lower: .nan, upper: nil) }
        #expect(throws: LPError.self) { try problem.setBounds(constraint: 0, lower: 2, upper: 1) }
    }
}

/// Column generation's two needs: duals that price a new variable, and adding it.
@Suite struct GLPKColumnGenerationTests {
    /// maximize 3x + 2y s.t. x + y ≤ 4, x + 3y ≤ 6, 0 ≤ x ≤ 3 (optimum 11 at x 3, y 1). A new
    /// variable z with objective 5 and coefficients 1 in both rows has reduced cost
    /// 5 − (π₁ + π₂) > 0: it improves, and after adding it the optimum is a fresh solve's.
    @Test func dualsPriceANewVariableAndAddingItReachesTheWholeOptimum() throws {
        let problem = try GLPKIncrementalProblem(GLPKIncrementalProblemTests.program(need: 0))
        let first = try problem.solve(.primal)
        #expect(abs(first.objective - 11) < 1e-9 && first.duals.count == 3)
        let reduced = 5 - first.duals[0] - first.duals[1]
        #expect(reduced > 0, "\(first.duals)")
        let z = try problem.addVariable(lower: 0, objective: 5, terms: [(0, 1), (1, 1)])
        #expect(z == 2 && problem.variableCount == 3)
        var whole = LinearProgram(.maximize)
        let x = whole.addVariable(lower: 0, upper: 3, objective: 3), y = whole.addVariable(lower: 0, objective: 2)
        let zz = whole.addVariable(lower: 0, objective: 5)
        whole.addLessOrEqual([(x, 1), (y, 1), (zz, 1)], 4)
        whole.addLessOrEqual([(x, 1), (y, 3), (zz, 1)], 6)
        whole.addGreaterOrEqual([(x, 1)], 0)
        #expect(abs(try problem.solve(.primal).objective - (try GLPKSolver.solve(whole)).objective) < 1e-9)
        #expect(throws: LPError.self) { try problem.addVariable(lower: 0, objective: 1, terms: [(7, 1)]) }
    }
}
