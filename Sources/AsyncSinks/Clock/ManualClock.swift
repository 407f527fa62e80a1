import Synchronization

/// A clock for tests: its time moves only when ``advance(by:)`` is called.
///
/// Give it to a pipeline as ``PipelineClock/manual(_:)``; advancing it fires the pipeline's due
/// timers (batch waits, retry backoff) at once.
public final class ManualClock: Sendable {
    private struct State {
        var wall: Int64
        var monotonic: Int64
        var observers: [@Sendable () -> Void]
    }

    private let state: Mutex<State>

    /// Creates a manual clock.
    ///
    /// - Parameter wallTime: The initial wall-clock time. Default: 2026-01-01T00:00:00Z.
    public init(wallTime: LogTimestamp = LogTimestamp(nanosecondsSinceEpoch: 1_767_225_600_000_000_000)) {
        state = Mutex(State(wall: wallTime.nanosecondsSinceEpoch, monotonic: 0, observers: []))
    }

    /// The current wall-clock time.
    public var wallTime: LogTimestamp {
        LogTimestamp(nanosecondsSinceEpoch: state.withLock { $0.wall })
    }

    /// The current monotonic time in nanoseconds since the clock was created.
    public var monotonicNanoseconds: Int64 {
        state.withLock { $0.monotonic }
    }

    /// Moves both times forward and fires what became due.
    ///
    /// - Parameter duration: How far to move (negative durations are ignored).
    public func advance(by duration: Duration) {
        let nanoseconds = max(0, duration.nanoseconds)
        let observers = state.withLock { state in
            state.wall &+= nanoseconds
            state.monotonic &+= nanoseconds
            return state.observers
        }
        for observer in observers { observer() }
    }

    func addObserver(_ observer: @escaping @Sendable () -> Void) {
        state.withLock { $0.observers.append(observer) }
    }
}
