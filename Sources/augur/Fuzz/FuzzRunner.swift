import ClusterKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The counts of one parser's run.
struct FuzzCounts: Equatable {
    var inputs = 0
    var accepted = 0
    var rejected = 0
    /// Errors of another type than the parser's own (a contract break, not a crash).
    var untyped = 0
    var crashes = 0
    var hangs = 0
    var seconds = 0.0
    /// The slowest input, in CPU seconds of the worker (`FuzzClock`).
    var slowest = 0.0

    var failures: Int { untyped + crashes + hangs }

    static func + (a: FuzzCounts, b: FuzzCounts) -> FuzzCounts {
        FuzzCounts(inputs: a.inputs + b.inputs, accepted: a.accepted + b.accepted, rejected: a.rejected + b.rejected,
                   untyped: a.untyped + b.untyped, crashes: a.crashes + b.crashes, hangs: a.hangs + b.hangs,
                   seconds: a.seconds + b.seconds, slowest: max(a.slowest, b.slowest))
    }
}

/// A finding: the kind, the input's index and the error (for untyped errors).
struct FuzzFinding {
    var kind: String
    var index: Int
    var message: String
    var input: [UInt8]
}

/// Feeds mutants `from..<to` of one target to its parser, in this process.
struct FuzzRunner {
    let target: FuzzTarget
    let env: FuzzEnvironment
    let seed: UInt64
    let corpus: [[UInt8]]
    /// An input that takes longer than this, in CPU seconds of the worker, is a hang (counted
    /// after it returns; the watchdog of `augur fuzz` also ends a worker whose input never
    /// returns). CPU time, not wall time, so a worker starved on a loaded machine (a niced
    /// campaign beside builds) does not report hangs that are not there.
    var hangSeconds = 2.0

    init(target: FuzzTarget, env: FuzzEnvironment, seed: UInt64) {
        self.target = target
        self.env = env
        self.seed = seed
        let corpus = target.corpus(env)
        self.corpus = corpus.isEmpty ? [[]] : corpus
    }

    /// Mutant `index` (deterministic in seed, parser and index).
    func mutant(_ index: Int) -> [UInt8] {
        var m = FuzzMutator(seed: seed, parser: target.name, index: index, corpus: corpus)
        return m.mutant()
    }

    /// Runs one input: accepted (true), rejected with the parser's error (false), or a finding.
    func feed(_ bytes: [UInt8]) -> Result<Bool, any Error> {
        do { return .success(try target.run(env, bytes)) } catch {
            return target.isTyped(error) ? .success(false) : .failure(error)
        }
    }

    /// Runs inputs `from..<to`, stopping early at `deadline` (uptime seconds); `found` hears
    /// each finding. Returns the counts and the next index.
    func run(from: Int, to: Int, deadline: Double? = nil, guarded: Bool = false,
             found: (FuzzFinding) -> Void = { _ in }) -> (FuzzCounts, next: Int) {
        var c = FuzzCounts()
        let start = ProcessInfo.processInfo.systemUptime
        var i = from
        while i < to {
            let bytes = mutant(i)
            if let deadline, ProcessInfo.processInfo.systemUptime >= deadline { break }
            let t0 = FuzzClock.cpuSeconds()
            if guarded { FuzzGuard.begin(index: i, bytes: bytes, counts: c) }
            let outcome = feed(bytes)
            if guarded { FuzzGuard.end() }
            let dt = FuzzClock.cpuSeconds() - t0
            c.inputs += 1
            c.slowest = max(c.slowest, dt)
            switch outcome {
            case .success(true): c.accepted += 1
            case .success(false): c.rejected += 1
            case .failure(let error):
                c.untyped += 1
                found(FuzzFinding(kind: "untyped", index: i, message: "\(type(of: error)): \(error)", input: bytes))
            }
            if dt > hangSeconds {
                c.hangs += 1
                found(FuzzFinding(kind: "hang", index: i, message: String(format: "%.1f s", dt), input: bytes))
            }
            i += 1
        }
        c.seconds = ProcessInfo.processInfo.systemUptime - start
        return (c, i)
    }
}

/// Crash and hang reporting for a worker process: a fatal signal (a trap, a bad access, a stack
/// overflow) or an input that runs past the hang bound writes the input to a file and a line
/// `crash|hang INDEX ACCEPTED REJECTED UNTYPED` on stdout, then ends the process, so the parent
/// can count it and resume after it. Only async-signal-safe calls on preallocated memory are
/// made once the signal has come.
enum FuzzGuard {
    nonisolated(unsafe) static var input: UnsafeMutablePointer<UInt8> = .allocate(capacity: FuzzMutator.maxSize + 64)
    nonisolated(unsafe) static var inputCount = 0
    nonisolated(unsafe) static var index = 0
    nonisolated(unsafe) static var counts = (0, 0, 0)
    nonisolated(unsafe) static var savePath: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static var line: UnsafeMutablePointer<UInt8> = .allocate(capacity: 256)
    /// When the current input began, in CPU seconds (`FuzzClock`) and in wall seconds; 0 between inputs.
    nonisolated(unsafe) static var startedAt = 0.0
    nonisolated(unsafe) static var startedAtWall = 0.0
    nonisolated(unsafe) static var reported = false
    static let lock = NSLock()

    static func begin(index i: Int, bytes: [UInt8], counts c: FuzzCounts) {
        lock.lock()
        bytes.withUnsafeBufferPointer { b in
            if let base = b.baseAddress { input.update(from: base, count: b.count) }
        }
        inputCount = bytes.count
        index = i
        counts = (c.accepted, c.rejected, c.untyped)
        startedAt = FuzzClock.cpuSeconds()
        startedAtWall = ProcessInfo.processInfo.systemUptime
        lock.unlock()
    }

    static func end() {
        lock.lock()
        startedAt = 0
        lock.unlock()
    }

    /// Installs the signal handlers (on an alternate stack, so a stack overflow is caught too)
    /// and a watchdog thread ending the process when an input runs past `hangSeconds`.
    static func install(savePath path: String, hangSeconds: Double) {
        savePath = strdup(path)
        #if canImport(Glibc)
        let altSize = 1 << 16
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: altSize, alignment: 16)
        stack.ss_size = altSize
        stack.ss_flags = 0
        sigaltstack(&stack, nil)
        for sig in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                FuzzGuard.report(kind: "crash")
                signal(sig, SIG_DFL)
                raise(sig)
            }
            action.sa_flags = Int32(SA_ONSTACK)
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, nil)
        }
        #endif
        let watchdog = Thread {
            while true {
                usleep(50_000)
                lock.lock()
                let t = startedAt
                let wall = startedAtWall
                lock.unlock()
                // CPU time past the bound, or wall time far past it (an input blocked, not busy).
                if t > 0 && (FuzzClock.cpuSeconds() - t > hangSeconds
                             || ProcessInfo.processInfo.systemUptime - wall > max(60, 30 * hangSeconds)) {
                    report(kind: "hang")
                    _exit(3)
                }
            }
        }
        watchdog.start()
    }

    /// Writes the current input to `savePath` and the report line to stdout (signal-safe).
    static func report(kind: StaticString) {
        guard !reported else { return }
        reported = true
        if let savePath {
            let fd = open(savePath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            if fd >= 0 {
                var done = 0
                while done < inputCount {
                    let n = write(fd, input + done, inputCount - done)
                    if n <= 0 { break }
                    done += n
                }
                close(fd)
            }
        }
        var n = 0
        func put(_ b: UInt8) { if n < 250 { line[n] = b; n += 1 } }
        func putNumber(_ v: Int) {
            put(0x20)
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var k = 0
            var x = max(v, 0)
            withUnsafeMutableBytes(of: &digits) { d in
                repeat { d[k] = UInt8(48 + x % 10); x /= 10; k += 1 } while x > 0 && k < 20
                while k > 0 { k -= 1; put(d[k]) }
            }
        }
        put(0x0A)
        kind.withUTF8Buffer { for b in $0 { put(b) } }
        putNumber(index)
        putNumber(counts.0)
        putNumber(counts.1)
        putNumber(counts.2)
        put(0x0A)
        _ = write(1, line, n)
    }
}

/// The worker's CPU time, which a parser spends only while it runs (the watchdog sleeps).
enum FuzzClock {
    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
