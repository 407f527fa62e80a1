/// Formats records as one human-readable line each.
///
/// ```text
/// 2026-11-24T08:15:50.123456Z INFO  [api] request served status=200 path="/a b" error="timed out" (App/Server.swift:42)
/// ```
///
/// The parts, separated by single spaces:
/// 1. the timestamp in RFC 3339, UTC (see ``timestamp``; left out when ``includeTimestamp`` is off);
/// 2. the level as a tag padded to five characters: `TRACE`, `DEBUG`, `INFO`, `NOTE` (notice), `WARN`
///    (warning), `ERROR` or `CRIT` (critical), so messages line up;
/// 3. the label in brackets, `[api]` (left out when ``includeLabel`` is off or the label is empty);
/// 4. the message as it is, except that control characters and U+FEFF are escaped (`\n`, `\r`, `\t`,
///    `\u00XX`, `\ufeff`),
///    so a record is always one line and cannot send escape sequences to a terminal (left out when empty);
/// 5. the fields as `key=value` pairs with logfmt quoting and key sanitising (see ``LogfmtFormatter``),
///    bound fields first and call-site fields overriding them, groups flattened into dotted keys; keys
///    such as `msg` or `error` are written as they are, since the text layout has no keys of its own
///    to collide with;
/// 6. `error="..."` with the description of the attached error, when there is one;
/// 7. the source location in parentheses, `(App/Server.swift:42)` (left out when ``includeSource`` is off).
///
/// ``colorized()`` returns a variant for terminals that dims the timestamp and the source location
/// and colours the level tag (trace grey, debug cyan, info green, notice blue, warning yellow, error
/// red, critical bold red). Only the formatter writes escape sequences: those in messages and values
/// are escaped.
public struct TextFormatter: LogFormatter {
    /// How the timestamp is written. Default: RFC 3339 with microseconds.
    public var timestamp: TimestampFormat
    /// Whether the line starts with the timestamp. Default: `true`.
    public var includeTimestamp: Bool
    /// Whether the record's label is written in brackets when it is not empty. Default: `true`.
    public var includeLabel: Bool
    /// Whether the source location `(file:line)` ends the line. Default: `true`.
    public var includeSource: Bool
    /// Whether ANSI colours are written. Default: `false`; ``colorized()`` turns it on.
    public var useColors: Bool

    /// Creates a text formatter.
    ///
    /// - Parameters:
    ///   - timestamp: How the timestamp is written (default RFC 3339 with microseconds).
    ///   - includeTimestamp: Whether the line starts with the timestamp (default `true`).
    ///   - includeLabel: Whether the label is written (default `true`).
    ///   - includeSource: Whether the source location is written (default `true`).
    ///   - useColors: Whether ANSI colours are written (default `false`).
    public init(
        timestamp: TimestampFormat = .default,
        includeTimestamp: Bool = true,
        includeLabel: Bool = true,
        includeSource: Bool = true,
        useColors: Bool = false
    ) {
        self.timestamp = timestamp
        self.includeTimestamp = includeTimestamp
        self.includeLabel = includeLabel
        self.includeSource = includeSource
        self.useColors = useColors
    }

    /// Returns this formatter with ANSI colours on.
    ///
    /// - Returns: A copy with ``useColors`` set.
    public func colorized() -> any LogFormatter {
        var copy = self
        copy.useColors = true
        return copy
    }

    /// Appends the record as one line followed by `\n`.
    ///
    /// - Parameters:
    ///   - record: The record.
    ///   - buffer: The buffer to append to.
    public func format(_ record: LogRecord, into buffer: LineBuffer) {
        // A cursor made here rather than in a closure, so the record is read in place, not copied.
        var cursor = LineBuffer.Cursor(buffer: buffer)
        writeLine(record, to: &cursor)
        cursor.commit()
    }

    /// Appends one line per record, each as ``format(_:into:)`` writes it, reading every record where
    /// it lies and writing through one cursor.
    ///
    /// - Parameters:
    ///   - records: The records, in order.
    ///   - buffer: The buffer to append to.
    ///   - lineEnds: Receives the buffer's byte count after each record's line.
    public func format(_ records: UnsafeBufferPointer<LogRecord>, into buffer: LineBuffer, lineEnds: inout [Int]) {
        buffer.appendLines(of: records, lineEnds: &lineEnds) { record, cursor in writeLine(record, to: &cursor) }
    }

    /// Writes the record's line, with its newline, through `cursor`: each piece reserves its room, and
    /// the bytes go straight to the buffer's storage.
    @inline(__always)
    private func writeLine(_ record: LogRecord, to cursor: inout LineBuffer.Cursor) {
        if includeTimestamp {
            if useColors { cursor.reserve(Self.dim.utf8CodeUnitCount); cursor.write(Self.dim) }
            timestamp.write(record.timestamp, to: &cursor)
            cursor.reserve(Self.reset.utf8CodeUnitCount &+ 1)
            if useColors { cursor.write(Self.reset) }
            cursor.write(UInt8(ascii: " "))
        }
        let tag = Self.tag(of: record.level)
        let padding = Self.tagWidth - tag.utf8CodeUnitCount
        // The longest colour (7), the tag padded to its width, and the reset (4).
        cursor.reserve(16)
        if useColors { cursor.write(Self.color(of: record.level)) }
        cursor.write(tag)
        if useColors { cursor.write(Self.reset) }
        for _ in 0..<padding { cursor.write(UInt8(ascii: " ")) }
        let afterTag = cursor.offset
        if includeLabel, !record.label.isEmpty {
            cursor.reserve(2)
            cursor.write(UInt8(ascii: " "), UInt8(ascii: "["))
            FieldEncoding.writeEscaped(record.label, quotesAndBackslashes: false, to: &cursor)
            cursor.reserve(1)
            cursor.write(UInt8(ascii: "]"))
        }
        if !record.message.isEmpty {
            cursor.reserve(1)
            cursor.write(UInt8(ascii: " "))
            FieldEncoding.writeEscaped(record.message, quotesAndBackslashes: false, to: &cursor)
        }
        record.forEachField { key, value in
            let keyLength = FieldEncoding.writeLogfmtFieldKey(key, prefixReservedKeys: false, to: &cursor)
            FieldEncoding.writeLogfmtFieldValue(value, keyLength: keyLength, to: &cursor)
        }
        if let error = record.error {
            cursor.reserve(7)
            cursor.write(" error=" as StaticString)
            FieldEncoding.writeLogfmtString(String(describing: error), quotingBackslashes: false, to: &cursor)
        }
        if includeSource {
            // A space, the dim colour (4) and `(`.
            cursor.reserve(6)
            cursor.write(UInt8(ascii: " "))
            if useColors { cursor.write(Self.dim) }
            cursor.write(UInt8(ascii: "("))
            FieldEncoding.writeEscaped(record.file, quotesAndBackslashes: false, to: &cursor)
            // `:`, the line (up to 20 digits), `)` and the reset (4).
            cursor.reserve(26)
            cursor.write(UInt8(ascii: ":"))
            cursor.writeDecimal(Int64(clamping: record.line))
            cursor.write(UInt8(ascii: ")"))
            if useColors { cursor.write(Self.reset) }
        }
        // Nothing after the tag: no padding at the end of the line.
        if cursor.offset == afterTag { cursor.rewind(to: afterTag - padding) }
        cursor.reserve(1)
        cursor.write(UInt8(ascii: "\n"))
    }

    private static let dim: StaticString = "\u{1B}[2m"
    private static let reset: StaticString = "\u{1B}[0m"

    /// The width level tags are padded to.
    private static let tagWidth = 5

    private static func tag(of level: LogLevel) -> StaticString {
        switch level {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info: "INFO"
        case .notice: "NOTE"
        case .warning: "WARN"
        case .error: "ERROR"
        case .critical: "CRIT"
        }
    }

    private static func color(of level: LogLevel) -> StaticString {
        switch level {
        case .trace: "\u{1B}[90m"
        case .debug: "\u{1B}[36m"
        case .info: "\u{1B}[32m"
        case .notice: "\u{1B}[34m"
        case .warning: "\u{1B}[33m"
        case .error: "\u{1B}[31m"
        case .critical: "\u{1B}[1;31m"
        }
    }
}

extension LogFormatter where Self == TextFormatter {
    /// Human-readable text with the default options: `formatter: .text`.
    public static var text: TextFormatter { TextFormatter() }
}
