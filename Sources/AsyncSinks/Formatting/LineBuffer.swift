/// A growable byte buffer that formatters write lines into.
///
/// Writing goes through a raw pointer (no per-byte bounds or uniqueness checks), which is several
/// times faster than appending to `[UInt8]`. A sink keeps one buffer and reuses it for every batch:
/// ``removeAll()`` keeps the capacity. The buffer is a reference type used by one thread at a time.
public final class LineBuffer {
    /// The buffer's state, kept behind a pointer: the class's only stored property is a constant, so
    /// reading and writing the state needs no dynamic exclusivity checks, which would otherwise
    /// dominate the cost of appending a few bytes.
    @usableFromInline
    struct State {
        @usableFromInline var base: UnsafeMutablePointer<UInt8>
        @usableFromInline var capacity: Int
        @usableFromInline var written: Int
        /// The second (since the epoch) whose date-time text `YYYY-MM-DDTHH:MM:SS` is cached in
        /// ``timestampText``; ``TimestampFormat`` reuses it for records within the same second.
        @usableFromInline var timestampSecond: Int64
        /// The 19 bytes of the cached date-time text, in three words (the last holds 3 bytes).
        @usableFromInline var timestampText: (UInt64, UInt64, UInt64)

        @inlinable
        init(base: UnsafeMutablePointer<UInt8>, capacity: Int, written: Int) {
            self.base = base
            self.capacity = capacity
            self.written = written
            self.timestampSecond = .min
            self.timestampText = (0, 0, 0)
        }
    }

    @usableFromInline let state: UnsafeMutablePointer<State>

    /// The start of the storage, for code in this package that reads written bytes in place (an
    /// encoder copying a range, a compressor reading its input).
    ///
    /// Valid until the next write that grows the buffer. Bytes at and beyond ``count`` are
    /// uninitialized; write there only through ``appendUninitialized(maximum:_:)``.
    @inlinable package var base: UnsafeMutablePointer<UInt8> { state.pointee.base }

    /// The storage's size in bytes.
    @inlinable var capacity: Int { state.pointee.capacity }

    /// The number of bytes written; formatters in this module advance it after writing through ``base``.
    @inlinable var written: Int {
        get { state.pointee.written }
        set { state.pointee.written = newValue }
    }

    /// The number of bytes written.
    public var count: Int { state.pointee.written }

    /// Creates an empty buffer.
    ///
    /// - Parameter capacity: The initial capacity in bytes (default 64 KiB).
    public init(capacity: Int = 65_536) {
        let capacity = max(capacity, 16)
        state = UnsafeMutablePointer<State>.allocate(capacity: 1)
        state.initialize(to: State(base: Self.allocateStorage(capacity), capacity: capacity, written: 0))
    }

    /// The alignment of the storage: a cache line, so that a writer can place bytes at the same offset
    /// within a cache line as their destination (the file sink does, for the kernel's copy).
    package static let alignment = 64

    /// Allocates storage for `capacity` bytes, aligned to ``alignment``.
    private static func allocateStorage(_ capacity: Int) -> UnsafeMutablePointer<UInt8> {
        UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: alignment).bindMemory(to: UInt8.self, capacity: capacity)
    }

    deinit {
        state.pointee.base.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Whether nothing is written.
    public var isEmpty: Bool { written == 0 }

    /// Makes room for at least `additional` more bytes.
    ///
    /// - Parameter additional: The number of bytes about to be written.
    @inlinable @inline(__always)
    public func reserve(_ additional: Int) {
        if written + additional > capacity { grow(to: written + additional) }
    }

    @usableFromInline
    func grow(to minimum: Int) {
        var newCapacity = capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let newBase = Self.allocateStorage(newCapacity)
        newBase.update(from: base, count: written)
        base.deallocate()
        state.pointee.base = newBase
        state.pointee.capacity = newCapacity
    }

    /// Appends one byte.
    ///
    /// - Parameter byte: The byte.
    @inlinable @inline(__always)
    public func append(_ byte: UInt8) {
        let position = written
        if position == capacity { grow(to: position + 1) }
        base[position] = byte
        written = position + 1
    }

    /// Appends raw bytes.
    ///
    /// - Parameter bytes: The bytes to copy.
    @inlinable @inline(__always)
    public func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        let position = written
        UnsafeMutableRawPointer(base + position).copyMemory(from: source, byteCount: bytes.count)
        written = position + bytes.count
    }

    /// Appends the UTF-8 bytes of `text` as they are, without escaping.
    ///
    /// - Parameter text: The text.
    @inlinable
    public func append(_ text: String) {
        text.withUTF8Content { append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends the bytes of a static string, such as a literal.
    ///
    /// - Parameter text: The text.
    @inlinable @inline(__always)
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
        let base = self.base
        var start = written
        if value < 0 {
            base[start] = UInt8(ascii: "-")
            start += 1
        }
        var magnitude = value.magnitude
        let digits = Self.decimalDigitCount(magnitude)
        var position = start + digits
        repeat {
            position -= 1
            base[position] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 48
            magnitude /= 10
        } while magnitude != 0
        written = start + digits
    }

    /// The number of decimal digits of `value`, at least 1 (the length ``appendDecimal(_:)`` writes for
    /// a non-negative number).
    ///
    /// - Parameter value: The number.
    /// - Returns: A count from 1 to 20.
    @inlinable
    package static func decimalDigitCount(_ value: UInt64) -> Int {
        var digits = 1
        var limit: UInt64 = 10
        while digits < 20, value >= limit {
            digits += 1
            limit = limit &* 10
        }
        return digits
    }

    /// Appends `value` as exactly `width` decimal digits, padded with zeros (the value must fit).
    ///
    /// - Parameters:
    ///   - value: A non-negative number below `10^width`.
    ///   - width: The number of digits.
    @inlinable
    public func appendPaddedDecimal(_ value: Int, width: Int) {
        reserve(width)
        let base = self.base
        let start = written
        var remaining = value
        var position = start + width
        while position > start {
            position -= 1
            base[position] = UInt8(truncatingIfNeeded: remaining % 10) &+ 48
            remaining /= 10
        }
        written = start + width
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

    /// Appends a copy of bytes written in another buffer, such as a line kept in an arena.
    ///
    /// Does nothing when the range is not within `other`'s written bytes. `other` may be this buffer.
    ///
    /// - Parameters:
    ///   - other: The buffer to copy from.
    ///   - offset: The offset of the first byte to copy in `other`.
    ///   - count: The number of bytes to copy.
    @inlinable
    package func append(_ other: LineBuffer, offset: Int, count: Int) {
        guard offset >= 0, count > 0, offset <= other.written - count else { return }
        reserve(count)
        // Read `other.base` after reserving: when `other` is this buffer, reserving may move it.
        (base + written).update(from: other.base + offset, count: count)
        written += count
    }

    /// Lets `body` write up to `maximum` bytes straight into the storage after the written bytes,
    /// for producers that know only an upper bound of their output (a compressor, a varint).
    ///
    /// - Parameters:
    ///   - maximum: The most bytes `body` may write.
    ///   - body: Receives the address of room for `maximum` bytes (valid only during the call) and
    ///     returns how many it wrote; the result is clamped to `0...maximum`.
    @inlinable
    package func appendUninitialized(maximum: Int, _ body: (UnsafeMutablePointer<UInt8>) throws -> Int) rethrows {
        reserve(max(0, maximum))
        let position = written
        let produced = try body(base + position)
        written = position + min(max(0, produced), maximum)
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
