/// A growable byte buffer that formatters write lines into.
///
/// Writing goes through a raw pointer (no per-byte bounds or uniqueness checks), which is several
/// times faster than appending to `[UInt8]`. A sink keeps one buffer and reuses it for every batch:
/// ``removeAll()`` keeps the capacity. The buffer is a reference type used by one thread at a time.
public final class LineBuffer {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    @usableFromInline var written: Int

    /// The number of bytes written.
    public var count: Int { written }

    /// Creates an empty buffer.
    ///
    /// - Parameter capacity: The initial capacity in bytes (default 64 KiB).
    public init(capacity: Int = 65_536) {
        self.capacity = max(capacity, 16)
        self.base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
        self.written = 0
    }

    deinit {
        base.deallocate()
    }

    /// Whether nothing is written.
    public var isEmpty: Bool { written == 0 }

    /// Makes room for at least `additional` more bytes.
    ///
    /// - Parameter additional: The number of bytes about to be written.
    @inlinable
    public func reserve(_ additional: Int) {
        if written + additional > capacity { grow(to: written + additional) }
    }

    @usableFromInline
    func grow(to minimum: Int) {
        var newCapacity = capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: written)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Appends one byte.
    ///
    /// - Parameter byte: The byte.
    @inlinable
    public func append(_ byte: UInt8) {
        if written == capacity { grow(to: written + 1) }
        base[written] = byte
        written += 1
    }

    /// Appends raw bytes.
    ///
    /// - Parameter bytes: The bytes to copy.
    @inlinable
    public func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        UnsafeMutableRawPointer(base + written).copyMemory(from: source, byteCount: bytes.count)
        written += bytes.count
    }

    /// Appends the UTF-8 bytes of `text` as they are, without escaping.
    ///
    /// - Parameter text: The text.
    @inlinable
    public func append(_ text: String) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends the bytes of a static string, such as a literal.
    ///
    /// - Parameter text: The text.
    @inlinable
    public func append(_ text: StaticString) {
        text.withUTF8Buffer { append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends a sequence of bytes.
    ///
    /// - Parameter bytes: The bytes.
    public func append(contentsOf bytes: some Sequence<UInt8>) {
        for byte in bytes { append(byte) }
    }

    /// Appends the decimal digits of `value`.
    ///
    /// - Parameter value: The number.
    @inlinable
    public func appendDecimal(_ value: Int64) {
        reserve(20)
        if value < 0 {
            base[written] = UInt8(ascii: "-")
            written += 1
        }
        var magnitude = value.magnitude
        var digits = 1
        var limit: UInt64 = 10
        while digits < 20, magnitude >= limit {
            digits += 1
            limit = limit &* 10
        }
        var position = written + digits
        repeat {
            position -= 1
            base[position] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 48
            magnitude /= 10
        } while magnitude != 0
        written += digits
    }

    /// Appends `value` as exactly `width` decimal digits, padded with zeros (the value must fit).
    ///
    /// - Parameters:
    ///   - value: A non-negative number below `10^width`.
    ///   - width: The number of digits.
    @inlinable
    public func appendPaddedDecimal(_ value: Int, width: Int) {
        reserve(width)
        var remaining = value
        var position = written + width
        while position > written {
            position -= 1
            base[position] = UInt8(truncatingIfNeeded: remaining % 10) &+ 48
            remaining /= 10
        }
        written += width
    }

    /// Appends a copy of bytes already written, such as a key prefix repeated within one line.
    ///
    /// Does nothing when the range is not within the written bytes.
    ///
    /// - Parameters:
    ///   - offset: The offset of the first byte to copy.
    ///   - count: The number of bytes to copy.
    public func appendCopy(ofBytesAt offset: Int, count: Int) {
        guard offset >= 0, count > 0, offset <= written - count else { return }
        reserve(count)
        (base + written).update(from: base + offset, count: count)
        written += count
    }

    /// Forgets the written bytes and keeps the capacity.
    public func removeAll() {
        written = 0
    }

    /// Shortens the buffer to its first `length` bytes.
    ///
    /// - Parameter length: The new count; ignored when not smaller than the current count.
    public func truncate(to length: Int) {
        if length >= 0, length < written { written = length }
    }

    /// Calls `body` with the written bytes.
    ///
    /// - Parameter body: Receives the bytes; the pointer is valid only during the call.
    /// - Returns: What `body` returns.
    public func withUnsafeReadableBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: written))
    }

    /// Reads the byte at `index` (which must be below ``count``).
    public subscript(index: Int) -> UInt8 {
        base[index]
    }

    /// A copy of the written bytes.
    public var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: written))
    }

    /// The written bytes decoded as UTF-8 (invalid sequences repaired).
    public var string: String {
        String(decoding: UnsafeBufferPointer(start: base, count: written), as: UTF8.self)
    }
}
