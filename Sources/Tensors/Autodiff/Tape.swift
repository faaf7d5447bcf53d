/// A tape for reverse-mode automatic differentiation.
///
/// Operations on recorded `Variable`s append one node each: the indices of their inputs and a
/// closure that maps the gradient of the output to gradients of the inputs. `backward` walks
/// the nodes in reverse. Use one tape per training step. A tape made with `recording: false`
/// hands out constants, so a forward pass through it records nothing (inference). `products`
/// says which kernel the model's matrix products use (``MatrixProducts``): the default, BLAS,
/// for training; `.fixedOrder` where the answer must be the same bits on every machine.
public final class Tape {
    /// Maps the output gradient to one gradient per input (nil where `needs` is false).
    typealias Pullback = (_ grad: Tensor, _ needs: [Bool]) -> [Tensor?]

    struct Node {
        var inputs: [Int]
        var pullback: Pullback?
        var parameter: Parameter?
        var shape: [Int]
    }

    /// Whether this tape records (false: an inference tape whose variables are constants).
    public let isRecording: Bool
    /// The kernel of the matrix products of a forward pass through this tape (model code
    /// passes it to `Variable.matmul`).
    public let products: MatrixProducts
    var nodes: [Node] = []

    /// A new, empty tape.
    public init(recording: Bool = true, products: MatrixProducts = .blas) {
        isRecording = recording
        self.products = products
    }

    /// The number of recorded nodes.
    public var nodeCount: Int { nodes.count }

    /// A variable for a model parameter: `backward` accumulates its gradient into
    /// `parameter.grad`. On a non-recording tape, a constant.
    public func variable(_ parameter: Parameter) -> Variable {
        guard isRecording else { return Variable(parameter.value) }
        nodes.append(Node(inputs: [], pullback: nil, parameter: parameter, shape: parameter.value.shape))
        return Variable(value: parameter.value, tape: self, id: nodes.count - 1)
    }

    /// A leaf variable whose gradient `backward` reports (for inputs one differentiates with
    /// respect to, such as in gradient checks). On a non-recording tape, a constant.
    public func leaf(_ value: Tensor) -> Variable {
        guard isRecording else { return Variable(value) }
        nodes.append(Node(inputs: [], pullback: nil, parameter: nil, shape: value.shape))
        return Variable(value: value, tape: self, id: nodes.count - 1)
    }

    /// Records an operation's result. Returns a constant when no input is recorded.
    static func record(
        _ value: Tensor, inputs: [Variable], pullback: @escaping Pullback
    ) -> Variable {
        var tape: Tape?
        for v in inputs {
            guard let t = v.tape else { continue }
            if let existing = tape {
                precondition(existing === t, "Tape: an operation mixes variables of two tapes")
            } else {
                tape = t
            }
        }
        guard let tape else { return Variable(value) }
        let ids = inputs.map { $0.tape == nil ? -1 : $0.id }
        tape.nodes.append(Node(inputs: ids, pullback: pullback, parameter: nil, shape: value.shape))
        return Variable(value: value, tape: tape, id: tape.nodes.count - 1)
    }

    /// Back-propagates from `output`, seeded with `seed` (default: ones, so a scalar loss gets
    /// d loss/d loss = 1). Accumulates parameter gradients into `Parameter.grad` and returns the
    /// gradients of leaf variables.
    @discardableResult
    public func backward(_ output: Variable, seed: Tensor? = nil) -> Gradients {
        precondition(output.tape === self, "Tape.backward: the output is not recorded on this tape")
        var grads = [Tensor?](repeating: nil, count: nodes.count)
        let start = seed ?? Tensor.ones(output.shape)
        precondition(start.count == output.value.count, "Tape.backward: seed shape \(start.shape) vs \(output.shape)")
        grads[output.id] = start.reshaped(output.shape)
        for i in stride(from: output.id, through: 0, by: -1) {
            guard let g = grads[i] else { continue }
            let node = nodes[i]
            if let pullback = node.pullback {
                grads[i] = nil
                let inputGrads = pullback(g, node.inputs.map { $0 >= 0 })
                for (k, j) in node.inputs.enumerated() where j >= 0 {
                    guard let gk = inputGrads[k] else { continue }
                    precondition(gk.count == nodes[j].shape.reduce(1, *), "Tape: gradient shape \(gk.shape) for node of shape \(nodes[j].shape)")
                    if var acc = grads[j] {
                        grads[j] = nil
                        acc.add(gk)
                        grads[j] = acc
                    } else {
                        grads[j] = gk.reshaped(nodes[j].shape)
                    }
                }
            } else if let p = node.parameter {
                if var acc = p.grad {
                    p.grad = nil
                    acc.add(g)
                    p.grad = acc
                } else {
                    p.grad = g
                }
            }
        }
        return Gradients(grads: grads, tape: self)
    }
}
