/// A growable byte buffer written through a raw pointer, reused across requests.
///
/// The Loki encoders write lines, label strings, protobuf messages and compressed bodies into
/// buffers of this type. ``removeAll()`` keeps the capacity, so a sink that reuses its buffers
/// stops allocating once they have grown to the size of its largest request.
///
/// The buffer's state lives behind a pointer held in a `let`, so the hot append paths pay no
/// dynamic exclusivity checks (which class `var` properties would cost on every byte).
final class ByteBuffer {
    private struct Header {
        var base: UnsafeMutablePointer<UInt8>
        var capacity: Int
        var count: Int
    }

    private let header: UnsafeMutablePointer<Header>

    /// The start of the written bytes; valid until the next append that grows the buffer.
    var base: UnsafeMutablePointer<UInt8> {
        @inline(__always) get { header.pointee.base }
    }

    /// The allocated capacity in bytes.
    var capacity: Int {
        @inline(__always) get { header.pointee.capacity }
    }

    /// The number of bytes written.
    private(set) var count: Int {
        @inline(__always) get { header.pointee.count }
        @inline(__always) set { header.pointee.count = newValue }
    }

    /// Creates an empty buffer.
    ///
    /// - Parameter capacity: The initial capacity in bytes.
    init(capacity: Int = 4096) {
        let initialCapacity = max(capacity, 16)
        header = UnsafeMutablePointer<Header>.allocate(capacity: 1)
        header.initialize(to: Header(
            base: UnsafeMutablePointer<UInt8>.allocate(capacity: initialCapacity), capacity: initialCapacity, count: 0))
    }

    deinit {
        header.pointee.base.deallocate()
        header.deinitialize(count: 1)
        header.deallocate()
    }

    /// Makes room for at least `additional` more bytes.
    @inline(__always)
    func reserve(_ additional: Int) {
        if count + additional > capacity { grow(to: count + additional) }
    }

    private func grow(to minimum: Int) {
        var newCapacity = capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        header.pointee.base = newBase
        header.pointee.capacity = newCapacity
    }

    /// Forgets the written bytes and keeps the capacity.
    func removeAll() {
        count = 0
    }

    /// Shortens the buffer to its first `length` bytes.
    func truncate(to length: Int) {
        if length >= 0, length < count { count = length }
    }

    /// Appends one byte.
    @inline(__always)
    func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    /// Appends raw bytes.
    @inline(__always)
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// Appends `length` bytes of this buffer starting at `offset` (which must be written already).
    func appendCopy(ofRangeAt offset: Int, length: Int) {
        guard length > 0 else { return }
        reserve(length)
        (base + count).update(from: base + offset, count: length)
        count += length
    }

    /// Appends the bytes of another buffer's range.
    func append(_ other: ByteBuffer, offset: Int, length: Int) {
        guard length > 0 else { return }
        reserve(length)
        (base + count).update(from: other.base + offset, count: length)
        count += length
    }

    /// Appends the UTF-8 bytes of `text`.
    @inline(__always)
    func append(_ text: String) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends the bytes of a static string.
    @inline(__always)
    func append(_ text: StaticString) {
        text.withUTF8Buffer { append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends the decimal digits of `value`.
    func appendDecimal(_ value: Int64) {
        reserve(20)
        if value < 0 {
            base[count] = UInt8(ascii: "-")
            count += 1
        }
        var magnitude = value.magnitude
        let digits = Self.decimalDigitCount(magnitude)
        var position = count + digits
        repeat {
            position -= 1
            base[position] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 48
            magnitude /= 10
        } while magnitude != 0
        count += digits
    }

    /// The number of decimal digits of `value` (at least 1).
    static func decimalDigitCount(_ value: UInt64) -> Int {
        var digits = 1
        var limit: UInt64 = 10
        while digits < 20, value >= limit {
            digits += 1
            limit = limit &* 10
        }
        return digits
    }

    /// Appends `value` as a protobuf base-128 varint.
    @inline(__always)
    func appendVarint(_ value: UInt64) {
        reserve(10)
        var remaining = value
        while remaining >= 0x80 {
            base[count] = UInt8(truncatingIfNeeded: remaining) | 0x80
            count += 1
            remaining >>= 7
        }
        base[count] = UInt8(truncatingIfNeeded: remaining)
        count += 1
    }

    /// Calls `body` with the written bytes.
    func withUnsafeReadableBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Calls `body` with room for `maximum` more bytes; `body` returns how many it wrote.
    func appendUninitialized(maximum: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(maximum)
        let written = body(base + count)
        count += min(max(0, written), maximum)
    }

    /// A copy of the written bytes.
    var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }
}
