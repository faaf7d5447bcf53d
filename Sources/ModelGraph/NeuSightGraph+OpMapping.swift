extension NeuSightGraph {
    /// The function or method name of a torch.fx `target` (`<built-in function add>` → `add`,
    /// `<built-in method matmul of …>` → `matmul`, `<function softmax at …>` → `softmax`).
    static func functionName(_ target: String) -> String {
        for prefix in ["<built-in function ", "<built-in method ", "<function "] where target.hasPrefix(prefix) {
            let rest = target.dropFirst(prefix.count)
            return String(rest.prefix { $0 != " " && $0 != ">" })
        }
        return target
    }

    /// The ONNX operator type of a torch.fx node; unmapped nodes keep `torch.<name>` and
    /// are reported by ``ModelGraph/uncostedOperators()``.
    public static func onnxType(op: String, target: String, moduleClass: String?, dtype: DType) -> String {
        if op == "call_module" {
            switch moduleClass ?? "" {
            case "Linear", "Conv1D", "NonDynamicallyQuantizableLinear": return "Gemm"
            case "Embedding": return "Gather"
            case "LayerNorm", "T5LayerNorm": return "LayerNormalization"
            case "Dropout": return "Dropout"
            case "Tanh": return "Tanh"
            case "ReLU": return "Relu"
            case "GELU", "GELUActivation", "NewGELUActivation", "FastGELUActivation": return "Gelu"
            case "Softmax": return "Softmax"
            case "Sigmoid": return "Sigmoid"
            case "SiLU": return "Silu"
            case let cls: return "torch." + (cls.isEmpty ? target : cls)
            }
        }
        let fn = op == "call_method" ? target : functionName(target)
        let scalar = dtype == .undefined
        switch fn {
        case "add", "iadd", "radd": return "Add"
        case "sub", "rsub": return "Sub"
        case "mul", "imul": return "Mul"
        case "truediv", "div", "floordiv": return "Div"
        case "pow": return "Pow"
        case "sqrt", "rsqrt": return "Sqrt"
        case "exp": return "Exp"
        case "neg": return "Neg"
        case "matmul", "bmm", "baddbmm": return "MatMul"
        case "addmm", "linear": return "Gemm"
        case "einsum": return "Einsum"
        case "softmax": return "Softmax"
        case "gelu": return "Gelu"
        case "tanh": return "Tanh"
        case "relu": return "Relu"
        case "sigmoid": return "Sigmoid"
        case "silu": return "Silu"
        case "layer_norm": return "LayerNormalization"
        case "dropout": return "Dropout"
        case "embedding": return "Gather"
        case "mean": return "ReduceMean"
        case "sum": return "ReduceSum"
        case "max", "maximum": return "Max"
        case "min", "minimum": return "Min"
        case "eq": return "Equal"
        case "lt": return "Less"
        case "gt": return "Greater"
        case "where", "masked_fill", "masked_fill_": return "Where"
        case "cat": return "Concat"
        case "split", "chunk": return "Split"
        case "view", "reshape", "flatten": return "Reshape"
        case "permute", "transpose": return "Transpose"
        case "unsqueeze": return "Unsqueeze"
        case "squeeze": return "Squeeze"
        case "contiguous": return "Contiguous"
        case "expand": return "Expand"
        case "repeat": return "Tile"
        case "to", "type", "float", "half", "long", "bool", "int": return "Cast"
        case "size", "dim", "getattr", "finfo": return "Shape"
        case "getitem": return scalar ? "Shape" : "Slice"
        case "ones", "zeros", "full", "ones_like", "zeros_like", "new_ones", "new_zeros", "fill_", "empty":
            return "ConstantOfShape"
        case "arange": return "Range"
        case "tril", "triu": return "Trilu"
        default: return "torch." + fn
        }
    }
}
