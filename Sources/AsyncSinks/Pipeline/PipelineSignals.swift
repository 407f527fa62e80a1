import Synchronization

/// The state logging threads, workers, flush and close use to wait for each other.
final class PipelineSignals: Sendable {
    /// The flags logging calls read: which blocking sinks are full.
    let flags: HotFlags
    /// Set once close begins; wakes and releases blocked callers.
    let closing = Atomic<Bool>(false)

    /// Blocked callers wait here for room.
    let admission = ConditionLock()
    let admissionChanged: ConditionLock.Condition
    /// Callers waiting in admission, and a condition signalled when one starts waiting.
    let blockedCallerCount = Atomic<Int>(0)
    let callerBlocked: ConditionLock.Condition

    /// Flush and close wait here for sinks to make progress.
    let progress = ConditionLock()
    let progressChanged: ConditionLock.Condition
    private let progressWaiters = Atomic<Int>(0)

    init(flags: HotFlags) {
        self.flags = flags
        admissionChanged = ConditionLock.Condition(admission)
        callerBlocked = ConditionLock.Condition(admission)
        progressChanged = ConditionLock.Condition(progress)
    }

    /// Marks a blocking sink full or not, waking blocked callers when it gets room.
    func setBlocked(_ bit: UInt64, _ full: Bool) {
        if full {
            flags.blockedSinks.bitwiseOr(bit, ordering: .sequentiallyConsistent)
        } else if flags.blockedSinks.bitwiseAnd(~bit, ordering: .sequentiallyConsistent).oldValue & bit != 0 {
            admission.withLock { admissionChanged.broadcast() }
        }
    }

    /// Releases every blocked caller (the pipeline is closing).
    func releaseBlockedCallers() {
        closing.store(true, ordering: .sequentiallyConsistent)
        admission.withLock { admissionChanged.broadcast() }
    }

    /// Wakes flush and close waiters after a sink settled records.
    func notifyProgress() {
        if progressWaiters.load(ordering: .sequentiallyConsistent) > 0 {
            progress.withLock { progressChanged.broadcast() }
        }
    }

    /// Waits until `isDone` holds or the real-time deadline passes.
    ///
    /// - Returns: Whether `isDone` held.
    func waitForProgress(until deadline: Int64, _ isDone: () -> Bool) -> Bool {
        progress.lock()
        progressWaiters.add(1, ordering: .sequentiallyConsistent)
        defer {
            progressWaiters.subtract(1, ordering: .sequentiallyConsistent)
            progress.unlock()
        }
        return progressChanged.wait(untilRealTime: deadline) { !isDone() }
    }
}
