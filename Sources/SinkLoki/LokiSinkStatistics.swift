public import AsyncSinks

/// Counters of what the Loki sink did, as returned by ``LokiSink/statistics()``.
///
/// They complement the pipeline's ``AsyncSinks/SinkStats`` (written, dropped by reason, failed,
/// retries) with the sink's own decisions: streams, labels, requests, splits and fallbacks.
public struct LokiSinkStatistics: Sendable, Hashable {
    /// The number of distinct streams created (label sets), including the overflow stream.
    public var streams: Int = 0
    /// Entries sent in the overflow stream because the stream limit was reached.
    public var overflowEntries: Int = 0
    /// Times a field selected for promotion stayed in the line instead (label limit per stream,
    /// name collision, or a value over 2048 bytes).
    public var labelsNotPromoted: Int = 0
    /// Lines truncated because they were longer than the maximum line size.
    public var truncatedLines: Int = 0
    /// Records dropped by the sink's own policies or by the server (status 260), by reason.
    public var dropped: [DropReason: Int] = [:]
    /// HTTP requests sent (every attempt, including splits and resends).
    public var requests: Int = 0
    /// Requests Loki accepted (2xx).
    public var acceptedRequests: Int = 0
    /// Requests answered with a retryable status or lost to a network error or timeout.
    public var retryableFailures: Int = 0
    /// Requests rejected for good (4xx other than 413 and 429 below the burst size, 501).
    public var rejectedRequests: Int = 0
    /// Requests split in halves after a 413 (or a 429 above the burst size).
    public var splits: Int = 0
    /// Request bodies reused byte for byte for a retry instead of being encoded again.
    public var reusedBodies: Int = 0
    /// Times structured metadata was refused by Loki and folded into the line.
    public var structuredMetadataFallbacks: Int = 0
    /// Body bytes (as sent, compressed) of accepted requests.
    public var bytesSent: Int = 0

    /// Creates zeroed statistics.
    public init() {}
}
