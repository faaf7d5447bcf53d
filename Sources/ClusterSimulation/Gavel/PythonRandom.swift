/// The Mersenne Twister MT19937 (Matsumoto and Nishimura, "Mersenne Twister: A
/// 623-dimensionally equidistributed uniform pseudo-random number generator", ACM TOMACS 1998),
/// seeded from an integer the way CPython's `random.Random(seed)` seeds it (`init_by_array` over
/// the seed's 32-bit words), with CPython's `getrandbits`, `randrange` and `shuffle` on top. The
/// Gavel mechanism uses it so that Gavel's random choices (FIFO's device type, the per-round
/// order of device types) replay exactly as Gavel's simulator makes them.
struct PythonRandom {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 625

    init(seed: UInt64) {
        var key: [UInt32] = []
        var s = seed
        repeat {
            key.append(UInt32(truncatingIfNeeded: s))
            s >>= 32
        } while s != 0
        seedByArray(key)
    }

    private mutating func seedLinear(_ s: UInt32) {
        state[0] = s
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
    }

    private mutating func seedByArray(_ key: [UInt32]) {
        seedLinear(19_650_218)
        var i = 1, j = 0
        for _ in 0..<max(624, key.count) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1
            j += 1
            if i >= 624 { state[0] = state[623]; i = 1 }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<623 {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= 624 { state[0] = state[623]; i = 1 }
        }
        state[0] = 0x8000_0000
    }

    private mutating func twist() {
        for k in 0..<624 {
            let y = (state[k] & 0x8000_0000) | (state[(k + 1) % 624] & 0x7fff_ffff)
            state[k] = state[(k + 397) % 624] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_b0df)
        }
        index = 0
    }

    /// The next 32 random bits (`genrand_uint32`).
    mutating func next32() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// `getrandbits(k)` for 1 ≤ k ≤ 32.
    mutating func bits(_ k: Int) -> UInt32 {
        precondition(k >= 1 && k <= 32)
        return next32() >> UInt32(32 - k)
    }

    /// `randrange(n)`: uniform in 0..<n by rejection (`_randbelow`), n ≥ 1 and < 2³².
    mutating func below(_ n: Int) -> Int {
        precondition(n >= 1 && n <= Int(UInt32.max))
        let k = Int.bitWidth - n.leadingZeroBitCount
        var r = Int(bits(k))
        while r >= n { r = Int(bits(k)) }
        return r
    }

    /// `shuffle(x)`: Fisher–Yates from the end, as CPython does it.
    mutating func shuffle<T>(_ x: inout [T]) {
        guard x.count > 1 else { return }
        for i in stride(from: x.count - 1, through: 1, by: -1) {
            x.swapAt(i, below(i + 1))
        }
    }
}
