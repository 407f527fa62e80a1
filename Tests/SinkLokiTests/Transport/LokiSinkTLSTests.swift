import AsyncSinks
import SinkLoki
import Testing

/// The https path end to end: the sink pushes through FoundationNetworking's TLS to a server on
/// 127.0.0.1 whose certificate the system trusts. Runs where `.ci/run` (or a developer) has set
/// that up, and is reported as skipped elsewhere.
@Suite("Loki over https", .enabled(if: TLSTestServer.credentials != nil, "needs ASYNCSINKS_TLS_TEST_CERT/KEY and a trusted CA (see .ci/run)"))
struct LokiSinkTLSTests {
    @Test("pushes over TLS to a server the system trusts")
    func pushesOverTLS() throws {
        let credentials = try #require(TLSTestServer.credentials)
        let server = try TLSTestServer(certificate: credentials.certificate, key: credentials.key)
        defer { server.stop() }
        var configuration = LokiSinkConfiguration(url: "https://127.0.0.1:\(server.port)")
        configuration.clock = .manual(ManualClock(wallTime: testNow))
        configuration.requestTimeout = .seconds(10)
        let sink = try LokiSink(configuration: configuration)
        let (batch, error) = write(sink, [record("over tls"), record("second")])
        // Stopped before reading, so that reading ends at the output's end instead of waiting.
        server.stop()
        #expect(error == nil, "\(error?.message ?? "")")
        #expect(outcomes(batch) == ["written", "written"])
        let received = try #require(server.readLine())
        #expect(received.hasPrefix("/loki/api/v1/push "))
        #expect(received.hasSuffix(" application/x-protobuf"))
    }
}
