public import AsyncSinks

/// Everything the Loki sink needs: where to push, how to authenticate, which labels to send, how to
/// encode, and the client-side limits that keep Loki from rejecting pushes.
///
/// ```swift
/// var configuration = LokiSinkConfiguration(url: "https://logs-prod-012.grafana.net")
/// configuration.tenant = "team-a"
/// configuration.authentication = .basic(username: "123456", password: token)
/// configuration.staticLabels = ["service_name": "api", "env": "prod"]
/// configuration.promotedFields = ["region"]
/// ```
///
/// The ``description`` and ``debugDescription`` never show credentials.
public struct LokiSinkConfiguration: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Loki's base URL (`http://loki:3100`, to which `/loki/api/v1/push` is appended) or the full push
    /// URL (ending in `/loki/api/v1/push`). `http` or `https`; must not contain a user or password.
    /// No default.
    public var url: String
    /// The tenant, sent as `X-Scope-OrgID`. Default: `nil` (no header).
    public var tenant: String?
    /// The `Authorization` credentials. Default: ``LokiAuthentication/none``.
    public var authentication: LokiAuthentication
    /// Extra request headers, for example for a gateway. Their values are treated as secrets and
    /// redacted from descriptions. Default: empty.
    public var headers: [String: String]
    /// Labels on every stream, such as `service_name`, `env` or `host`. Names are sanitised to
    /// Loki's rules; empty values are left out. Default: empty.
    public var staticLabels: [String: String]
    /// Field keys (flattened, such as `region` or `http.method`) promoted to labels when a record has
    /// them. Keep them low-cardinality: every distinct combination is a stream. Default: empty.
    public var promotedFields: [String]
    /// Field keys never promoted to labels, even when listed in ``promotedFields`` (the deny list
    /// wins). Default: empty.
    public var excludedFields: Set<String>
    /// The name of the level label, or `nil` to write the level into the line instead.
    /// Default: `"level"`.
    public var levelLabel: String?
    /// The name of a label carrying the logger's label, or `nil` to write it into the line as
    /// `logger` (when not empty). Default: `nil`.
    public var loggerLabel: String?
    /// The format of the line. Default: ``LokiLineFormat/logfmt``.
    public var lineFormat: LokiLineFormat
    /// The request body format. Default: ``LokiEncoding/protobufSnappy``.
    public var encoding: LokiEncoding
    /// Fields sent as structured metadata. Default: ``LokiStructuredMetadata/off``.
    public var structuredMetadata: LokiStructuredMetadata
    /// When Loki answers 400 because structured metadata is not allowed, write those fields into the
    /// line from then on and resend. Default: `true`.
    public var fallBackWhenStructuredMetadataIsRejected: Bool
    /// The most distinct streams the sink creates in its lifetime. Default: 1000.
    public var maxStreams: Int
    /// What happens to records beyond ``maxStreams``. Default: ``LokiStreamLimitPolicy/overflowStream``.
    public var streamLimitPolicy: LokiStreamLimitPolicy
    /// The most labels per stream, `service_name` not counted (Loki's limit is 15). Static labels
    /// come first, then the level, then promoted fields in the order of ``promotedFields``; fields
    /// beyond the limit stay in the line. Default: 15.
    public var maxLabelsPerStream: Int
    /// The most encoded bytes per request (labels, lines, metadata and framing, before
    /// compression). A batch larger than this is sent as several requests. Default: 1 MiB.
    public var maxRequestBytes: Int
    /// The server's burst size: a request answered 429 that is larger than this can never succeed
    /// and is split instead of retried. Default: 6 MB.
    public var serverBurstBytes: Int
    /// The number of shards streams are spread over (by a hash of their labels). Requests of one
    /// shard are sent one at a time, so each stream's order holds; shards send in parallel.
    /// Default: 1.
    public var shardCount: Int
    /// How long a request may take before it counts as timed out and is retried. Default: 10 s.
    public var requestTimeout: Duration
    /// The longest line sent, in bytes (Loki's `max_line_size`). Default: 256 KiB.
    public var maxLineBytes: Int
    /// What happens to longer lines. Default: ``LokiOversizedLinePolicy/truncate``.
    public var oversizedLinePolicy: LokiOversizedLinePolicy
    /// Records older than this are dropped (Loki's `reject_old_samples_max_age`), or `nil` to send
    /// them anyway. Default: 7 days.
    public var maxEntryAge: Duration?
    /// Records further in the future than this are dropped (Loki's `creation_grace_period`), or
    /// `nil` to send them anyway. Default: 10 minutes.
    public var maxFutureSkew: Duration?
    /// The clock used for the age checks and `Retry-After` dates. Default: ``AsyncSinks/PipelineClock/system``.
    public var clock: PipelineClock
    /// Receives the sink's own events; never the pipeline the sink serves. Called on the thread that
    /// is writing, so it must return quickly and must not log into the pipeline the sink serves.
    /// Default: `nil` (ignored).
    public var diagnostics: (@Sendable (LokiDiagnostic) -> Void)?

    /// Creates a configuration with the defaults documented on each property.
    ///
    /// - Parameter url: Loki's base URL or full push URL.
    public init(url: String) {
        self.url = url
        self.tenant = nil
        self.authentication = .none
        self.headers = [:]
        self.staticLabels = [:]
        self.promotedFields = []
        self.excludedFields = []
        self.levelLabel = "level"
        self.loggerLabel = nil
        self.lineFormat = .logfmt
        self.encoding = .protobufSnappy
        self.structuredMetadata = .off
        self.fallBackWhenStructuredMetadataIsRejected = true
        self.maxStreams = 1000
        self.streamLimitPolicy = .overflowStream
        self.maxLabelsPerStream = 15
        self.maxRequestBytes = 1 << 20
        self.serverBurstBytes = 6 * 1024 * 1024
        self.shardCount = 1
        self.requestTimeout = .seconds(10)
        self.maxLineBytes = 256 * 1024
        self.oversizedLinePolicy = .truncate
        self.maxEntryAge = .seconds(7 * 24 * 3600)
        self.maxFutureSkew = .seconds(600)
        self.clock = .system
        self.diagnostics = nil
    }

    /// The defaults documented on each property, pushing to a local Loki at `http://localhost:3100`.
    public static let `default` = LokiSinkConfiguration(url: "http://localhost:3100")

    /// The secrets to redact from anything the sink prints: passwords, tokens, custom header values.
    var secrets: [String] {
        authentication.secrets + headers.values.filter { $0.utf8.count >= 4 }
    }

    /// A one-line summary without credentials.
    public var description: String {
        let headerNames: String = headers.keys.sorted().map { "\($0): <redacted>" }.joined(separator: ", ")
        let labels: String = staticLabels.keys.sorted().map { "\($0)=\(staticLabels[$0] ?? "")" }.joined(separator: ", ")
        var parts: [String] = []
        parts.append("url: \(LokiEndpoint.redactedURL(url))")
        parts.append("tenant: \(tenant ?? "none")")
        parts.append("authentication: \(authentication)")
        parts.append("headers: [\(headerNames)]")
        parts.append("staticLabels: [\(labels)]")
        parts.append("promotedFields: \(promotedFields)")
        parts.append("encoding: \(encoding)")
        parts.append("lineFormat: \(lineFormat)")
        parts.append("structuredMetadata: \(structuredMetadata)")
        parts.append("maxStreams: \(maxStreams)")
        parts.append("maxRequestBytes: \(maxRequestBytes)")
        parts.append("shardCount: \(shardCount)")
        parts.append("requestTimeout: \(requestTimeout)")
        return "LokiSinkConfiguration(" + parts.joined(separator: ", ") + ")"
    }

    /// The same as ``description``: credentials are redacted.
    public var debugDescription: String { description }
}
