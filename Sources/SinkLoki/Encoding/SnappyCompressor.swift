import AsyncSinks

/// A compressor for the Snappy block format, the body compression Loki expects with
/// `Content-Type: application/x-protobuf`.
///
/// The output is one block: the uncompressed length as a varint, then literal and copy elements.
/// The input is compressed in independent fragments of 64 KiB, as the format's reference
/// implementation does: matches are found through a hash table of 4-byte sequences and emitted as
/// copies with 1- or 2-byte offsets, so repetitive log text shrinks several times.
///
/// The compressor owns its hash table and reuses it for every call; it is used by one thread at a
/// time.
final class SnappyCompressor {
    /// The largest fragment compressed independently.
    static let fragmentSize = 1 << 16
    /// The largest hash table, in entries.
    private static let maxTableSize = 1 << 14
    /// Inputs shorter than this are emitted as one literal.
    private static let inputMargin = 15

    private let table: UnsafeMutablePointer<UInt16>

    /// Creates a compressor with its hash table.
    init() {
        table = UnsafeMutablePointer<UInt16>.allocate(capacity: Self.maxTableSize)
        table.initialize(repeating: 0, count: Self.maxTableSize)
    }

    deinit {
        table.deallocate()
    }

    /// The largest block the compressor can produce for `length` input bytes.
    static func maxCompressedLength(_ length: Int) -> Int {
        32 + length + length / 6
    }

    /// Appends the compressed block for `input` to `output`.
    ///
    /// - Parameters:
    ///   - input: The bytes to compress.
    ///   - output: The buffer the block is appended to.
    func compress(_ input: UnsafeRawBufferPointer, into output: LineBuffer) {
        let length = input.count
        output.appendUninitialized(maximum: Self.maxCompressedLength(length)) { destination in
            var position = LineBuffer.writeVarint(UInt64(length), to: destination)
            guard let source = input.baseAddress, length > 0 else { return position }
            let bytes = source.assumingMemoryBound(to: UInt8.self)
            var offset = 0
            while offset < length {
                let fragment = min(Self.fragmentSize, length - offset)
                position += compressFragment(bytes + offset, count: fragment, into: destination + position)
                offset += fragment
            }
            return position
        }
    }

    @inline(__always)
    private static func load32(_ pointer: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt32.self))
    }

    @inline(__always)
    private static func hash(_ value: UInt32, shift: UInt32) -> Int {
        Int(truncatingIfNeeded: (value &* 0x1E35_A7BD) >> shift)
    }

    /// The number of equal bytes at the start of `earlier` and `later`, at most `limit`, compared
    /// eight bytes at a time (`earlier` precedes `later`, so both stay within the input).
    @inline(__always)
    private static func matchLength(_ earlier: UnsafePointer<UInt8>, _ later: UnsafePointer<UInt8>, limit: Int) -> Int {
        var matched = 0
        while matched + 8 <= limit {
            let difference = UnsafeRawPointer(earlier + matched).loadUnaligned(as: UInt64.self)
                ^ UnsafeRawPointer(later + matched).loadUnaligned(as: UInt64.self)
            if difference != 0 {
                return matched + UInt64(littleEndian: difference).trailingZeroBitCount >> 3
            }
            matched += 8
        }
        while matched < limit, earlier[matched] == later[matched] {
            matched += 1
        }
        return matched
    }

    /// Compresses one fragment of at most 64 KiB; returns the number of bytes written.
    private func compressFragment(_ input: UnsafePointer<UInt8>, count: Int, into output: UnsafeMutablePointer<UInt8>) -> Int {
        var out = 0
        if count < Self.inputMargin {
            return Self.emitLiteral(input, count: count, into: output)
        }
        var tableSize = 256
        var shift: UInt32 = 32 - 8
        while tableSize < Self.maxTableSize, tableSize < count {
            tableSize <<= 1
            shift -= 1
        }
        table.update(repeating: 0, count: tableSize)

        let inputLimit = count - Self.inputMargin
        var nextEmit = 0
        var ip = 1
        var nextHash = Self.hash(Self.load32(input + ip), shift: shift)

        outer: while true {
            var skip = 32
            var nextIp = ip
            var candidate = 0
            repeat {
                ip = nextIp
                let currentHash = nextHash
                let stride = skip >> 5
                skip += 1
                nextIp = ip + stride
                if nextIp > inputLimit { break outer }
                nextHash = Self.hash(Self.load32(input + nextIp), shift: shift)
                candidate = Int(table[currentHash])
                table[currentHash] = UInt16(truncatingIfNeeded: ip)
            } while Self.load32(input + ip) != Self.load32(input + candidate)

            out += Self.emitLiteral(input + nextEmit, count: ip - nextEmit, into: output + out)

            while true {
                let matchStart = ip
                let matched = 4 + Self.matchLength(input + candidate + 4, input + ip + 4, limit: count - ip - 4)
                ip += matched
                out += Self.emitCopy(offset: matchStart - candidate, length: matched, into: output + out)
                nextEmit = ip
                if ip >= inputLimit { break outer }
                let previousHash = Self.hash(Self.load32(input + ip - 1), shift: shift)
                table[previousHash] = UInt16(truncatingIfNeeded: ip - 1)
                let currentHash = Self.hash(Self.load32(input + ip), shift: shift)
                candidate = Int(table[currentHash])
                table[currentHash] = UInt16(truncatingIfNeeded: ip)
                if Self.load32(input + ip) != Self.load32(input + candidate) { break }
            }
            ip += 1
            nextHash = Self.hash(Self.load32(input + ip), shift: shift)
        }
        if nextEmit < count {
            out += Self.emitLiteral(input + nextEmit, count: count - nextEmit, into: output + out)
        }
        return out
    }

    /// Writes a literal element; returns the number of bytes written.
    @inline(__always)
    private static func emitLiteral(_ source: UnsafePointer<UInt8>, count: Int, into output: UnsafeMutablePointer<UInt8>) -> Int {
        guard count > 0 else { return 0 }
        let lengthMinusOne = count - 1
        var header = 1
        if lengthMinusOne < 60 {
            output[0] = UInt8(truncatingIfNeeded: lengthMinusOne << 2)
        } else if lengthMinusOne < 256 {
            output[0] = 60 << 2
            output[1] = UInt8(truncatingIfNeeded: lengthMinusOne)
            header = 2
        } else if lengthMinusOne < 65_536 {
            output[0] = 61 << 2
            output[1] = UInt8(truncatingIfNeeded: lengthMinusOne)
            output[2] = UInt8(truncatingIfNeeded: lengthMinusOne >> 8)
            header = 3
        } else {
            output[0] = 62 << 2
            output[1] = UInt8(truncatingIfNeeded: lengthMinusOne)
            output[2] = UInt8(truncatingIfNeeded: lengthMinusOne >> 8)
            output[3] = UInt8(truncatingIfNeeded: lengthMinusOne >> 16)
            header = 4
        }
        if count <= 16 {
            // Short literals are the common case: plain stores beat the call to `memmove`.
            let target = output + header
            for index in 0..<count { target[index] = source[index] }
        } else {
            (output + header).update(from: source, count: count)
        }
        return header + count
    }

    /// Writes copy elements for a match of `length` bytes at `offset` back (offset < 65 536).
    @inline(__always)
    private static func emitCopy(offset: Int, length: Int, into output: UnsafeMutablePointer<UInt8>) -> Int {
        var remaining = length
        var written = 0
        while remaining >= 68 {
            written += emitCopyUpTo64(offset: offset, length: 64, into: output + written)
            remaining -= 64
        }
        if remaining > 64 {
            written += emitCopyUpTo64(offset: offset, length: 60, into: output + written)
            remaining -= 60
        }
        written += emitCopyUpTo64(offset: offset, length: remaining, into: output + written)
        return written
    }

    @inline(__always)
    private static func emitCopyUpTo64(offset: Int, length: Int, into output: UnsafeMutablePointer<UInt8>) -> Int {
        if length < 12, offset < 2048 {
            output[0] = UInt8(truncatingIfNeeded: 1 | ((length - 4) << 2) | ((offset >> 8) << 5))
            output[1] = UInt8(truncatingIfNeeded: offset)
            return 2
        }
        output[0] = UInt8(truncatingIfNeeded: 2 | ((length - 1) << 2))
        output[1] = UInt8(truncatingIfNeeded: offset)
        output[2] = UInt8(truncatingIfNeeded: offset >> 8)
        return 3
    }
}
