// swift-tools-version: 6.1
import PackageDescription

/// Numeric kernels (`Tensors`) drop bounds and overflow checks in release: measured with
/// `augur bench predictor` against a `-O` build (README, "Fuzzing"), 7% less time per graph. The only input they
/// parse is safetensors, whose reader validates every length and offset before indexing; it is
/// fuzzed with checks on in the debug build (`FuzzTests`) and in release by `augur fuzz`.
let kernels: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-target-cpu", "native"], .when(configuration: .release)),
]

/// Every target that parses input (traces, cluster specs, ONNX, model directories, flags)
/// keeps its bounds and overflow checks: a damaged input must trap, never read out of bounds.
/// Cost measured when this changed (README, "Fuzzing"): `augur bench sim` about 38% more wall
/// time (still under its 2 s goal), `augur bench predictor` within 5%.
let optimize: [SwiftSetting] = [
    .unsafeFlags(["-O", "-target-cpu", "native"], .when(configuration: .release)),
]

/// The simulator's engine (`ClusterSimulation`) parses no input and keeps its bounds and overflow
/// checks; in release it drops only the run-time exclusivity checks, which every access to the
/// engine's class-held state paid (a quarter of the samples in a profile). Measured with
/// `augur bench sim --trace ../shared/traces/itp --policies las+first-fit --scale 5` (README,
/// "At scale"): 3.58 → 1.99 s at ×1 and 48.1 → 30.3 s at ×5, same results. Debug builds (the
/// tests) keep the checks.
let engine: [SwiftSetting] = [
    .unsafeFlags(["-O", "-target-cpu", "native", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Augur",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "augur", targets: ["augur"]),
        .library(name: "ClusterKit", targets: ["ClusterKit"]),
        .library(name: "ClusterSimulation", targets: ["ClusterSimulation"]),
        .library(name: "Tensors", targets: ["Tensors"]),
        .library(name: "ModelGraph", targets: ["ModelGraph"]),
        .library(name: "PerfModels", targets: ["PerfModels"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CJemalloc", path: "Sources/CJemalloc", pkgConfig: "jemalloc",
            providers: [.apt(["libjemalloc-dev"])]),
        .systemLibrary(
            name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CGLPK", path: "Sources/CGLPK", providers: [.apt(["libglpk-dev"])]),
        .target(name: "AugurCore", exclude: ["README.md"], swiftSettings: optimize),
        .target(name: "Tensors", dependencies: ["AugurCore", "CBLAS"], exclude: ["README.md"], swiftSettings: kernels),
        .target(
            name: "ModelGraph",
            dependencies: ["AugurCore", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["README.md"],
            swiftSettings: optimize),
        .target(
            name: "ClusterKit",
            dependencies: ["AugurCore", .product(name: "Yams", package: "Yams")],
            exclude: ["README.md"],
            swiftSettings: optimize),
        .target(name: "PerfModels", dependencies: ["ClusterKit", "ModelGraph", "Tensors"], exclude: ["README.md"], swiftSettings: optimize),
        // Linear programs on GLPK's simplex (Gavel's allocations); nothing about clusters.
        .target(name: "Optimization", dependencies: ["CGLPK"], exclude: ["README.md"], swiftSettings: optimize),
        .target(
            name: "ClusterSimulation",
            dependencies: ["ClusterKit", "Optimization", .product(name: "HeapModule", package: "swift-collections")],
            exclude: ["README.md"],
            swiftSettings: engine),
        // The predictor and policy contracts as checkers every conforming type's tests call; test targets only.
        .target(name: "AugurTestSupport", dependencies: ["ClusterKit", "ClusterSimulation"], exclude: ["README.md"]),
        .executableTarget(
            name: "augur",
            dependencies: [
                "ClusterKit", "ClusterSimulation", "ModelGraph", "PerfModels", "Tensors", "CJemalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["README.md"],
            swiftSettings: optimize),
        .testTarget(name: "ClusterKitTests", dependencies: ["ClusterKit", "AugurTestSupport"]),
        .testTarget(name: "ClusterSimulationTests", dependencies: ["ClusterSimulation", "ClusterKit", "Optimization", "AugurTestSupport"]),
        .testTarget(name: "OptimizationTests", dependencies: ["Optimization"]),
        .testTarget(name: "AugurCLITests", dependencies: ["augur"]),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
        .testTarget(name: "ModelGraphTests", dependencies: ["ModelGraph"], exclude: ["Resources"]),
        .testTarget(name: "PerfModelsTests", dependencies: ["PerfModels", "ClusterKit", "ModelGraph", "AugurTestSupport"]),
    ]
)
