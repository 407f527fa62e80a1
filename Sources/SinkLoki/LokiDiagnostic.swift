/// An event the Loki sink reports about itself: a rejected request, a retry, a fallback, a limit hit.
///
/// The sink never logs into the pipeline it serves (a failing Loki would feed itself); it hands
/// these events to ``LokiSinkConfiguration/diagnostics`` instead, for example to print them to
/// standard error or count them in metrics. Messages never contain credentials.
public struct LokiDiagnostic: Sendable, CustomStringConvertible {
    /// What kind of event happened.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        let name: String

        /// A request failed in a way worth retrying (429, 5xx, network error, timeout); its entries
        /// are retried by the pipeline.
        public static let retrying = Kind(name: "retrying")
        /// Loki rejected a request for good (4xx other than 413/429); its entries failed.
        public static let rejected = Kind(name: "rejected")
        /// A request was too large (413, or 429 above the server's burst) and was split in halves.
        public static let split = Kind(name: "split")
        /// Loki answered 260: ingestion is blocked and the entries were discarded.
        public static let serverDiscarded = Kind(name: "server_discarded")
        /// Loki refused structured metadata; the sink now writes those fields into the line.
        public static let structuredMetadataRejected = Kind(name: "structured_metadata_rejected")
        /// The stream limit was reached; further new label sets go to the overflow stream or are
        /// dropped (reported once).
        public static let streamLimitReached = Kind(name: "stream_limit_reached")
        /// A field could not be promoted to a label (label limit per stream, name collision, value
        /// too long); it stays in the line (reported once per field key).
        public static let labelNotPromoted = Kind(name: "label_not_promoted")
        /// A configured name or value was changed to satisfy Loki's rules (reported at creation).
        public static let configurationAdjusted = Kind(name: "configuration_adjusted")

        /// The stable snake_case name of the kind.
        public var description: String { name }
    }

    /// What kind of event happened.
    public let kind: Kind
    /// A human-readable explanation, free of credentials.
    public let message: String
    /// The HTTP status Loki answered, when the event is about a response.
    public let statusCode: Int?

    /// Creates a diagnostic.
    ///
    /// - Parameters:
    ///   - kind: The kind of event.
    ///   - message: The explanation, free of credentials.
    ///   - statusCode: The HTTP status, if any.
    public init(kind: Kind, message: String, statusCode: Int? = nil) {
        self.kind = kind
        self.message = message
        self.statusCode = statusCode
    }

    /// `loki <kind>[ status <code>]: <message>`.
    public var description: String {
        if let statusCode { return "loki \(kind) status \(statusCode): \(message)" }
        return "loki \(kind): \(message)"
    }
}
