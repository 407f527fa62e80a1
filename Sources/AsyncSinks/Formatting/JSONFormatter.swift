/// Formats records as JSON lines: one JSON object per line.
///
/// ```text
/// {"time":"2026-11-24T08:15:50.123456Z","level":"info","logger":"api","msg":"served","status":200,"http":{"method":"GET"},"error":"timed out","source":"App/Server.swift:42"}
/// ```
///
/// The keys, in order:
/// - `time`: the timestamp in RFC 3339, UTC (see ``timestamp``; left out when ``includeTimestamp`` is off);
/// - `level`: the level's ``LogLevel/name`` (left out when ``includeLevel`` is off);
/// - `logger`: the record's label (left out when ``includeLabel`` is off or the label is empty);
/// - `msg`: the message;
/// - the record's fields at the top level, bound fields first and call-site fields overriding them
///   (see ``LogRecord/forEachField(_:)``): strings, numbers and booleans keep their JSON types, and
///   groups become nested objects (`"http":{"method":"GET"}`, an empty group `{}`);
/// - `error`: the description of the attached error, when there is one;
/// - `source`: `file:line` of the call site (left out when ``includeSource`` is off).
///
/// Every line is valid JSON: strings are escaped (`\"`, `\\`, `\n`, `\r`, `\t`, and `\u00XX` for the
/// other C0 controls, DEL and the C1 controls, so a line is safe to print on a terminal; `\ufeff` for
/// the byte order mark, which some readers strip), and Swift strings are always valid UTF-8. Doubles are written as Swift describes them (`0.5`, `3.0`, `1e-05`),
/// which are valid JSON numbers; NaN and infinities become the strings `"NaN"`, `"+Inf"` and `"-Inf"`.
///
/// A top-level field whose key is one of `time`, `level`, `logger`, `msg`, `error` or `source` is
/// written as `fields.<key>` (for example `"fields.msg":"..."`), whether or not the fixed key is
/// present on that line, so a field never produces a duplicate key. Keys repeated within the
/// call-site fields themselves, or within a group, are written as given.
public struct JSONFormatter: LogFormatter {
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

    /// Creates a JSON lines formatter.
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

    /// Appends the record as one JSON object followed by `\n`.
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

    /// Appends the record as one JSON object, without the trailing newline.
    ///
    /// Use it where the line ends elsewhere, such as a Loki log line (typically with
    /// ``includeTimestamp`` off, since Loki stores the time itself).
    ///
    /// - Parameters:
    ///   - record: The record.
    ///   - buffer: The buffer to append to.
    public func appendEntry(_ record: LogRecord, into buffer: LineBuffer) {
        var cursor = LineBuffer.Cursor(buffer: buffer)
        writeEntry(record, to: &cursor)
        cursor.commit()
    }

    /// Writes the record as one JSON object through `cursor`: each piece reserves its room, and the
    /// bytes go straight to the buffer's storage.
    @inline(__always)
    private func writeEntry(_ record: LogRecord, to cursor: inout LineBuffer.Cursor) {
        cursor.reserve(1)
        cursor.write(UInt8(ascii: "{"))
        if includeTimestamp {
            cursor.reserve(8)
            cursor.write(#""time":""# as StaticString)
            timestamp.write(record.timestamp, to: &cursor)
            cursor.reserve(2)
            cursor.write(#"","# as StaticString)
        }
        if includeLevel {
            // `"level":"` (9), the longest name (8) and `",` (2).
            cursor.reserve(19)
            cursor.write(#""level":""# as StaticString)
            cursor.write(record.level.staticName)
            cursor.write(#"","# as StaticString)
        }
        if includeLabel, !record.label.isEmpty {
            cursor.reserve(9)
            cursor.write(#""logger":"# as StaticString)
            FieldEncoding.writeJSONString(record.label, to: &cursor)
            cursor.reserve(1)
            cursor.write(UInt8(ascii: ","))
        }
        cursor.reserve(6)
        cursor.write(#""msg":"# as StaticString)
        FieldEncoding.writeJSONString(record.message, to: &cursor)
        record.forEachField { key, value in
            FieldEncoding.writeJSONFieldKey(key, to: &cursor)
            FieldEncoding.writeJSONValue(value, to: &cursor)
        }
        if let error = record.error {
            cursor.reserve(9)
            cursor.write(#","error":"# as StaticString)
            FieldEncoding.writeJSONString(String(describing: error), to: &cursor)
        }
        if includeSource {
            // `,"source":"` (11), the file, `:`, the line (up to 20 digits) and `"`.
            FieldEncoding.reserveEscapedRoom(for: record.file, quotesAndBackslashes: true, extra: 33, to: &cursor)
            cursor.write(#","source":""# as StaticString)
            let out = cursor.position
            cursor.position = record.file.withUTF8Content { FieldEncoding.escape($0, quotesAndBackslashes: true, into: out) }
            cursor.write(UInt8(ascii: ":"))
            cursor.writeDecimal(Int64(clamping: record.line))
            cursor.write(UInt8(ascii: "\""))
        }
        cursor.reserve(1)
        cursor.write(UInt8(ascii: "}"))
    }
}

extension LogFormatter where Self == JSONFormatter {
    /// JSON lines with the default options: `formatter: .json`.
    public static var json: JSONFormatter { JSONFormatter() }
}
