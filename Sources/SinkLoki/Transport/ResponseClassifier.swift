/// Decides what to do with a push response, following Loki's status codes.
///
/// | answer | action |
/// |---|---|
/// | 2xx except 260 | delivered |
/// | 260 | discarded by the server: entries dropped (`server_discarded`) |
/// | 413 | split the request (a single entry fails) |
/// | 429 | retry, honouring `Retry-After`; split instead when the request is larger than the burst |
/// | 500, 502, 503, 504, network error, timeout | retry |
/// | 400 about structured metadata | fall back to the line (when enabled) and resend |
/// | any other status | reject: entries fail with Loki's message |
enum ResponseClassifier {
    /// The action for a response.
    enum Action: Equatable {
        case delivered
        case discardedByServer
        case split
        case retry(retryAfter: String?)
        case structuredMetadataRejected(message: String)
        case reject(message: String)
        case cancelled
    }

    /// Classifies `response` to a request of `requestBytes` encoded bytes.
    ///
    /// - Parameters:
    ///   - response: The answer.
    ///   - requestBytes: The encoded size of the request, compared with the burst size on 429.
    ///   - burstBytes: The server's burst size.
    ///   - hadStructuredMetadata: Whether the request carried structured metadata.
    static func classify(_ response: LokiResponse, requestBytes: Int, burstBytes: Int, hadStructuredMetadata: Bool) -> Action {
        switch response {
        case .cancelled:
            return .cancelled
        case .closed:
            return .reject(message: "the Loki sink is closed")
        case .timedOut, .transportError:
            return .retry(retryAfter: nil)
        case .status(let code, let body, let retryAfter):
            switch code {
            case 260:
                return .discardedByServer
            case 200..<300:
                return .delivered
            case 413:
                return .split
            case 429:
                return requestBytes > burstBytes ? .split : .retry(retryAfter: retryAfter)
            case 500, 502, 503, 504:
                return .retry(retryAfter: retryAfter)
            case 400 where hadStructuredMetadata && mentionsStructuredMetadata(body):
                return .structuredMetadataRejected(message: body)
            default:
                return .reject(message: body)
            }
        }
    }

    /// Whether a 400 body says structured metadata is not allowed (Loki: "structured metadata is
    /// disabled" / "... not allowed" / schema too old for structured metadata).
    static func mentionsStructuredMetadata(_ body: String) -> Bool {
        let lowered = body.lowercased()
        return lowered.contains("structured metadata") || lowered.contains("structured_metadata")
    }
}
