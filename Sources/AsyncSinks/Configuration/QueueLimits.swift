/// The bounds of a sink's queue. When either is reached, the sink's ``BackpressurePolicy`` applies.
///
/// The bounds count records waiting for the sink, not the batch it is writing, so a sink holds at
/// most `maxRecords` queued records plus one batch in memory.
public struct QueueLimits: Hashable, Sendable {
    /// The most queued records. Default: 16 384.
    public var maxRecords: Int
    /// The most queued bytes, by ``LogRecord/estimatedSize``. Default: 16 MiB.
    public var maxBytes: Int

    /// Creates queue limits.
    ///
    /// - Parameters:
    ///   - maxRecords: The most queued records (at least 1).
    ///   - maxBytes: The most queued bytes (at least 1).
    public init(maxRecords: Int = 16_384, maxBytes: Int = 16 << 20) {
        self.maxRecords = max(1, maxRecords)
        self.maxBytes = max(1, maxBytes)
    }

    /// 16 384 records, 16 MiB.
    public static let `default` = QueueLimits()
}
