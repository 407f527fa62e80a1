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

    /// Returns a variant of the formatter that colours its output with ANSI escape codes, or the
    /// formatter itself when its format has no colours (machine-readable formats never do).
    func colorized() -> any LogFormatter
}

extension LogFormatter {
    /// Returns the formatter itself: formats without colours need no variant.
    ///
    /// - Returns: `self`.
    public func colorized() -> any LogFormatter { self }
}
