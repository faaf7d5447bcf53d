/// Seeded weight initializers. A weight `[fanIn, fanOut]` multiplies inputs from the right
/// (`x · W`), so its rows are the fan-in. Draws come from `SeededGenerator`, so a seed gives the same
/// weights in every process.
public enum Initializer {
    /// Uniform on ±√(6 / (fanIn + fanOut)) (Glorot & Bengio 2010, "Understanding the difficulty
    /// of training deep feedforward neural networks").
    public static func glorotUniform(
        fanIn: Int, fanOut: Int, generator: inout SeededGenerator
    ) -> Tensor {
        let limit = (6.0 / Double(fanIn + fanOut)).squareRoot()
        return uniform([fanIn, fanOut], limit: limit, generator: &generator)
    }

    /// Normal with standard deviation √(2 / (fanIn + fanOut)) (Glorot & Bengio 2010).
    public static func glorotNormal(
        fanIn: Int, fanOut: Int, generator: inout SeededGenerator
    ) -> Tensor {
        normal([fanIn, fanOut], std: (2.0 / Double(fanIn + fanOut)).squareRoot(), generator: &generator)
    }

    /// Uniform on ±√(6 / fanIn), for ReLU networks (He et al. 2015, "Delving Deep into
    /// Rectifiers").
    public static func heUniform(fanIn: Int, fanOut: Int, generator: inout SeededGenerator) -> Tensor {
        uniform([fanIn, fanOut], limit: (6.0 / Double(fanIn)).squareRoot(), generator: &generator)
    }

    /// Normal with standard deviation √(2 / fanIn) (He et al. 2015).
    public static func heNormal(fanIn: Int, fanOut: Int, generator: inout SeededGenerator) -> Tensor {
        normal([fanIn, fanOut], std: (2.0 / Double(fanIn)).squareRoot(), generator: &generator)
    }

    /// Uniform on ±`limit`.
    public static func uniform(_ shape: [Int], limit: Double, generator: inout SeededGenerator) -> Tensor {
        var t = Tensor.zeros(shape)
        for i in 0..<t.count { t.data[i] = Float(generator.nextUniform(-limit, limit)) }
        return t
    }

    /// Normal with mean 0 and standard deviation `std`.
    public static func normal(_ shape: [Int], std: Double, generator: inout SeededGenerator) -> Tensor {
        var t = Tensor.zeros(shape)
        for i in 0..<t.count { t.data[i] = Float(generator.nextGaussian() * std) }
        return t
    }
}
