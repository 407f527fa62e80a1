/// Formats records as logfmt: space-separated `key=value` pairs on one line.
///
/// ```text
/// time=2026-11-24T08:15:50.123456Z level=info logger=api msg="request served" status=200 http.method=GET error="timed out" source=App/Server.swift:42
/// ```
///
/// The keys, in order: `time` (RFC 3339, UTC; see ``timestamp``), `level` (the level's
/// ``LogLevel/name``), `logger` (the record's label, left out when empty), `msg`, the record's fields
/// (bound fields first, call-site fields overriding them; groups flattened into dotted keys such as
/// `http.method`, an empty group writes nothing), `error` (the description of the attached error, when
/// there is one) and `source` (`file:line`). `time`, `level`, `logger` and `source` can each be left
/// out with the `include...` options.
///
/// Quoting follows the usual logfmt rules:
/// - a value is quoted when it is empty or holds a space, `=`, `"`, a control character or the byte
///   order mark U+FEFF; inside quotes `"` and `\` are escaped with a backslash, newlines, carriage
///   returns and tabs are written `\n`, `\r` and `\t`, other control characters (including ESC, DEL
///   and the C1 controls) `\u00XX`, and U+FEFF `\ufeff`; other values are written as they are
///   (a backslash in an unquoted value is left alone);
/// - numbers and booleans are bare (`status=200 ratio=0.5 ok=true`); NaN and infinities are written
///   `NaN`, `+Inf` and `-Inf`;
/// - keys cannot be quoted, so every space, `=`, `"`, control character and U+FEFF in a key is
///   replaced by `_`, and an empty key is written as `_`.
///
/// A top-level field whose key is one of `time`, `level`, `logger`, `msg`, `error` or `source` is
/// written as `fields.<key>`, so a field never shadows a key the formatter writes itself.
///
/// ## Writing only the message and fields
/// A destination that keeps the time, level and logger elsewhere, such as Loki with its labels, turns
/// those keys off and writes the rest with ``appendEntry(_:into:)``, which adds no newline:
///
/// ```swift
/// let body = LogfmtFormatter(includeTimestamp: false, includeLevel: false, includeLabel: false, includeSource: false)
/// body.appendEntry(record, into: buffer)   // msg="request served" status=200 error="timed out"
/// ```
public struct LogfmtFormatter: LogFormatter {
    /// How the `time` key is written. Default: RFC 3339 with microseconds.
    public var timestamp: TimestampFormat
    /// Whether the `time` key is written. Default: `true`.
    public var includeTimestamp: Bool
    /// Whether the `level` key is written. Default: `true`.
    public var includeLevel: Bool
    /// Whether the `logger` key (the record's label) is written when the label is not empty. Default: `true`.
    public var includeLabel: Bool
    /// Whether the `source` key (`file:line`) is written. Default: `true`.
    public var includeSource: Bool

    /// Creates a logfmt formatter.
    ///
    /// - Parameters:
    ///   - timestamp: How the `time` key is written (default RFC 3339 with microseconds).
    ///   - includeTimestamp: Whether the `time` key is written (default `true`).
    ///   - includeLevel: Whether the `level` key is written (default `true`).
    ///   - includeLabel: Whether the `logger` key is written (default `true`).
    ///   - includeSource: Whether the `source` key is written (default `true`).
    public init(
        timestamp: TimestampFormat = .default,
        includeTimestamp: Bool = true,
        includeLevel: Bool = true,
        includeLabel: Bool = true,
        includeSource: Bool = true
    ) {
        self.timestamp = timestamp
        self.includeTimestamp = includeTimestamp
        self.includeLevel = includeLevel
        self.includeLabel = includeLabel
        self.includeSource = includeSource
    }

    /// Appends the record as one logfmt line followed by `\n`.
    ///
    /// - Parameters:
    ///   - record: The record.
    ///   - buffer: The buffer to append to.
    public func format(_ record: LogRecord, into buffer: LineBuffer) {
        // A cursor made here rather than in a closure, so the record is read in place, not copied.
        var cursor = LineBuffer.Cursor(buffer: buffer)
        writeEntry(record, to: &cursor)
        cursor.reserve(1)
        cursor.write(UInt8(ascii: "\n"))
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
        buffer.appendLines(of: records, lineEnds: &lineEnds) { record, cursor in
            writeEntry(record, to: &cursor)
            cursor.reserve(1)
            cursor.write(UInt8(ascii: "\n"))
        }
    }

    /// Appends the record's `key=value` pairs without the trailing newline.
    ///
    /// With every `include...` option off this writes only `msg=...`, the fields and `error=...`,
    /// which is the shape of a Loki log line whose time, level and logger travel separately.
    ///
    /// - Parameters:
    ///   - record: The record.
    ///   - buffer: The buffer to append to.
    public func appendEntry(_ record: LogRecord, into buffer: LineBuffer) {
        var cursor = LineBuffer.Cursor(buffer: buffer)
        writeEntry(record, to: &cursor)
        cursor.commit()
    }

    /// Writes the record's `key=value` pairs through `cursor`: each piece reserves its room, and the
    /// bytes go straight to the buffer's storage.
    @inline(__always)
    private func writeEntry(_ record: LogRecord, to cursor: inout LineBuffer.Cursor) {
        if includeTimestamp {
            cursor.reserve(5)
            cursor.write("time=" as StaticString)
            timestamp.write(record.timestamp, to: &cursor)
            cursor.reserve(1)
            cursor.write(UInt8(ascii: " "))
        }
        if includeLevel {
            // `level=` (6), the longest name (8) and a space.
            cursor.reserve(15)
            cursor.write("level=" as StaticString)
            cursor.write(record.level.staticName)
            cursor.write(UInt8(ascii: " "))
        }
        if includeLabel, !record.label.isEmpty {
            cursor.reserve(7)
            cursor.write("logger=" as StaticString)
            FieldEncoding.writeLogfmtString(record.label, quotingBackslashes: false, to: &cursor)
            cursor.reserve(1)
            cursor.write(UInt8(ascii: " "))
        }
        cursor.reserve(4)
        cursor.write("msg=" as StaticString)
        FieldEncoding.writeLogfmtString(record.message, quotingBackslashes: false, to: &cursor)
        record.forEachField { key, value in
            let keyLength = FieldEncoding.writeLogfmtFieldKey(key, prefixReservedKeys: true, to: &cursor)
            FieldEncoding.writeLogfmtFieldValue(value, keyLength: keyLength, to: &cursor)
        }
        if let error = record.error {
            cursor.reserve(7)
            cursor.write(" error=" as StaticString)
            FieldEncoding.writeLogfmtString(String(describing: error), quotingBackslashes: false, to: &cursor)
        }
        if includeSource {
            cursor.reserve(8)
            cursor.write(" source=" as StaticString)
            FieldEncoding.writeLogfmtSource(file: record.file, line: record.line, to: &cursor)
        }
    }
}

extension LogFormatter where Self == LogfmtFormatter {
    /// logfmt with the default options: `formatter: .logfmt`.
    public static var logfmt: LogfmtFormatter { LogfmtFormatter() }
}
