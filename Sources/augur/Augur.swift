import ArgumentParser
import Foundation
import ClusterKit
import ClusterSimulation

/// The `augur` command: glue between the libraries and the user.
@main
struct Augur: ParsableCommand {
    static let version = "0.1.0"
    static let configuration = CommandConfiguration(
        commandName: "augur",
        abstract: "Deep-learning cluster research: a performance predictor and a discrete-event cluster simulator.",
        version: version,
        subcommands: [Demo.self, Simulate.self, GavelReferenceCommand.self, Evaluate.self, Train.self, Eval.self, Adapt.self, Remember.self, Predict.self, Experiment.self, Bench.self, TraceCommand.self,
                      ClusterCommand.self, Calibrate.self, Doctor.self, Fuzz.self])

    /// Runs the command; every error that is not help, version or an exit status a command
    /// chose (an interruption's 130) is one line and exit status 2 (`ErrorLine`).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            exit(withError: code)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            ErrorLine.report(message(for: error))
            Foundation.exit(ErrorLine.status)
        }
    }
}

/// Runs a body, turning `InputError`s into one line on stderr and exit code 2.
func guarded<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as InputError {
        ErrorLine.report(e.description)
        throw ExitCode(ErrorLine.status)
    }
}

func printError(_ s: String) { printError(s, newline: true) }
