/// A batch of records handed to a ``LogSink``, with the attempt's context and the per-record outcomes
/// the sink reports.
public struct LogBatch: Sendable {
    /// The outcome a sink reported for one record of the batch.
    @usableFromInline
    enum Outcome: Sendable {
        case written
        case dropped(DropReason)
        case failed(LogSinkError)
    }

    /// The records to write, oldest first. A retry carries only the records still undelivered.
    public let records: [LogRecord]

    /// The attempt number: 1 for the first try, 2 for the first retry, and so on.
    public let attempt: Int

    /// Raised when the pipeline gives up on this batch (its close deadline passed); long waits in a
    /// sink should observe it and return early.
    public let cancellation: CancellationSignal

    /// The number of bytes the sink wrote for this batch, reported in the batch-written hook.
    /// When the sink leaves it `nil`, the records' estimated size is reported.
    public var bytesWritten: Int?

    @usableFromInline
    var outcomes: [Outcome?]

    /// Creates a batch. The pipeline creates batches; tests of sinks create them too.
    ///
    /// - Parameters:
    ///   - records: The records, oldest first.
    ///   - attempt: The attempt number, starting at 1.
    ///   - cancellation: The signal raised when the pipeline gives up on the batch.
    public init(records: [LogRecord], attempt: Int = 1, cancellation: CancellationSignal = CancellationSignal()) {
        self.records = records
        self.attempt = attempt
        self.cancellation = cancellation
        self.outcomes = []
    }

    /// Marks the record at `index` as written, so that it is not retried when the write then throws.
    ///
    /// - Parameter index: The record's index in ``records``.
    public mutating func markWritten(_ index: Int) {
        setOutcome(.written, at: index)
    }

    /// Marks the record at `index` as dropped on purpose, counted under `reason`.
    ///
    /// - Parameters:
    ///   - index: The record's index in ``records``.
    ///   - reason: Why the sink dropped it, for example a line over the size limit.
    public mutating func drop(_ index: Int, reason: DropReason) {
        setOutcome(.dropped(reason), at: index)
    }

    /// Marks the record at `index` as failed for good, with the error that explains why.
    ///
    /// - Parameters:
    ///   - index: The record's index in ``records``.
    ///   - error: The reason, reported in the batch-failed hook and the sink's last error.
    public mutating func fail(_ index: Int, error: LogSinkError) {
        setOutcome(.failed(error), at: index)
    }

    /// Whether the sink has marked the record at `index` with an outcome.
    ///
    /// - Parameter index: The record's index in ``records``.
    /// - Returns: `true` when ``markWritten(_:)``, ``drop(_:reason:)`` or ``fail(_:error:)`` was called for it.
    public func isMarked(_ index: Int) -> Bool {
        index < outcomes.count && outcomes[index] != nil
    }

    private mutating func setOutcome(_ outcome: Outcome, at index: Int) {
        guard records.indices.contains(index) else { return }
        if outcomes.isEmpty { outcomes = Array(repeating: nil, count: records.count) }
        outcomes[index] = outcome
    }

    /// Gives up the records once the batch is settled, so that the pipeline destroys them and
    /// reuses their storage.
    consuming func takeRecords() -> [LogRecord] {
        records
    }

    @usableFromInline
    func outcome(at index: Int) -> Outcome? {
        index < outcomes.count ? outcomes[index] : nil
    }
}
