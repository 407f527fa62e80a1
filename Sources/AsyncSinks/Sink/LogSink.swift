/// An output for log records: the console, a file, Loki, or anything you write yourself.
///
/// The pipeline calls a sink from its worker threads, never concurrently for the same sink and never
/// while holding one of its locks, so a sink may block on I/O. A sink receives records in batches
/// shaped by its ``SinkConfiguration``; what it does not mark otherwise in the batch counts as
/// written when ``write(_:)`` returns, and as failed or to be retried when it throws:
///
/// - return normally: every record not marked dropped or failed is written;
/// - throw a ``LogSinkError`` of kind ``LogSinkError/Kind/retryable``, or any other error: the
///   records not yet marked are retried according to the sink's ``RetryPolicy``, with only those
///   records in the next batch;
/// - throw a ``LogSinkError`` of kind ``LogSinkError/Kind/permanent``: the records not yet marked fail.
///
/// A minimal sink that appends lines to an in-memory list:
///
/// ```swift
/// import AsyncSinks
/// import Synchronization
///
/// final class MemorySink: LogSink {
///     let lines = Mutex<[String]>([])
///
///     func write(_ batch: inout LogBatch) throws {
///         let formatted = batch.records.map { "\($0.level.name): \($0.message)" }
///         lines.withLock { $0.append(contentsOf: formatted) }
///     }
/// }
/// ```
public protocol LogSink: Sendable {
    /// Writes a batch of records.
    ///
    /// Called on a pipeline worker thread, one call at a time per sink. Mark single records with
    /// ``LogBatch/drop(_:reason:)``, ``LogBatch/fail(_:error:)`` or ``LogBatch/markWritten(_:)`` when
    /// their fates differ; throw to have the unmarked rest retried or failed.
    ///
    /// - Parameter batch: The records to write, oldest first, and the attempt's context.
    func write(_ batch: inout LogBatch) throws

    /// Pushes everything written so far to its destination (for example, from user-space buffers to
    /// the operating system). Called after the records of a ``LogPipeline/flush(timeout:)`` are written.
    /// The default does nothing.
    func flush() throws

    /// Releases the sink's resources. Called once, after the last write, when the pipeline closes.
    /// The default does nothing.
    func close() throws
}

extension LogSink {
    public func flush() throws {}
    public func close() throws {}
}
