import Optimization
import Testing

/// `GLPKSolver` on linear programs solvable by hand.
@Suite struct GLPKSolverTests {
    /// max 3x + 2y s.t. x + y ≤ 4, x + 3y ≤ 6, x ≤ 3: optimum at (3, 1), value 11.
    @Test func textbookMaximum() throws {
        var lp = LinearProgram(.maximize)
        let x = lp.addVariable(upper: 3, objective: 3)
        let y = lp.addVariable(objective: 2)
        lp.addLessOrEqual([(x, 1), (y, 1)], 4)
        lp.addLessOrEqual([(x, 1), (y, 3)], 6)
        let s = try GLPKSolver.solve(lp)
        #expect(abs(s.objective - 11) < 1e-9)
        #expect(abs(s[x] - 3) < 1e-9 && abs(s[y] - 1) < 1e-9)
    }

    /// min x + y s.t. x + 2y ≥ 4, 3x + y ≥ 6: optimum at (1.6, 1.2), value 2.8.
    @Test func minimumWithGreaterOrEqualRows() throws {
        var lp = LinearProgram(.minimize)
        let x = lp.addVariable(objective: 1)
        let y = lp.addVariable(objective: 1)
        lp.addGreaterOrEqual([(x, 1), (y, 2)], 4)
        lp.addGreaterOrEqual([(x, 3), (y, 1)], 6)
        let s = try GLPKSolver.solve(lp)
        #expect(abs(s.objective - 2.8) < 1e-9)
        #expect(abs(s[x] - 1.6) < 1e-9 && abs(s[y] - 1.2) < 1e-9)
    }

    /// Equalities, free variables and repeated terms: x = 2 (given as x/2 + x/2), y free, y ≥ x − 5, min y → −3.
    @Test func equalityFreeVariableAndMergedTerms() throws {
        var lp = LinearProgram(.minimize)
        let x = lp.addVariable(lower: nil)
        let y = lp.addVariable(lower: nil, objective: 1)
        lp.addEqual([(x, 0.5), (x, 0.5)], 2)
        lp.addGreaterOrEqual([(y, 1), (x, -1)], -5)
        let s = try GLPKSolver.solve(lp)
        #expect(abs(s[x] - 2) < 1e-9 && abs(s[y] + 3) < 1e-9)
        #expect(lp.constraints[0].terms.count == 1)
    }

    @Test func infeasibleIsTyped() {
        var lp = LinearProgram(.maximize)
        let x = lp.addVariable(objective: 1)
        lp.addLessOrEqual([(x, 1)], 1)
        lp.addGreaterOrEqual([(x, 1)], 2)
        #expect(throws: LPError.infeasible) { try GLPKSolver.solve(lp) }
    }

    @Test func unboundedIsTyped() {
        var lp = LinearProgram(.maximize)
        let x = lp.addVariable(objective: 1)
        let y = lp.addVariable(objective: 1)
        lp.addLessOrEqual([(x, 1), (y, -1)], 1)
        #expect(throws: LPError.unbounded) { try GLPKSolver.solve(lp) }
    }

    @Test func invalidInputIsTyped() {
        var lp = LinearProgram(.maximize)
        lp.addVariable(lower: 2, upper: 1, objective: 1)
        #expect(throws: LPError.self) { try GLPKSolver.solve(lp) }
        var nan = LinearProgram(.maximize)
        let x = nan.addVariable(objective: .nan)
        nan.addLessOrEqual([(x, 1)], 1)
        #expect(throws: LPError.self) { try GLPKSolver.solve(nan) }
    }

    /// The same program gives bit-identical values, also when solved from many threads at once.
    @Test func deterministicAcrossCallsAndThreads() async throws {
        var lp = LinearProgram(.maximize)
        let xs = (0..<30).map { lp.addVariable(upper: 1, objective: Double($0 % 7) + 1) }
        for k in 0..<10 { lp.addLessOrEqual(xs.enumerated().map { ($1, Double(($0 * (k + 3)) % 5) + 1) }, Double(k + 4)) }
        let first = try GLPKSolver.solve(lp)
        let program = lp
        let all = await withTaskGroup(of: LPSolution?.self) { group in
            for _ in 0..<8 { group.addTask { try? GLPKSolver.solve(program) } }
            var out: [LPSolution?] = []
            for await s in group { out.append(s) }
            return out
        }
        #expect(all.allSatisfy { $0 == first })
    }

    @Test func emptyProgram() throws {
        #expect(try GLPKSolver.solve(LinearProgram(.minimize)) == LPSolution(objective: 0, values: []))
    }
}
