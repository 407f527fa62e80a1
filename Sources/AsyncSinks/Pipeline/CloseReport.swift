/// The outcome of ``LogPipeline/close(deadline:)``.
public struct CloseReport: Sendable, CustomStringConvertible {
    /// Whether every sink drained, flushed and closed before the deadline.
    public var completedInTime: Bool
    /// Every sink's final counters; `pending` is 0 in each.
    public var sinks: [SinkStats]
    /// Records dropped because they were still undelivered at the deadline, per sink.
    public var droppedAtDeadline: [String: Int]
    /// Sinks still inside a write, flush or close call at the deadline; their thread exits when the
    /// call returns, and the sink is closed then.
    public var unresponsiveSinks: [String]

    public var description: String {
        var lines = [completedInTime ? "closed in time" : "close deadline passed"]
        lines += sinks.map(\.description)
        if !unresponsiveSinks.isEmpty { lines.append("unresponsive: \(unresponsiveSinks.joined(separator: ", "))") }
        return lines.joined(separator: "\n")
    }
}
