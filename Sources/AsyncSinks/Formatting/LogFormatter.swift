/// Turns a record into one line of bytes.
///
/// The console and file sinks format with any formatter. The built-in ones are ``TextFormatter``
/// (for humans), ``LogfmtFormatter`` and ``JSONFormatter`` (JSON lines); all of them write straight
/// into a ``LineBuffer``, escape newlines and control characters so one record is always one line,
/// and end the line with `\n`.
public protocol LogFormatter: Sendable {
    /// Appends the formatted record, including the trailing newline, to `buffer`.
    ///
    /// - Parameters:
    ///   - record: The record.
    ///   - buffer: The buffer to append to.
    func format(_ record: LogRecord, into buffer: LineBuffer)

    /// Appends every record of `records`, each as ``format(_:into:)`` writes it, and appends
    /// `buffer.count` to `lineEnds` after each line.
    ///
    /// Sinks that format a batch at once (the file and console sinks do) call this instead of calling
    /// ``format(_:into:)`` per record. The default implementation calls ``format(_:into:)`` for each
    /// record, passing each one on without copying it; the built-in formatters implement it with a
    /// loop over their own line writer, which the compiler inlines.
    ///
    /// - Parameters:
    ///   - records: The records, in order.
    ///   - buffer: The buffer to append to.
    ///   - lineEnds: Receives the buffer's byte count after each record's line, one entry per record.
    func format(_ records: UnsafeBufferPointer<LogRecord>, into buffer: LineBuffer, lineEnds: inout [Int])

    /// Returns a variant of the formatter that colours its output with ANSI escape codes, or the
    /// formatter itself when its format has no colours (machine-readable formats never do).
    func colorized() -> any LogFormatter
}

extension LogFormatter {
    /// Formats each record with ``format(_:into:)`` and records where each line ends.
    ///
    /// - Parameters:
    ///   - records: The records, in order.
    ///   - buffer: The buffer to append to.
    ///   - lineEnds: Receives the buffer's byte count after each record's line.
    @inlinable
    public func format(_ records: UnsafeBufferPointer<LogRecord>, into buffer: LineBuffer, lineEnds: inout [Int]) {
        guard let base = records.baseAddress else { return }
        for index in 0..<records.count {
            (base + index).withRecord { format($0, into: buffer) }
            lineEnds.append(buffer.count)
        }
    }

    /// Returns the formatter itself: formats without colours need no variant.
    ///
    /// - Returns: `self`.
    public func colorized() -> any LogFormatter { self }
}
