@testable import SinkLoki
import Testing

@Suite("ResponseClassifier")
struct ResponseClassifierTests {
    func classify(_ code: Int, body: String = "", bytes: Int = 100, metadata: Bool = false) -> ResponseClassifier.Action {
        ResponseClassifier.classify(
            .status(code: code, body: body, retryAfter: "5"), requestBytes: bytes, burstBytes: 1000, hadStructuredMetadata: metadata)
    }

    @Test("follows Loki's status table")
    func table() {
        #expect(classify(204) == .delivered)
        #expect(classify(200) == .delivered)
        #expect(classify(260) == .discardedByServer)
        #expect(classify(413) == .split)
        #expect(classify(429) == .retry(retryAfter: "5"))
        #expect(classify(429, bytes: 5000) == .split)
        for code in [500, 502, 503, 504] { #expect(classify(code) == .retry(retryAfter: "5")) }
        for code in [400, 401, 403, 404, 501, 505] { #expect(classify(code, body: "m") == .reject(message: "m")) }
        #expect(classify(400, body: "structured metadata is disabled", metadata: true)
            == .structuredMetadataRejected(message: "structured metadata is disabled"))
        #expect(classify(400, body: "structured metadata is disabled", metadata: false)
            == .reject(message: "structured metadata is disabled"))
    }

    @Test("network errors and timeouts are retried, cancellation is reported")
    func transport() {
        #expect(ResponseClassifier.classify(.timedOut, requestBytes: 1, burstBytes: 1, hadStructuredMetadata: false) == .retry(retryAfter: nil))
        #expect(ResponseClassifier.classify(.transportError("reset"), requestBytes: 1, burstBytes: 1, hadStructuredMetadata: false)
            == .retry(retryAfter: nil))
        #expect(ResponseClassifier.classify(.cancelled, requestBytes: 1, burstBytes: 1, hadStructuredMetadata: false) == .cancelled)
    }
}
