import AsyncSinks

/// Records and helpers shared by the formatter tests.
enum FormattingFixtures {
    /// 2026-11-24T08:15:50.123456789Z.
    static let time = LogTimestamp(nanosecondsSinceEpoch: 1_795_508_150_123_456_789)

    /// An error whose description needs escaping.
    struct SampleError: Error, CustomStringConvertible {
        var description: String { "disk \"data\" full\nretry later" }
    }

    /// A record at ``time`` from `App/Server.swift:42`, labelled `api` unless told otherwise.
    static func record(
        _ message: String = "request served",
        level: LogLevel = .info,
        bound: LogFields = LogFields(),
        fields: LogFields = LogFields(),
        label: String = "api",
        file: String = "App/Server.swift",
        error: (any Error)? = nil,
        timestamp: LogTimestamp = time
    ) -> LogRecord {
        LogRecord(
            timestamp: timestamp,
            level: level,
            message: message,
            boundFields: bound,
            fields: fields,
            label: label,
            file: file,
            function: "serve()",
            line: 42,
            error: error
        )
    }

    /// Formats `record` with `formatter` into a fresh buffer and returns the line as text.
    static func line(_ formatter: some LogFormatter, _ record: LogRecord) -> String {
        let buffer = LineBuffer(capacity: 16)
        formatter.format(record, into: buffer)
        return buffer.string
    }

    /// Strings that have broken log formats: quotes, backslashes, every C0 control, DEL, C1 controls,
    /// ANSI sequences, non-ASCII text, separators of every format.
    static let nastyStrings: [String] = {
        var strings = [
            "", " ", "plain", "a b", "a=b", "=", "\"", "\"quoted\"", "\\", "back\\slash", "trailing\\",
            "line\nbreak", "cr\rlf\r\n", "tab\there", "\u{1B}[31mred\u{1B}[0m", "\u{7F}del", "\u{9B}31mcsi",
            "\u{85}next-line", "\u{A0}nbsp", "é", "日本語のログ", "emoji 🚀🔥 and 👨‍👩‍👧", "\u{2028}\u{2029}",
            "{\"json\":true}", "key=value other=\"x\"", "\u{0}nul", "ends with space ", "\\\"", "\\u0041",
            "}", "]", ",", ":", "'single'", "#comment", "%s%d", "\u{FEFF}bom", "\u{10FFFF}",
        ]
        for scalar in 0...0x9F {
            if let unicode = Unicode.Scalar(scalar) { strings.append("<\(Character(unicode))>") }
        }
        return strings
    }()
}
