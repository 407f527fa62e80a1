import Synchronization

/// A one-way signal raised when the pipeline gives up on a batch, so a sink can abort long waits.
///
/// Sinks either poll ``isCancelled`` or register a handler with ``onCancel(_:)``, which runs once,
/// immediately if the signal was already raised.
public final class CancellationSignal: Sendable {
    private let state = Mutex<(cancelled: Bool, handlers: [@Sendable () -> Void])>((false, []))

    /// Creates a signal that is not raised.
    public init() {}

    /// Whether the signal was raised.
    public var isCancelled: Bool {
        state.withLock { $0.cancelled }
    }

    /// Runs `handler` once when the signal is raised, or now if it already was.
    ///
    /// - Parameter handler: The action, for example cancelling a network request.
    public func onCancel(_ handler: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.cancelled { return true }
            state.handlers.append(handler)
            return false
        }
        if runNow { handler() }
    }

    /// Raises the signal and runs the registered handlers. Later calls do nothing.
    public func cancel() {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            if state.cancelled { return [] }
            state.cancelled = true
            defer { state.handlers = [] }
            return state.handlers
        }
        for handler in handlers { handler() }
    }
}
