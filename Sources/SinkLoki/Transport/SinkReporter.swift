import AsyncSinks
import Synchronization

/// Counts what the sink does and hands its diagnostics, redacted, to the configured handler.
final class SinkReporter: Sendable {
    private let counters = Mutex(LokiSinkStatistics())
    private let handler: (@Sendable (LokiDiagnostic) -> Void)?
    /// Removes secrets from messages.
    let redactor: Redactor

    /// Creates a reporter.
    init(handler: (@Sendable (LokiDiagnostic) -> Void)?, redactor: Redactor) {
        self.handler = handler
        self.redactor = redactor
    }

    /// Reports a diagnostic (its message redacted).
    func report(_ kind: LokiDiagnostic.Kind, _ message: String, statusCode: Int? = nil) {
        guard let handler else { return }
        handler(LokiDiagnostic(kind: kind, message: redactor.redact(message), statusCode: statusCode))
    }

    /// Updates the counters.
    func count(_ update: (inout LokiSinkStatistics) -> Void) {
        counters.withLock { update(&$0) }
    }

    /// A snapshot of the counters.
    var snapshot: LokiSinkStatistics {
        counters.withLock { $0 }
    }
}
