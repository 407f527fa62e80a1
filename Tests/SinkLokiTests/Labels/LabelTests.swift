@testable import AsyncSinks
import Foundation
@testable import SinkLoki
import Testing

@Suite("Labels: sanitising, escaping and limits")
struct LabelTests {
    @Test("label names are sanitised to Loki's rules", arguments: [
        ("app", "app"), ("http.status", "http_status"), ("9lives", "_9lives"), ("__name__", "_name__"),
        ("", "_"), ("a-b c", "a_b_c"), ("é", "_"), ("___x", "_x"), ("Zz_9", "Zz_9"),
    ])
    func sanitisesNames(input: String, expected: String) {
        let sanitised = LabelNameSanitizer.sanitize(input)
        #expect(sanitised == expected)
        #expect(sanitised.range(of: "^[a-zA-Z_][a-zA-Z0-9_]*$", options: .regularExpression) != nil)
        #expect(!sanitised.hasPrefix("__"))
    }

    @Test("values are Go-quoted in the selector text")
    func quotesValues() {
        var bytes: [UInt8] = []
        LabelValueQuoting.appendQuoted("a\"b\\c\nd\te\u{1}f\u{7F}é", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #""a\"b\\c\nd\te\x01f\x7fé""#)
    }

    @Test("promoted labels are sanitised, escaped and round-trip through the selector")
    func promotedLabelsRoundTrip() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let sink = try LokiSink(configuration: configuration(server) {
            $0.staticLabels = ["service.name": "api", "empty": ""]
            $0.promotedFields = ["http.route", "user"]
            $0.excludedFields = ["user"]
        })
        let nasty = "/a \"quoted\" \\path\nnext\u{1B}"
        let (_, error) = write(sink, [record("m", fields: ["http": ["route": .string(nasty)], "user": "alice"])])
        #expect(error == nil)
        let stream = try #require(try decodedRequest(server).streams.first)
        #expect(stream.labels == ["service_name": "api", "level": "info", "http_route": nasty])
        #expect(stream.selector?.contains(#"http_route="/a \"quoted\" \\path\nnext\x1b""#) == true)
        #expect(stream.entries[0].line == "msg=m user=alice")
    }

    @Test("labels beyond the per-stream limit stay in the line and are counted")
    func labelLimit() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let diagnostics = DiagnosticsCollector()
        let sink = try LokiSink(configuration: configuration(server) {
            $0.staticLabels = ["service_name": "api", "env": "prod"]
            $0.maxLabelsPerStream = 3   // env + level + one promoted (service_name is not counted)
            $0.promotedFields = ["a", "b", "c"]
            $0.diagnostics = diagnostics.handler
        })
        let (_, error) = write(sink, [record("m", fields: ["c": "3", "b": "2", "a": "1"])])
        #expect(error == nil)
        let stream = try #require(try decodedRequest(server).streams.first)
        #expect(stream.labels == ["service_name": "api", "env": "prod", "level": "info", "a": "1"])
        #expect(stream.entries[0].line == "msg=m c=3 b=2")
        #expect(sink.statistics().labelsNotPromoted == 2)
        #expect(diagnostics.count(.labelNotPromoted) == 2)
    }

    @Test("repeated promoted keys and values that cannot be labels resolve like any other record")
    func irregularPromotedFields() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let sink = try LokiSink(configuration: configuration(server) { $0.promotedFields = ["user"] })
        let records = [
            record("a", at: 0, fields: ["user": "x"]),
            record("b", at: 1, fields: LogFields([("user", "y"), ("user", "x")])),
            record("c", at: 2, fields: LogFields([("user", ""), ("n", 1)])),
            record("d", at: 3, fields: LogFields([("user", "x"), ("user", "")])),
            record("e", at: 4, fields: ["user": "x"]),
        ]
        let (batch, error) = write(sink, records)
        #expect(error == nil)
        #expect(outcomes(batch).allSatisfy { $0 == "written" })
        let push = try decodedRequest(server)
        #expect(push.streams.count == 2)
        let labelled = try #require(push.streams.first { $0.labels["user"] == "x" })
        #expect(labelled.entries.map(\.line) == ["msg=a", "msg=b", "msg=d", "msg=e"])
        let unlabelled = try #require(push.streams.first { $0.labels["user"] == nil })
        #expect(unlabelled.entries.map(\.line) == [#"msg=c user="" n=1"#])
        #expect(sink.statistics().streams == 2)
        #expect(sink.statistics().labelsNotPromoted == 2)
    }

    @Test("too many static labels are a configuration error")
    func tooManyStaticLabels() {
        var configuration = LokiSinkConfiguration(url: "http://127.0.0.1:1")
        configuration.staticLabels = Dictionary(uniqueKeysWithValues: (0..<16).map { ("l\($0)", "v") })
        #expect(throws: LokiConfigurationError.self) { try LokiSink(configuration: configuration) }
    }

    @Test("records beyond the stream limit go to the overflow stream with static labels only")
    func streamLimitOverflow() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let diagnostics = DiagnosticsCollector()
        let sink = try LokiSink(configuration: configuration(server) {
            $0.staticLabels = ["service_name": "api"]
            $0.promotedFields = ["user"]
            $0.maxStreams = 2
            $0.diagnostics = diagnostics.handler
        })
        let records = (0..<5).map { record("m\($0)", at: Int64($0), fields: ["user": .string("u\($0)")]) }
        let (batch, error) = write(sink, records)
        #expect(error == nil)
        #expect(outcomes(batch).allSatisfy { $0 == "written" })
        let push = try decodedRequest(server)
        #expect(push.streams.count == 3)
        let overflow = try #require(push.streams.first { $0.labels == ["service_name": "api"] })
        #expect(overflow.entries.map(\.line) == ["msg=m2 level=info user=u2", "msg=m3 level=info user=u3", "msg=m4 level=info user=u4"])
        #expect(sink.statistics().overflowEntries == 3)
        #expect(sink.statistics().streams == 3)
        #expect(diagnostics.count(.streamLimitReached) == 1)
        // Existing streams keep working.
        let again = write(sink, [record("again", fields: ["user": "u0"])])
        #expect(again.error == nil)
        #expect(try decodedRequest(server, 1).streams.first?.labels["user"] == "u0")
    }

    @Test("records beyond the stream limit are dropped when the policy says so")
    func streamLimitDrop() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let sink = try LokiSink(configuration: configuration(server) {
            $0.promotedFields = ["user"]
            $0.maxStreams = 1
            $0.streamLimitPolicy = .drop
        })
        let (batch, error) = write(sink, [record("a", fields: ["user": "x"]), record("b", fields: ["user": "y"])])
        #expect(error == nil)
        #expect(outcomes(batch) == ["written", "dropped:stream_limit"])
        #expect(sink.statistics().dropped[.lokiStreamLimit] == 1)
    }

    @Test("the level label can be renamed or turned off")
    func levelLabel() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let renamed = try LokiSink(configuration: configuration(server) { $0.levelLabel = "severity" })
        _ = write(renamed, [record("a", level: .warning)])
        let off = try LokiSink(configuration: configuration(server) { $0.levelLabel = nil; $0.loggerLabel = "logger" })
        _ = write(off, [record("b", level: .warning, label: "db")])
        #expect(try decodedRequest(server, 0).streams.first?.labels == ["severity": "warning"])
        let second = try #require(try decodedRequest(server, 1).streams.first)
        #expect(second.labels == ["logger": "db"])
        #expect(second.entries.map(\.line) == ["msg=b level=warning"])
    }
}
