/// A consistent snapshot of one sink's counters.
///
/// All counters are taken at the same instant, so the accounting invariant holds in every snapshot:
/// `accepted == written + droppedTotal + failed + pending`. After the pipeline closed, `pending` is 0.
public struct SinkStats: Sendable, CustomStringConvertible {
    /// The sink's name.
    public var name: String
    /// Records given to the sink: those at or above its minimum level that passed its filter.
    public var accepted: Int
    /// Records the sink wrote.
    public var written: Int
    /// Records dropped, by reason.
    public var dropped: [DropReason: Int]
    /// Records that failed for good (permanent errors, or retries exhausted).
    public var failed: Int
    /// Retries scheduled.
    public var retries: Int
    /// Records accepted but not yet written, dropped or failed: queued or in flight.
    public var pending: Int
    /// Records in the batch being written or awaiting its retry.
    public var inFlight: Int
    /// The most recent error, if any.
    public var lastError: String?

    /// All dropped records, whatever the reason.
    public var droppedTotal: Int {
        dropped.values.reduce(0, +)
    }

    /// Whether `accepted == written + droppedTotal + failed + pending`.
    public var isBalanced: Bool {
        accepted == written + droppedTotal + failed + pending
    }

    public var description: String {
        let reasons = dropped.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        return "\(name): accepted=\(accepted) written=\(written) dropped=\(droppedTotal)"
            + (reasons.isEmpty ? "" : "(\(reasons))")
            + " failed=\(failed) retries=\(retries) pending=\(pending)"
            + (lastError.map { " last_error=\"\($0)\"" } ?? "")
    }
}
