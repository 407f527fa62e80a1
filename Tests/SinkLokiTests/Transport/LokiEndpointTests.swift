import Foundation
@testable import SinkLoki
import Testing

@Suite("LokiEndpoint")
struct LokiEndpointTests {
    @Test("appends the push path to a base URL and keeps a full push URL", arguments: [
        ("http://loki:3100", "http://loki:3100/loki/api/v1/push"),
        ("http://loki:3100/", "http://loki:3100/loki/api/v1/push"),
        ("https://gw.example.com/tenant-a", "https://gw.example.com/tenant-a/loki/api/v1/push"),
        ("https://gw.example.com/loki/api/v1/push", "https://gw.example.com/loki/api/v1/push"),
    ])
    func pushURL(input: String, expected: String) throws {
        #expect(try LokiEndpoint.pushURL(from: input).absoluteString == expected)
    }

    @Test("refuses other schemes, missing hosts and credentials", arguments: [
        "ftp://loki", "loki:3100", "http://", "http://u:p@loki:3100", "http://u@loki",
    ])
    func refuses(input: String) {
        #expect(throws: LokiConfigurationError.self) { try LokiEndpoint.pushURL(from: input) }
    }

    @Test("redacts the user information of URLs")
    func redacts() {
        #expect(LokiEndpoint.redactedURL("https://u:secret@host/path") == "https://<redacted>@host/path")
        #expect(LokiEndpoint.redactedURL("https://host/p@th") == "https://host/p@th")
    }
}
