import ArgumentParser
import CJemalloc
import ClusterKit
import Foundation
import ModelGraph

struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the allocator in use (asked of jemalloc), versions and where Augur looks for data.")

    @OptionGroup var data: DataOptions

    func run() throws {
        let allocator = AllocatorProbe.probe()
        print("augur            \(Augur.version)")
        #if swift(>=6.3)
        print("swift            6.3 or later (compiled with)")
        #else
        print("swift            older than 6.3 (compiled with)")
        #endif
        print("allocator        \(allocator.summary)")
        let root = data.root
        let source = data.data != nil ? "--data" : (ProcessInfo.processInfo.environment["AUGUR_DATA"] != nil ? "AUGUR_DATA" : "default: ../shared, else beside the installation")
        print("data root        \(root.path) (\(source))\(root.exists ? "" : " — MISSING")")
        for (name, path) in [("gavel", root.gavelThroughputs), ("nb201-latency", root.nb201Latency), ("neusight", root.neusightLabels),
                             ("lucid", root.lucidSingle), ("philly", root.phillyTrace), ("alibaba-2023", root.alibabaNodeList)] {
            print("  \(name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(FileManager.default.fileExists(atPath: path) ? "found  " : "missing") \(path)")
        }
        print("installation     \(Installation.root.path) (\(Installation.root.source))")
        print("device catalog   \(Installation.describe(data.devices))")
        print("default cluster  \(Installation.describe(Demo.cluster))")
        print("default model    \(Installation.describe("models/default"))")
        print("model zoo        \(Installation.describe(GraphSource.zooDirectory))")
        print("graphs           \(Installation.describe("data/graphs/onnx"))")
        print("measurements     \(Installation.describe("data/measurements"))")
    }
}

/// Asks jemalloc itself whether it serves this process's allocations.
enum AllocatorProbe {
    struct Result {
        var version: String?
        var servesMalloc: Bool
        var servesSwift: Bool
        var summary: String {
            guard let version else { return "glibc malloc (jemalloc not answering mallctl)" }
            if servesMalloc && servesSwift { return "jemalloc \(version) (mallctl answers; malloc and Swift allocations counted by jemalloc)" }
            return "jemalloc \(version) linked, but allocations are NOT served by it (malloc: \(servesMalloc), Swift: \(servesSwift))"
        }
    }

    static func probe() -> Result {
        var versionPointer: UnsafePointer<CChar>?
        var size = MemoryLayout<UnsafePointer<CChar>?>.size
        guard mallctl("version", &versionPointer, &size, nil, 0) == 0, let versionPointer else {
            return Result(version: nil, servesMalloc: false, servesSwift: false)
        }
        let version = String(cString: versionPointer)
        let before = allocated()
        // Kept observable, or the optimizer removes a malloc whose memory nobody reads.
        let p = malloc(1 << 20)
        probeSink = p
        let afterMalloc = allocated()
        free(probeSink)
        probeSink = nil
        let beforeSwift = allocated()
        let array = [UInt8](repeating: 1, count: 1 << 20)
        let afterSwift = allocated()
        withExtendedLifetime(array) {}
        return Result(version: version, servesMalloc: afterMalloc - before >= 1 << 20, servesSwift: afterSwift - beforeSwift >= 1 << 20)
    }

    nonisolated(unsafe) static var probeSink: UnsafeMutableRawPointer?

    /// Tells jemalloc not to return freed pages to the kernel (dirty and muzzy decay off, for
    /// existing and future arenas). Training frees and reallocates the same large tensors every
    /// step; with the default 10 s decay the kernel zeroed those pages again on every fault, and
    /// half of a training run's CPU time went to the kernel. Peak RSS is unchanged.
    static func keepFreedPages() {
        var never: Int = -1
        let size = MemoryLayout<Int>.size
        var arenas: UInt32 = 0
        var arenasSize = MemoryLayout<UInt32>.size
        _ = mallctl("arenas.narenas", &arenas, &arenasSize, nil, 0)
        let names = ["arenas.dirty_decay_ms", "arenas.muzzy_decay_ms"]
            + (0..<arenas).flatMap { ["arena.\($0).dirty_decay_ms", "arena.\($0).muzzy_decay_ms"] }
        for name in names { _ = mallctl(name, nil, nil, &never, size) }
    }

    /// Bytes this thread has allocated through jemalloc.
    static func allocated() -> UInt64 {
        var value: UInt64 = 0
        var size = MemoryLayout<UInt64>.size
        return mallctl("thread.allocated", &value, &size, nil, 0) == 0 ? value : 0
    }
}
