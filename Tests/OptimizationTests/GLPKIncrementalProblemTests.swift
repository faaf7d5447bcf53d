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
