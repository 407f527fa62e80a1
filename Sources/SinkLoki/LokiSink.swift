public import AsyncSinks
import Synchronization

/// A sink that pushes records to Grafana Loki.
///
/// Records are grouped per stream (a distinct label set), sorted by time within each stream, encoded
/// as protobuf compressed with Snappy (or JSON, optionally gzipped) and sent in requests of at most
/// ``LokiSinkConfiguration/maxRequestBytes`` encoded bytes, with at most one request in flight per
/// shard of streams so that each stream's order holds across retries.
///
/// Labels are the static labels, the level and the promoted fields, with names sanitised and values
/// quoted to Loki's rules; everything else goes to the line (logfmt by default) or to structured
/// metadata. Client-side limits keep Loki from rejecting pushes: streams per sink, labels per stream,
/// line size, entry age.
///
/// Delivery follows Loki's status codes: 2xx delivered; 260 dropped by the server
/// (``AsyncSinks/DropReason/lokiServerDiscarded``); 413 (and 429 above the burst size) split and
/// resent; 429, 500, 502, 503, 504, network errors and timeouts retried by the pipeline, honouring
/// `Retry-After`, with the identical body; any other 4xx fails the entries with Loki's message.
///
/// ```swift
/// var loki = LokiSinkConfiguration(url: "http://loki:3100")
/// loki.tenant = "team-a"
/// loki.staticLabels = ["service_name": "api", "env": "prod"]
/// let sink = try LokiSink(configuration: loki)
/// ```
///
/// The sink reports its own events to ``LokiSinkConfiguration/diagnostics``, never to the pipeline
/// it serves, and counts them in ``statistics()``.
///
/// ## Retries resend the same bytes
/// Loki drops exact duplicates of (stream, timestamp, line), so a request that may or may not have
/// been stored (a timeout, a dropped connection) is safe to resend only byte for byte. Requests are
/// planned greedily over each shard's entries (grouped by stream in creation order, oldest first), so
/// when the pipeline retries the records left unmarked, the first request planned again holds the
/// same entries as the one that failed. Each shard keeps the compressed body of its failed request,
/// keyed on the request's entry count, first and last timestamps, a checksum of all its timestamps
/// and streams, and its encoded size; when the first request of the retry has the same key, the kept
/// body is sent as it is (counted in ``LokiSinkStatistics/reusedBodies``). Otherwise the entries are
/// encoded again, which yields the same bytes for the same entries.
///
/// ## Drop reasons
/// - `line_too_long` (``AsyncSinks/DropReason/lokiLineTooLong``): the line exceeded
///   ``LokiSinkConfiguration/maxLineBytes`` and the policy is ``LokiOversizedLinePolicy/drop``.
/// - `too_old` (``AsyncSinks/DropReason/lokiTooOld``): older than ``LokiSinkConfiguration/maxEntryAge``.
/// - `too_far_in_future` (``AsyncSinks/DropReason/lokiTooFarInFuture``): further ahead than
///   ``LokiSinkConfiguration/maxFutureSkew``.
/// - `stream_limit` (``AsyncSinks/DropReason/lokiStreamLimit``): would have created a stream beyond
///   ``LokiSinkConfiguration/maxStreams`` with ``LokiStreamLimitPolicy/drop``.
/// - `server_discarded` (``AsyncSinks/DropReason/lokiServerDiscarded``): Loki answered 260.
public final class LokiSink: LogSink {
    /// The configuration the sink was created with.
    public let configuration: LokiSinkConfiguration
    private let client: LokiHTTPClient
    private let reporter: SinkReporter
    private let writer: Mutex<LokiWriter>

    /// Creates a sink.
    ///
    /// - Parameter configuration: Where and how to push.
    /// - Throws: ``LokiConfigurationError`` when the URL is invalid or carries credentials, or the
    ///   static labels exceed the label limit.
    public init(configuration: LokiSinkConfiguration) throws(LokiConfigurationError) {
        let url = try LokiEndpoint.pushURL(from: configuration.url)
        let schema = try LabelSchema(configuration: configuration)
        if configuration.maxRequestBytes < 1024 {
            throw LokiConfigurationError("maxRequestBytes must be at least 1024")
        }
        self.configuration = configuration
        let reporter = SinkReporter(handler: configuration.diagnostics, redactor: Redactor(secrets: configuration.secrets))
        let client = LokiHTTPClient(url: url, configuration: configuration)
        self.reporter = reporter
        self.client = client
        self.writer = Mutex(LokiWriter(configuration: configuration, schema: schema, client: client, reporter: reporter))
        for adjustment in schema.adjustments {
            reporter.report(.configurationAdjusted, adjustment)
        }
    }

    /// The push URL requests are sent to.
    public var pushURL: String { client.urlString }

    /// Pushes the batch's records to Loki.
    ///
    /// Records dropped by the sink's policies or by the server are marked dropped, records Loki
    /// rejected are marked failed, delivered records are marked written; when a request must be
    /// retried, the records not yet delivered are left unmarked and a retryable error is thrown.
    ///
    /// - Parameter batch: The records, and the attempt's cancellation signal.
    /// - Throws: ``AsyncSinks/LogSinkError/retryable(_:retryAfter:)`` when some records must be retried.
    public func write(_ batch: inout LogBatch) throws {
        let records = batch.records
        let cancellation = batch.cancellation
        let result = writer.withLock { writer in
            let result = writer.write(records, cancellation: cancellation)
            writer.countServerDrops(result)
            return result
        }
        result.outcomes.forEachMarked { index, outcome in
            switch outcome {
            case .written: batch.markWritten(index)
            case .dropped(let reason): batch.drop(index, reason: reason)
            case .failed(let error): batch.fail(index, error: error)
            }
        }
        batch.bytesWritten = result.bytesSent
        if let retry = result.retry { throw retry }
    }

    /// Cancels requests in flight and releases the HTTP session.
    public func close() throws {
        client.invalidate()
    }

    /// A snapshot of the sink's counters.
    ///
    /// - Returns: Streams, labels not promoted, truncations, drops by reason, requests and splits.
    public func statistics() -> LokiSinkStatistics {
        reporter.snapshot
    }
}
