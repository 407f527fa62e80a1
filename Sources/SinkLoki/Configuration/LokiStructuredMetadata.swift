/// Which fields are sent as structured metadata (Loki 3 with schema v13 and
/// `allow_structured_metadata`) instead of in the line.
///
/// Structured metadata is the place for high-cardinality values such as trace or request ids: they
/// are attached to each entry without creating streams. Values are sent as strings. At most 128
/// pairs are sent per entry; further fields stay in the line. Names follow the label-name rules.
public struct LokiStructuredMetadata: Hashable, Sendable, CustomStringConvertible {
    enum Selection: Hashable, Sendable {
        case off
        case fields(Set<String>)
        case allFields
    }

    let selection: Selection

    /// No structured metadata: every field that is not a label goes to the line. The default.
    public static let off = LokiStructuredMetadata(selection: .off)

    /// Every field that is not a label, plus `level`/`logger`/`error` when they are not labels.
    public static let allFields = LokiStructuredMetadata(selection: .allFields)

    /// The named fields (flattened keys such as `trace_id` or `http.request_id`).
    ///
    /// - Parameter keys: The field keys sent as structured metadata.
    /// - Returns: The selection.
    public static func fields(_ keys: Set<String>) -> LokiStructuredMetadata {
        LokiStructuredMetadata(selection: keys.isEmpty ? .off : .fields(keys))
    }

    var isOff: Bool { selection == .off }

    /// Whether the field `key` is sent as metadata.
    func selects(_ key: String) -> Bool {
        switch selection {
        case .off: false
        case .allFields: true
        case .fields(let keys): keys.contains(key)
        }
    }

    /// The selection: `off`, `all fields` or `fields(a, b)`.
    public var description: String {
        switch selection {
        case .off: "off"
        case .allFields: "all fields"
        case .fields(let keys): "fields(\(keys.sorted().joined(separator: ", ")))"
        }
    }
}
