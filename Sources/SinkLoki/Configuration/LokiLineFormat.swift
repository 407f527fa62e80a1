public import AsyncSinks

/// How the log line of an entry is written.
///
/// Loki already has the timestamp, and the level as a label, so the line holds the message and the
/// record's fields that are neither labels nor structured metadata. The level (when it is not a
/// label), the logger's label (when it is not a label) and the record's error are written as the
/// fields `level`, `logger` and `error`. Nested fields are flattened with dots.
///
/// ``formatter(_:)`` hands the whole line to any ``AsyncSinks/LogFormatter`` instead, such as a
/// ``AsyncSinks/LogfmtFormatter`` configured without time and level.
public struct LokiLineFormat: Sendable, CustomStringConvertible {
    enum Style: Sendable {
        case logfmt
        case json
        case messageOnly
        case formatter(any LogFormatter)
    }

    let style: Style

    /// `msg="request served" path=/health status=200`: readable, and parsed by LogQL's `| logfmt`.
    /// The default.
    public static let logfmt = LokiLineFormat(style: .logfmt)
    /// `{"msg":"request served","path":"/health","status":200}`, parsed by LogQL's `| json`.
    public static let json = LokiLineFormat(style: .json)
    /// The message alone. Fields that are not labels are lost unless they are sent as structured
    /// metadata (see ``LokiStructuredMetadata/allFields``).
    public static let messageOnly = LokiLineFormat(style: .messageOnly)

    /// The line `formatter` writes for the record, without its trailing newline.
    ///
    /// The formatter sees the whole record: fields promoted to labels or sent as structured metadata
    /// are not removed from its line, and its own choice of keys (time, level, logger) applies.
    ///
    /// - Parameter formatter: The formatter, for example
    ///   `LogfmtFormatter(includeTimestamp: false, includeLevel: false, includeLabel: false, includeSource: false)`.
    /// - Returns: The line format.
    public static func formatter(_ formatter: any LogFormatter) -> LokiLineFormat {
        LokiLineFormat(style: .formatter(formatter))
    }

    /// The format's name: `logfmt`, `json`, `message-only` or `formatter(<type>)`.
    public var description: String {
        switch style {
        case .logfmt: "logfmt"
        case .json: "json"
        case .messageOnly: "message-only"
        case .formatter(let formatter): "formatter(\(type(of: formatter)))"
        }
    }
}
