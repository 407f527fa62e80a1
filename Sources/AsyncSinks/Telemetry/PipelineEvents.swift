/// Records entered a sink's queue.
public struct BufferedEvent: Sendable {
    /// The sink's name.
    public var sink: String
    /// How many records were queued in this step.
    public var count: Int
}

/// Records were dropped for a sink.
public struct DroppedEvent: Sendable {
    /// The sink's name.
    public var sink: String
    /// Why they were dropped.
    public var reason: DropReason
    /// How many were dropped in this step.
    public var count: Int
}

/// A sink wrote a batch.
public struct BatchWrittenEvent: Sendable {
    /// The sink's name.
    public var sink: String
    /// How many records the sink wrote.
    public var count: Int
    /// The bytes written, as reported by the sink, or the records' estimated size.
    public var bytes: Int
    /// How long the sink's write call took.
    public var duration: Duration
    /// The attempt that succeeded (1 when no retry was needed).
    public var attempt: Int
}

/// Records of a batch failed for good.
public struct BatchFailedEvent: Sendable {
    /// The sink's name.
    public var sink: String
    /// How many records failed.
    public var count: Int
    /// Why they failed.
    public var error: LogSinkError
    /// How many attempts were made.
    public var attempts: Int
}

/// A failed batch will be retried.
public struct RetryScheduledEvent: Sendable {
    /// The sink's name.
    public var sink: String
    /// The attempt that will run next (2 for the first retry).
    public var attempt: Int
    /// How long until the retry.
    public var delay: Duration
    /// How many records will be retried.
    public var count: Int
    /// The error that caused the retry.
    public var error: LogSinkError
}

/// A flush finished, completely or at its timeout.
public struct FlushCompletedEvent: Sendable {
    /// Whether every record accepted before the flush was written or failed in time.
    public var completed: Bool
    /// How long the flush took.
    public var duration: Duration
}
