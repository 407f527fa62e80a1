/// An error reported by a sink, classified as retryable or permanent.
///
/// The classification decides what the pipeline does with the batch: a retryable error schedules a
/// retry with backoff (honouring ``retryAfter`` when the destination asked for a delay), a permanent
/// one fails the records at once. Messages must never contain credentials.
public struct LogSinkError: Error, Sendable, CustomStringConvertible {
    /// Whether an error is worth retrying.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case retryable
            case permanent
        }

        private let base: Base

        /// A transient problem: a timeout, a refused connection, a full disk, an overloaded server.
        public static let retryable = Kind(base: .retryable)
        /// A problem retrying cannot fix: a rejected request, a bad path, missing permissions.
        public static let permanent = Kind(base: .permanent)

        public var description: String {
            switch base {
            case .retryable: "retryable"
            case .permanent: "permanent"
            }
        }
    }

    /// Whether the failed records should be retried.
    public var kind: Kind
    /// A human-readable explanation, free of credentials.
    public var message: String
    /// A delay the destination asked for before the next attempt (for example HTTP `Retry-After`).
    public var retryAfter: Duration?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - kind: Whether retrying may help.
    ///   - message: What went wrong, free of credentials.
    ///   - retryAfter: A delay requested by the destination before the next attempt.
    public init(_ kind: Kind, _ message: String, retryAfter: Duration? = nil) {
        self.kind = kind
        self.message = message
        self.retryAfter = retryAfter
    }

    /// A retryable error.
    ///
    /// - Parameters:
    ///   - message: What went wrong.
    ///   - retryAfter: A delay requested by the destination before the next attempt.
    /// - Returns: The error.
    public static func retryable(_ message: String, retryAfter: Duration? = nil) -> LogSinkError {
        LogSinkError(.retryable, message, retryAfter: retryAfter)
    }

    /// A permanent error.
    ///
    /// - Parameter message: What went wrong.
    /// - Returns: The error.
    public static func permanent(_ message: String) -> LogSinkError {
        LogSinkError(.permanent, message)
    }

    /// Classifies any error thrown by a sink: a ``LogSinkError`` keeps its kind; anything else is
    /// treated as retryable, described by its own description.
    ///
    /// - Parameter error: The error a sink threw.
    /// - Returns: The classified error.
    public static func classifying(_ error: any Error) -> LogSinkError {
        if let sinkError = error as? LogSinkError { return sinkError }
        return LogSinkError(.retryable, String(describing: error))
    }

    public var description: String {
        "\(kind) sink error: \(message)"
    }
}
