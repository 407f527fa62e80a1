/// The outcome of ``LogPipeline/flush(timeout:)``.
public struct FlushResult: Sendable, CustomStringConvertible {
    /// Whether every record accepted before the call was written or failed, and every sink flushed,
    /// before the timeout.
    public var completed: Bool
    /// The sinks that had not finished at the timeout, with their pending records.
    public var pending: [String: Int]
    /// How long the flush took.
    public var duration: Duration

    public var description: String {
        completed ? "flush completed in \(duration)" : "flush timed out after \(duration); pending: \(pending.sorted { $0.key < $1.key })"
    }
}
