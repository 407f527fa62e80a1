/// How the pipeline feeds one sink: its queue, backpressure, batching, retries, level and filter.
///
/// ```swift
/// var configuration = SinkConfiguration()
/// configuration.minimumLevel = .warning
/// configuration.backpressure = .dropOldest
/// configuration.batching = BatchingPolicy(maxEntries: 500, maxWait: .seconds(1))
/// ```
public struct SinkConfiguration: Sendable {
    /// Records below this level are not given to the sink (nor counted as accepted). Default: `.trace`.
    public var minimumLevel: LogLevel
    /// An optional predicate; records for which it returns `false` are not given to the sink. It runs
    /// on a pipeline worker, never on the logging thread, and must not block. Default: `nil`.
    public var filter: (@Sendable (LogRecord) -> Bool)?
    /// The bounds of the sink's queue. Default: ``QueueLimits/default``.
    public var queue: QueueLimits
    /// What happens when the queue is full. Default: ``BackpressurePolicy/dropNewest``.
    public var backpressure: BackpressurePolicy
    /// When queued records are written. Default: ``BatchingPolicy/default``.
    public var batching: BatchingPolicy
    /// How failed batches are retried. Default: ``RetryPolicy/default``.
    public var retry: RetryPolicy

    /// Creates a sink configuration.
    ///
    /// - Parameters:
    ///   - minimumLevel: The lowest level given to the sink.
    ///   - filter: An optional predicate run on a pipeline worker.
    ///   - queue: The queue's bounds.
    ///   - backpressure: What happens when the queue is full.
    ///   - batching: When queued records are written.
    ///   - retry: How failed batches are retried.
    public init(
        minimumLevel: LogLevel = .trace,
        filter: (@Sendable (LogRecord) -> Bool)? = nil,
        queue: QueueLimits = .default,
        backpressure: BackpressurePolicy = .dropNewest,
        batching: BatchingPolicy = .default,
        retry: RetryPolicy = .default
    ) {
        self.minimumLevel = minimumLevel
        self.filter = filter
        self.queue = queue
        self.backpressure = backpressure
        self.batching = batching
        self.retry = retry
    }

    /// Trace and up, 16 384 records, drop newest, 1024 records / 1 MiB / 100 ms batches, default retries.
    public static let `default` = SinkConfiguration()
}
