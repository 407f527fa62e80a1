/// What happens to a new record when a sink's queue is full.
///
/// - ``dropNewest``: the new record is dropped (reason ``DropReason/queueFull``). The caller never waits.
/// - ``dropOldest``: the oldest queued record is evicted (reason ``DropReason/evicted``) to make room.
///   The caller never waits.
/// - ``block``: the logging call waits until the sink has room. This is the one case in which one sink
///   can slow the application and, through the shared intake, the other sinks: choose it only for
///   a sink whose every record matters more than latency.
/// - ``block(timeout:)``: the logging call waits at most `timeout` for room; after that the record is
///   dropped for this sink (reason ``DropReason/timeout``) and delivered to the others.
///
/// Pipeline worker threads and hooks never wait: a record they log into a full blocking sink is
/// dropped for that sink with reason ``DropReason/queueFull``.
public struct BackpressurePolicy: Hashable, Sendable, CustomStringConvertible {
    @usableFromInline
    enum Base: Hashable, Sendable {
        case dropNewest
        case dropOldest
        case block(timeout: Duration?)
    }

    @usableFromInline
    let base: Base

    /// Drop the new record when the queue is full.
    public static let dropNewest = BackpressurePolicy(base: .dropNewest)
    /// Evict the oldest queued record when the queue is full.
    public static let dropOldest = BackpressurePolicy(base: .dropOldest)
    /// Make the logging call wait until the queue has room.
    public static let block = BackpressurePolicy(base: .block(timeout: nil))

    /// Make the logging call wait at most `timeout` for room, then drop the record for this sink.
    ///
    /// - Parameter timeout: The longest wait.
    /// - Returns: The policy.
    public static func block(timeout: Duration) -> BackpressurePolicy {
        BackpressurePolicy(base: .block(timeout: timeout))
    }

    /// Whether a logging call may wait for this sink.
    public var blocksCaller: Bool {
        if case .block = base { return true }
        return false
    }

    /// The longest wait of ``block(timeout:)``, or `nil`.
    public var blockTimeout: Duration? {
        if case .block(let timeout) = base { return timeout }
        return nil
    }

    public var description: String {
        switch base {
        case .dropNewest: "drop-newest"
        case .dropOldest: "drop-oldest"
        case .block(nil): "block"
        case .block(let timeout?): "block(timeout: \(timeout))"
        }
    }
}
