import CBLAS

extension TensorsBenchmark {
    /// The kernel family OpenBLAS chose for this CPU (for example `"SkylakeX"`, `"Zen"`).
    ///
    /// Worth printing next to `sgemmGFLOPS`: a CPU the library does not recognize falls back
    /// to `"Prescott"` kernels, about 4× slower; `OPENBLAS_CORETYPE=SkylakeX` (AVX-512) or
    /// `Haswell` (AVX2) in the environment before the process starts overrides the choice.
    public static var blasCoreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS's build configuration string (version, threading, dynamic architecture).
    public static var blasConfiguration: String {
        guard let config = openblas_get_config() else { return "unknown" }
        return String(cString: config)
    }
}
