/// What came back for one push request.
enum LokiResponse: Sendable, Equatable {
    /// Loki answered with a status.
    case status(code: Int, body: String, retryAfter: String?)
    /// The request failed before a status arrived (connection refused or dropped, DNS, TLS).
    case transportError(String)
    /// No answer within the request timeout.
    case timedOut
    /// The request was cancelled because the pipeline gave up on the batch.
    case cancelled
    /// The sink was closed; no request was sent.
    case closed
}
