/// How the log line of an entry is written.
///
/// Loki already has the timestamp, and the level as a label, so the line holds the message and the
/// record's fields that are neither labels nor structured metadata. The level (when it is not a
/// label), the logger's label (when it is not a label) and the record's error are written as the
/// fields `level`, `logger` and `error`. Nested fields are flattened with dots.
public struct LokiLineFormat: Hashable, Sendable, CustomStringConvertible {
    enum Style: Hashable, Sendable {
        case logfmt
        case json
        case messageOnly
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

    public var description: String {
        switch style {
        case .logfmt: "logfmt"
        case .json: "json"
        case .messageOnly: "message-only"
        }
    }
}
