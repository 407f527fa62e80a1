/// When a sink's queued records are handed to it as a batch.
///
/// A batch is written as soon as any trigger fires: ``maxEntries`` records are queued, their
/// estimated size reaches ``maxBytes``, or the oldest has waited ``maxWait``. A flush or close writes
/// what is queued at once. A batch never holds more than ``maxEntries`` records or, unless a single
/// record is larger, more than ``maxBytes``.
public struct BatchingPolicy: Hashable, Sendable {
    /// The most records in one batch. Default: 1024.
    public var maxEntries: Int
    /// The most estimated bytes in one batch (see ``LogRecord/estimatedSize``). Default: 1 MiB.
    public var maxBytes: Int
    /// The longest a record waits for more records before its batch is written. Default: 100 ms.
    public var maxWait: Duration

    /// Creates a batching policy.
    ///
    /// - Parameters:
    ///   - maxEntries: The most records in one batch (at least 1).
    ///   - maxBytes: The most estimated bytes in one batch (at least 1).
    ///   - maxWait: The longest a record waits before its batch is written.
    public init(maxEntries: Int = 1024, maxBytes: Int = 1 << 20, maxWait: Duration = .milliseconds(100)) {
        self.maxEntries = max(1, maxEntries)
        self.maxBytes = max(1, maxBytes)
        self.maxWait = max(.zero, maxWait)
    }

    /// 1024 records, 1 MiB, 100 ms.
    public static let `default` = BatchingPolicy()

    /// Writes whatever is queued as soon as the pipeline moves it to the sink: for interactive output.
    public static let immediate = BatchingPolicy(maxWait: .zero)
}
