import ClusterKit

/// Seeded mutation of input bytes (no coverage feedback): each mutant is a corpus file with one
/// to five stacked edits — bit flips, byte insertions and deletions, chunk duplication, splices
/// of other corpus files, and "interesting" tokens (huge, negative and non-finite numbers, empty
/// and very long fields, control characters, invalid UTF-8, deep nesting) put in place of a
/// field or between two bytes. Mutant `i` of a parser depends only on (seed, parser, i), so a
/// run can resume after input `i` and any input can be regenerated.
struct FuzzMutator {
    /// Mutants are cut to this many bytes.
    static let maxSize = 1 << 20

    static let tokens: [[UInt8]] = {
        var t: [String] = [
            "1e308", "-1e308", "1e309", "-1", "0", "-0", "nan", "NaN", "inf", "-inf", "Infinity", "9999999999999",
            "18446744073709551616", "9223372036854775807", "-9223372036854775808", "2147483648", "4294967296",
            "1e-320", "0x10", "1_000", "+5", ".5", "5.", "1e", "--", "", ",", ",,", "\n", "\r\n", "\r", "\t", "\"",
            "\"\"", "'", "\\", "\0", "\u{1}", "\u{7f}", "\u{1b}[2J", " ", "{", "}", "[", "]", ":", ": ", "- ", "-",
            "&a ", "*a", "!!binary ", "!!float ", "|", ">", "#", "%YAML 1.2\n", "---\n", "...\n", "? ", "<<: ", "~",
            "null", "true", "false", "yes", "{}", "[]", "\u{FEFF}", "é", "𝄞", "\u{2028}", "1970-01-01 00:00:00",
            "2017-02-29 00:00:00", "9999-12-31 23:59:60", "0000-00-00 00:00:00", "train", "infer", "fp16", "bf16",
            "a100-80g", "v100", "cpu", "nb201", "resnet50", "ResNet-50 (batch size 64)", "LS", "BE", "Burstable",
            "V100M16|V100M32", "__metadata__", "\"dtype\":\"F64\"", "\"shape\":[-1]", "\"data_offsets\":[0,99999999]",
        ]
        t.append(String(repeating: "A", count: 5000))
        t.append(String(repeating: "9", count: 400))
        t.append(String(repeating: "[", count: 3000))
        t.append(String(repeating: "{\"a\":", count: 1500))
        t.append(String(repeating: "- ", count: 2000))
        t.append(String(repeating: " ", count: 3000) + "x")
        t.append(String(repeating: "a,", count: 3000))
        t.append(String(repeating: "\n", count: 2000))
        var bytes = t.map { Array($0.utf8) }
        bytes += [[0xFF], [0xFE, 0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF]]
        return bytes
    }()

    /// Little-endian integers that often break length and offset fields of binary formats.
    static let interestingIntegers: [UInt64] = [
        0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
        0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, .max, 1 << 40, 1 << 32 + 1,
    ]

    var rng: SeededGenerator
    let corpus: [[UInt8]]

    /// The generator of mutant `index` of `parser` under `seed`.
    init(seed: UInt64, parser: String, index: Int, corpus: [[UInt8]]) {
        rng = SeededGenerator(seed: seed ^ StableHash.fnv1a64(parser) &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        _ = rng.next()
        self.corpus = corpus
    }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(rng.next() % UInt64(n)) }

    /// Mutant of a random corpus file (about one in 64 is the file unchanged).
    mutating func mutant() -> [UInt8] {
        var data = corpus[below(corpus.count)]
        if below(64) == 0 { return data }
        let edits = 1 + below(5)
        for _ in 0..<edits { edit(&data) }
        if data.count > Self.maxSize { data.removeLast(data.count - Self.maxSize) }
        return data
    }

    /// A random offset in `0...count`.
    mutating func offset(_ data: [UInt8]) -> Int { below(data.count + 1) }

    /// The bounds of a random field: bytes between separators (`,` tab newline `:` space quote).
    mutating func field(_ data: [UInt8]) -> Range<Int> {
        guard !data.isEmpty else { return 0..<0 }
        let isSeparator: (UInt8) -> Bool = { [0x2C, 0x09, 0x0A, 0x0D, 0x3A, 0x20, 0x22, 0x5B, 0x5D, 0x7B, 0x7D].contains($0) }
        let at = below(data.count)
        var lo = at, hi = at
        while lo > 0 && !isSeparator(data[lo - 1]) { lo -= 1 }
        while hi < data.count && !isSeparator(data[hi]) { hi += 1 }
        return lo..<hi
    }

    mutating func token() -> [UInt8] { Self.tokens[below(Self.tokens.count)] }

    mutating func edit(_ data: inout [UInt8]) {
        if data.count < 8 { data.insert(contentsOf: token(), at: offset(data)); return }
        switch below(14) {
        case 0, 1: // flip a bit
            let i = below(data.count)
            data[i] ^= 1 << UInt8(below(8))
        case 2: // set a byte
            data[below(data.count)] = UInt8(truncatingIfNeeded: rng.next())
        case 3: // insert random bytes
            let n = 1 + below(8)
            data.insert(contentsOf: (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: offset(data))
        case 4: // delete a range
            let start = below(data.count)
            let n = 1 + below(min(data.count - start, below(4) == 0 ? 4096 : 16))
            data.removeSubrange(start..<start + n)
        case 5: // duplicate a chunk
            let start = below(data.count)
            let n = 1 + below(min(data.count - start, 512))
            let chunk = Array(data[start..<start + n])
            let copies = below(8) == 0 ? 1 + below(64) : 1
            for _ in 0..<copies where data.count < Self.maxSize { data.insert(contentsOf: chunk, at: offset(data)) }
        case 6, 7: // replace a field with a token
            let r = field(data)
            data.replaceSubrange(r, with: token())
        case 8: // insert a token
            data.insert(contentsOf: token(), at: offset(data))
        case 9: // splice: a prefix of this file and a suffix of another
            let other = corpus[below(corpus.count)]
            let cut = offset(data), from = below(other.count + 1)
            data = Array(data[..<cut]) + other[from...]
        case 10: // truncate
            data.removeSubrange(offset(data)...)
        case 11: // overwrite 1, 2, 4 or 8 bytes with an interesting little-endian integer
            let width = [1, 2, 4, 8][below(4)]
            let at = below(data.count - width + 1)
            var v = Self.interestingIntegers[below(Self.interestingIntegers.count)]
            if below(2) == 0 { v = v &- 1 }
            for k in 0..<width { data[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) }
        case 12: // duplicate or drop a line
            let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
            guard lines.count > 1 else { data.insert(0x0A, at: offset(data)); return }
            var ls = lines.map(Array.init)
            let i = below(ls.count)
            if below(2) == 0 { ls.insert(ls[i], at: below(ls.count + 1)) } else { ls.remove(at: i) }
            data = Array(ls.joined(separator: [0x0A]))
        default: // an ASCII digit run becomes another number
            let r = field(data)
            data.replaceSubrange(r, with: Array(String(Int64(bitPattern: rng.next()) >> UInt64(below(64))).utf8))
        }
    }
}
