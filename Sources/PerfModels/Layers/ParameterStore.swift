import Tensors

/// The named parameters of a model, in creation order: what a checkpoint saves and loads, and
/// what an optimizer updates. Names are unique; `shared` marks parameters that several tasks'
/// losses reach (the encoder), for PCGrad.
public final class ParameterStore {
    public private(set) var parameters: [Parameter] = []
    public private(set) var shared: Set<ObjectIdentifier> = []
    private var names: Set<String> = []
    /// The seeded generator initializers draw from.
    public var generator: SeededGenerator

    public init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
    }

    /// Registers a parameter.
    public func make(_ name: String, _ value: Tensor, shared isShared: Bool = false) -> Parameter {
        precondition(names.insert(name).inserted, "ParameterStore: duplicate parameter name \(name)")
        let p = Parameter(value, name: name)
        parameters.append(p)
        if isShared { shared.insert(ObjectIdentifier(p)) }
        return p
    }

    /// The parameter of a name.
    public subscript(name: String) -> Parameter? { parameters.first { $0.name == name } }

    /// Total scalar count.
    public var scalarCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// A copy of every value (for keeping the best epoch's weights).
    public func snapshot() -> [Tensor] { parameters.map(\.value) }

    /// Restores values from `snapshot()`.
    public func restore(_ values: [Tensor]) {
        for (p, v) in zip(parameters, values) { p.value = v }
    }
}

/// A fully connected layer `x · W + b` (Glorot-initialized weight, zero bias).
public struct Dense {
    public let weight: Parameter
    public let bias: Parameter

    public init(_ store: ParameterStore, _ name: String, _ input: Int, _ output: Int, shared: Bool = false) {
        weight = store.make(name + ".w", Initializer.glorotUniform(fanIn: input, fanOut: output, generator: &store.generator), shared: shared)
        bias = store.make(name + ".b", Tensor.zeros([1, output]), shared: shared)
    }

    public func callAsFunction(_ x: Variable, _ tape: Tape) -> Variable {
        x.matmul(tape.variable(weight), using: tape.products) + tape.variable(bias)
    }

    /// `concat(parts) · W + b` without building the concatenation: each part multiplies its own
    /// block of W's rows, and a part given with `rows` is multiplied first and then gathered
    /// (a node-level input used on every edge costs a node-level product, not an edge-level
    /// one). The same function as the concatenated form, up to float rounding.
    public func callAsFunction(blocks parts: [(Variable, rows: [Int]?)], _ tape: Tape) -> Variable {
        let transposed = tape.variable(weight).transposed()
        var offset = 0
        var terms: [Variable] = []
        for (part, rows) in parts {
            let width = part.cols
            let block = transposed.columns(offset..<offset + width).transposed()
            offset += width
            let product = part.matmul(block, using: tape.products)
            terms.append(rows.map { product.gather($0) } ?? product)
        }
        precondition(offset == weight.value.rows, "Dense blocks: \(offset) input columns for a \(weight.value.rows)-row weight")
        return Variable.sum(terms + [tape.variable(bias)])
    }
}

/// Dense layers with ReLU between them (none after the last).
public struct MLP {
    public let layers: [Dense]

    /// `sizes` lists the widths from input to output, e.g. `[in, hidden, out]`.
    public init(_ store: ParameterStore, _ name: String, _ sizes: [Int], shared: Bool = false) {
        layers = (0..<(sizes.count - 1)).map { Dense(store, "\(name).\($0)", sizes[$0], sizes[$0 + 1], shared: shared) }
    }

    public func callAsFunction(_ x: Variable, _ tape: Tape) -> Variable {
        var h = x
        for (i, layer) in layers.enumerated() {
            h = layer(h, tape)
            if i < layers.count - 1 { h = h.relu() }
        }
        return h
    }
}
