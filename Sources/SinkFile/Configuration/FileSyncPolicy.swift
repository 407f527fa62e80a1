/// When the file sink asks the operating system to push written data to the disk (`fdatasync`).
///
/// Every batch is handed to the operating system with `write(2)` before ``FileSink/write(_:)``
/// returns, which survives a crash of the process. A sync policy additionally survives a crash of
/// the machine, at a cost in throughput. The sink never syncs per record.
public struct FileSyncPolicy: Sendable, Hashable, CustomStringConvertible {
    private enum Base: Sendable, Hashable {
        case none
        case everyBatch
        case interval(Duration)
    }

    private let base: Base

    /// Never sync explicitly (the operating system writes back on its own schedule); ``FileSink/flush()``
    /// and ``FileSink/close()`` guarantee only that the bytes reached the operating system.
    public static let none = FileSyncPolicy(base: .none)

    /// Sync after every batch, and on flush, rotation and close.
    public static let everyBatch = FileSyncPolicy(base: .everyBatch)

    /// Sync after a batch when at least `interval` passed since the last sync (by the sink's clock),
    /// and on flush, rotation and close.
    ///
    /// - Parameter interval: The minimum time between syncs.
    /// - Returns: The policy.
    public static func interval(_ interval: Duration) -> FileSyncPolicy {
        FileSyncPolicy(base: .interval(interval))
    }

    /// Whether the policy syncs at all.
    var syncs: Bool {
        if case .none = base { return false }
        return true
    }

    /// Whether a batch written at `now` should be followed by a sync, given the last sync time
    /// (monotonic nanoseconds).
    func shouldSyncAfterBatch(now: Int64, lastSync: Int64) -> Bool {
        switch base {
        case .none: false
        case .everyBatch: true
        case .interval(let interval): now &- lastSync >= interval.wholeNanoseconds
        }
    }

    /// A short human-readable description.
    public var description: String {
        switch base {
        case .none: "none"
        case .everyBatch: "everyBatch"
        case .interval(let interval): "interval(\(interval))"
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating.
    var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled &+ attoseconds / 1_000_000_000
    }
}
