import CAsyncSinksSupport

/// Writes each record's message as the whole line, for messages that already are formatted lines
/// (access logs, lines produced by another formatter, relayed output).
///
/// ```
/// GET /api/v1/orders 200 12ms
/// ```
///
/// Nothing else of the record is written: no timestamp, level, label, fields or source location.
/// Control characters in the message are escaped as in every other text format (`\n`, `\r`, `\t`,
/// `\u00XX`), so a message can never start a second line or drive a terminal.
///
/// Formatting a batch costs little more than copying its bytes: a message of printable ASCII is
/// copied straight from the string's storage, without touching its reference count, and only
/// messages with other characters take the escaping path.
public struct MessageFormatter: LogFormatter {
    /// Creates the formatter.
    public init() {}

    /// Appends the record's message, escaped, and a newline.
    ///
    /// - Parameters:
    ///   - record: The record.
    ///   - buffer: The buffer to append to.
    public func format(_ record: LogRecord, into buffer: LineBuffer) {
        FieldEncoding.appendEscaped(record.message, quotesAndBackslashes: false, to: buffer)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Appends one line per record, copying messages without control characters straight into the
    /// buffer and escaping the others.
    ///
    /// - Parameters:
    ///   - records: The records, in order.
    ///   - buffer: The buffer to append to.
    ///   - lineEnds: Receives the buffer's byte count after each record's line.
    public func format(_ records: UnsafeBufferPointer<LogRecord>, into buffer: LineBuffer, lineEnds: inout [Int]) {
        guard let first = records.baseAddress else { return }
        // Line ends go into slots made beforehand, so that the copying loop never grows an array.
        let firstSlot = lineEnds.count
        lineEnds.append(contentsOf: repeatElement(0, count: records.count))
        var index = 0
        while index < records.count {
            index = lineEnds.withUnsafeMutableBufferPointer { slots in
                copyPrintableMessages(first, from: index, count: records.count, into: buffer, lineEnds: slots.baseAddress.map { $0 + firstSlot })
            }
            guard index < records.count else { return }
            let needed = first[index].message.utf8.count &+ 1
            if buffer.capacity &- buffer.written < needed {
                // Out of room: grow for this line and, roughly, the rest of the batch.
                buffer.reserve(max(needed, (records.count &- index) &* 128))
                continue
            }
            // A message that needs escaping, or is not stored as contiguous UTF-8.
            format(first[index], into: buffer)
            lineEnds[firstSlot &+ index] = buffer.count
            index &+= 1
        }
    }

    /// Copies the messages of `records[start..<count]` while they are printable ASCII and fit in the
    /// buffer's capacity, stores each line's end at `lineEnds[index]`, and returns the index of the
    /// first record it did not copy.
    ///
    /// Long messages are gathered in runs of up to ``gatherLength`` (their storage addresses and
    /// lengths) and copied by one call into C per run, which checks and copies 32 bytes at a time
    /// where AVX2 is available.
    private func copyPrintableMessages(
        _ records: UnsafePointer<LogRecord>,
        from start: Int,
        count: Int,
        into buffer: LineBuffer,
        lineEnds: UnsafeMutablePointer<Int>?
    ) -> Int {
        guard let lineEnds else { return start }
        return withUnsafeTemporaryAllocation(of: UnsafePointer<UInt8>.self, capacity: Self.gatherLength) { sources in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: Self.gatherLength) { lengths in
                guard let sources = sources.baseAddress, let lengths = lengths.baseAddress else { return start }
                var index = start
                while index < count {
                    // The closure calls nothing, so the string is neither copied nor retained. A
                    // long message's bytes live in the string's storage, which the record keeps
                    // alive, so its address stays valid after the closure returns.
                    var gathered = 0
                    while gathered < Self.gatherLength, index &+ gathered < count,
                          let storage = records[index &+ gathered].message.utf8.withContiguousStorageIfAvailable({ bytes in
                              bytes.count >= Self.longMessageLength ? bytes : nil
                          }),
                          let message = storage, let source = message.baseAddress {
                        sources[gathered] = source
                        lengths[gathered] = message.count
                        gathered &+= 1
                    }
                    if gathered > 0 {
                        var written = buffer.written
                        let copied = asyncsinks_copy_printable_lines(
                            buffer.base, &written, buffer.capacity, sources, lengths, gathered, lineEnds + index)
                        buffer.written = written
                        index &+= copied
                        guard copied == gathered else { return index }
                    } else {
                        // A short message, which may live inside the string value itself (with the
                        // closure's bytes a temporary copy), or one stored elsewhere.
                        guard copyShortMessage(records[index].message, into: buffer) else { return index }
                        lineEnds[index] = buffer.written
                        index &+= 1
                    }
                }
                return index
            }
        }
    }

    /// Copies a message shorter than ``longMessageLength`` and a newline when it is printable ASCII
    /// and fits in the buffer's capacity.
    ///
    /// - Returns: Whether the line was copied; when not, the buffer's count is unchanged.
    private func copyShortMessage(_ message: String, into buffer: LineBuffer) -> Bool {
        let written = buffer.written
        let copied = message.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.count < Self.longMessageLength && written &+ bytes.count < buffer.capacity
                && Self.copyIfPrintable(bytes, to: buffer.base + written)
        }
        guard copied == true else { return false }
        let end = written &+ message.utf8.count
        buffer.base[end] = UInt8(ascii: "\n")
        buffer.written = end &+ 1
        return true
    }

    /// The most long messages gathered for one copy into C.
    private static let gatherLength = 64

    /// Messages at least this long are stored outside the string value (a string holds at most 15
    /// bytes of UTF-8 inline).
    private static let longMessageLength = 16

    /// Copies `bytes` to `destination` when every one is printable ASCII (`0x20...0x7E`).
    ///
    /// - Returns: Whether the bytes were copied; when not, an unspecified prefix was.
    @inline(__always)
    private static func copyIfPrintable(_ bytes: UnsafeBufferPointer<UInt8>, to destination: UnsafeMutablePointer<UInt8>) -> Bool {
        for offset in bytes.indices {
            let byte = bytes[offset]
            guard byte >= 0x20, byte < 0x7F else { return false }
            destination[offset] = byte
        }
        return true
    }
}

extension LogFormatter where Self == MessageFormatter {
    /// The message as the whole line (``MessageFormatter``).
    public static var message: MessageFormatter { MessageFormatter() }
}
