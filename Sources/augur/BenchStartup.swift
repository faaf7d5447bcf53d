import ArgumentParser
import ClusterKit
import Foundation

/// Whole-process figures: the binary itself run as a child process, start-up, loading and
/// simulation together, as a user waits for them.
struct BenchStartup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "startup",
        abstract: "Run `augur simulate` as a whole child process several times per case; print median, min and max wall seconds.",
        discussion: """
            Cases: gavel-1k (Gavel's 1,000-job trace, datasets/gavel-reference/cont_single_n1000_lam900, on \
            clusters/gavel.yaml) and philly (the whole Philly trace on clusters/hetero-2048.yaml), FIFO with first-fit. \
            Goals (issue 17.5): ≤ 0.2 s and ≤ 2 s.
            """)

    @OptionGroup var data: DataOptions

    @Option(help: "Runs per case (the median is printed).")
    var runs = 5

    @Option(help: "Cases, comma-separated: gavel-1k, philly.")
    var cases = "gavel-1k,philly"

    func validate() throws {
        guard runs >= 1, runs <= 100 else { throw ValidationError("--runs must be in [1, 100], got \(runs)") }
        for c in cases.split(separator: ",") where !["gavel-1k", "philly"].contains(String(c)) {
            throw ValidationError("--cases: unknown case '\(c)' (choices: gavel-1k, philly)")
        }
    }

    func arguments(_ name: String) -> (arguments: [String], goal: Double) {
        let root = data.root
        switch name {
        case "gavel-1k":
            return (["--trace", root.file("datasets/gavel-reference/cont_single_n1000_lam900/cont_single_n1000_lam900.trace"),
                     "--cluster", "clusters/gavel.yaml"], 0.2)
        default:
            return (["--trace", root.phillyTrace, "--cluster", "clusters/hetero-2048.yaml"], 2)
        }
    }

    func run() throws {
        try guarded {
            let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            print("case        runs  median s   min s   max s  goal s")
            for name in cases.split(separator: ",").map(String.init) {
                let (args, goal) = arguments(name)
                let full = ["simulate", "--data", data.root.path, "--devices", data.devices] + args
                var walls: [Double] = []
                for _ in 0..<runs {
                    let p = Process()
                    p.executableURL = URL(fileURLWithPath: exe)
                    p.arguments = full
                    p.standardOutput = FileHandle.nullDevice
                    let errors = Pipe()
                    p.standardError = errors
                    let start = DispatchTime.now().uptimeNanoseconds
                    try p.run()
                    let message = errors.fileHandleForReading.readDataToEndOfFile()
                    p.waitUntilExit()
                    walls.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                    guard p.terminationStatus == 0 else {
                        throw InputError(file: exe, reason: "augur \(full.joined(separator: " ")) exited \(p.terminationStatus): \(String(decoding: message, as: UTF8.self))")
                    }
                }
                walls.sort()
                print(String(format: "%@  %4d  %8.3f  %6.3f  %6.3f  %6.1f", name.padding(toLength: 10, withPad: " ", startingAt: 0), runs,
                             walls[walls.count / 2], walls[0], walls[walls.count - 1], goal))
            }
        }
    }
}
