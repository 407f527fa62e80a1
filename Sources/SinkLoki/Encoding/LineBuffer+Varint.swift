import AsyncSinks

extension LineBuffer {
    /// Appends `value` as a protobuf base-128 varint (one to ten bytes, low groups first).
    ///
    /// - Parameter value: The number.
    @inline(__always)
    func appendVarint(_ value: UInt64) {
        appendUninitialized(maximum: 10) { destination in Self.writeVarint(value, to: destination) }
    }

    /// Writes `value` as a varint at `destination` (room for ten bytes) and returns its length.
    @inline(__always)
    static func writeVarint(_ value: UInt64, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        var remaining = value
        var index = 0
        while remaining >= 0x80 {
            destination[index] = UInt8(truncatingIfNeeded: remaining) | 0x80
            remaining >>= 7
            index += 1
        }
        destination[index] = UInt8(truncatingIfNeeded: remaining)
        return index + 1
    }
}

extension LineBuffer {
    /// Appends a few bytes (a separator, a prebuilt field) with plain stores, which for a handful
    /// of bytes is cheaper than the call to `memmove` a general append makes.
    ///
    /// - Parameter bytes: The bytes; best kept short (tens of bytes).
    @inline(__always)
    func appendShort(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        let count = bytes.count
        appendUninitialized(maximum: count) { destination in
            for index in 0..<count { destination[index] = source[index] }
            return count
        }
    }
}
