/// Answers with `primary`, and where it cannot, with the time of `secondary`, marked
/// `PerformanceEstimate.fallback` so runs can count it (issue 15 item 4: the roofline behind a
/// learned predictor). The fallback's memory and utilization are dropped: they are the
/// secondary's weaker guesses (the roofline's training memory refuses large transformers that
/// run), and an unknown memory counts as fitting. Its name is the primary's.
public struct FallbackPredictor: PerformancePredictor {
    public let primary: any PerformancePredictor
    public let secondary: any PerformancePredictor

    public init(primary: any PerformancePredictor, secondary: any PerformancePredictor) {
        self.primary = primary
        self.secondary = secondary
    }

    public var name: String { primary.name }

    public func estimate(_ queries: [PerformanceQuery]) -> [PerformanceEstimate?] {
        var answers = primary.estimate(queries)
        let missing = answers.indices.filter { answers[$0] == nil }
        guard !missing.isEmpty else { return answers }
        for (i, answer) in zip(missing, secondary.estimate(missing.map { queries[$0] })) {
            guard let time = answer?.timePerIteration else { continue }
            var estimate = PerformanceEstimate(timePerIteration: time, timeInterval: answer?.timeInterval)
            estimate.fallback = true
            answers[i] = estimate
        }
        return answers
    }
}
