/// Callbacks that report what the pipeline does, for metrics and alerts.
///
/// Every hook is optional and costs nothing when unset. Hooks run on pipeline worker threads (the
/// flush hook on the thread calling ``LogPipeline/flush(timeout:)``), never while the pipeline holds
/// a lock; they should return quickly. Counts are aggregated per step, not reported per record.
///
/// A hook may log into the pipeline it observes. Such records are delivered and counted like any
/// other, but they never make the logging call wait, and they do not trigger hooks themselves
/// (a batch made only of them reports no batch events), so a hook that logs cannot recurse without
/// bound or deadlock.
public struct PipelineHooks: Sendable {
    /// Records entered a sink's queue.
    public var buffered: (@Sendable (BufferedEvent) -> Void)?
    /// Records were dropped for a sink, with the reason.
    public var dropped: (@Sendable (DroppedEvent) -> Void)?
    /// A sink wrote a batch.
    public var batchWritten: (@Sendable (BatchWrittenEvent) -> Void)?
    /// Records of a batch failed for good.
    public var batchFailed: (@Sendable (BatchFailedEvent) -> Void)?
    /// A failed batch was scheduled for a retry.
    public var retryScheduled: (@Sendable (RetryScheduledEvent) -> Void)?
    /// A flush finished.
    public var flushCompleted: (@Sendable (FlushCompletedEvent) -> Void)?

    /// Creates hooks; every hook defaults to `nil`.
    ///
    /// - Parameters:
    ///   - buffered: Records entered a sink's queue.
    ///   - dropped: Records were dropped, with the reason.
    ///   - batchWritten: A sink wrote a batch.
    ///   - batchFailed: Records failed for good.
    ///   - retryScheduled: A failed batch will be retried.
    ///   - flushCompleted: A flush finished.
    public init(
        buffered: (@Sendable (BufferedEvent) -> Void)? = nil,
        dropped: (@Sendable (DroppedEvent) -> Void)? = nil,
        batchWritten: (@Sendable (BatchWrittenEvent) -> Void)? = nil,
        batchFailed: (@Sendable (BatchFailedEvent) -> Void)? = nil,
        retryScheduled: (@Sendable (RetryScheduledEvent) -> Void)? = nil,
        flushCompleted: (@Sendable (FlushCompletedEvent) -> Void)? = nil
    ) {
        self.buffered = buffered
        self.dropped = dropped
        self.batchWritten = batchWritten
        self.batchFailed = batchFailed
        self.retryScheduled = retryScheduled
        self.flushCompleted = flushCompleted
    }

    /// No hooks.
    public static let none = PipelineHooks()
}
