@testable import AsyncSinks
import Foundation
import SinkLoki
import Testing

@Suite("Credentials never leave the sink")
struct CredentialRedactionTests {
    static let password = "pa55-w0rd-XYZ"
    static let token = "tok-ABCDEF-123"
    static let headerSecret = "gw-secret-value"

    @Test("descriptions redact passwords, tokens and header values")
    func descriptions() {
        var configuration = LokiSinkConfiguration(url: "https://logs.example.com")
        configuration.authentication = .basic(username: "123456", password: Self.password)
        configuration.headers = ["X-Api-Key": Self.headerSecret]
        for text in [configuration.description, configuration.debugDescription, "\(configuration)", String(reflecting: configuration)] {
            #expect(!text.contains(Self.password))
            #expect(!text.contains(Self.headerSecret))
            #expect(text.contains("123456"))
            #expect(text.contains("<redacted>"))
        }
        configuration.authentication = .bearer(token: Self.token)
        #expect(!configuration.description.contains(Self.token))
        #expect(!String(reflecting: configuration.authentication).contains(Self.token))
    }

    @Test("a URL with credentials is refused with a message that does not show them")
    func urlWithCredentials() {
        let configuration = LokiSinkConfiguration(url: "https://user:\(Self.password)@logs.example.com/loki/api/v1/push")
        do {
            _ = try LokiSink(configuration: configuration)
            Issue.record("the sink accepted a URL with credentials")
        } catch {
            #expect(!error.description.contains(Self.password))
            #expect(error.message.contains("contains credentials"))
            #expect(!configuration.description.contains(Self.password))
        }
    }

    @Test("errors and diagnostics redact secrets echoed by the server")
    func echoedSecrets() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        server.script(
            .status(400, body: "bad auth header Bearer \(Self.token) and \(Self.headerSecret)"),
            .status(503, body: "retry later \(Self.token)"))
        let diagnostics = DiagnosticsCollector()
        let sink = try LokiSink(configuration: configuration(server) {
            $0.authentication = .bearer(token: Self.token)
            $0.headers = ["X-Api-Key": Self.headerSecret]
            $0.diagnostics = diagnostics.handler
        })
        let (batch, _) = write(sink, [record("a")])
        let failure = outcome(batch, 0)
        #expect(failure.hasPrefix("failed:Loki rejected the push (status 400)"))
        #expect(!failure.contains(Self.token))
        #expect(!failure.contains(Self.headerSecret))
        let (_, error) = write(sink, [record("b")])
        let thrown = try #require(error)
        #expect(!thrown.message.contains(Self.token))
        #expect(!thrown.description.contains(Self.token))
        #expect(diagnostics.all.count >= 2)
        for diagnostic in diagnostics.all {
            #expect(!diagnostic.message.contains(Self.token))
            #expect(!diagnostic.description.contains(Self.headerSecret))
        }
        // The credentials were sent, in the header only.
        let sent = try server.request(0)
        #expect(sent.header("Authorization") == "Bearer \(Self.token)")
        #expect(!sent.path.contains(Self.token))
    }
}
