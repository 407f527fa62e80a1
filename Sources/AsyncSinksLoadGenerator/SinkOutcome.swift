public import AsyncSinks

/// One sink's final counters after a load, with how many records it should have accepted.
public struct SinkOutcome: Sendable, Equatable {
    /// The sink's registration name.
    public var name: String
    /// Records given to the sink.
    public var accepted: Int
    /// Records the sink wrote.
    public var written: Int
    /// Records dropped, by reason name.
    public var dropped: [String: Int]
    /// Records that failed for good.
    public var failed: Int
    /// Records neither written, dropped nor failed (0 after a completed close).
    public var pending: Int
    /// Records logged at or above the sink's level: what it should have accepted.
    public var expectedAccepted: Int

    /// All dropped records.
    public var droppedTotal: Int { dropped.values.reduce(0, +) }

    /// Creates an outcome.
    ///
    /// - Parameters:
    ///   - name: The sink's name.
    ///   - accepted: Records given to the sink.
    ///   - written: Records written.
    ///   - dropped: Records dropped, by reason name.
    ///   - failed: Records failed.
    ///   - pending: Records still pending.
    ///   - expectedAccepted: Records at or above the sink's level.
    public init(
        name: String, accepted: Int, written: Int, dropped: [String: Int] = [:], failed: Int = 0, pending: Int = 0,
        expectedAccepted: Int
    ) {
        self.name = name
        self.accepted = accepted
        self.written = written
        self.dropped = dropped
        self.failed = failed
        self.pending = pending
        self.expectedAccepted = expectedAccepted
    }

    /// The outcome of a sink's final counters.
    ///
    /// - Parameters:
    ///   - stats: The sink's counters from the close report.
    ///   - expectedAccepted: Records logged at or above the sink's level.
    public init(stats: SinkStats, expectedAccepted: Int) {
        var dropped: [String: Int] = [:]
        for (reason, count) in stats.dropped where count > 0 { dropped[reason.name, default: 0] += count }
        self.init(
            name: stats.name, accepted: stats.accepted, written: stats.written, dropped: dropped, failed: stats.failed,
            pending: stats.pending, expectedAccepted: expectedAccepted
        )
    }
}
