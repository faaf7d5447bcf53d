/// The gradients of a backward pass with respect to the tape's leaf variables.
public struct Gradients {
    let grads: [Tensor?]
    let tape: Tape

    /// The gradient for a leaf or parameter variable of the tape; nil when the output does not
    /// depend on it. (Gradients of intermediate results are released during the pass.)
    public subscript(_ v: Variable) -> Tensor? {
        guard v.tape === tape, v.id < grads.count else { return nil }
        if let p = tape.nodes[v.id].parameter { return grads[v.id] ?? p.grad }
        return grads[v.id]
    }
}
