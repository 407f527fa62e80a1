@testable import AsyncSinks
import Foundation
import SinkLoki
import Testing

@Suite("Entry policies: line size, age, structured metadata")
struct EntryPolicyTests {
    @Test("long lines are truncated at a character boundary with a marker")
    func truncatesLongLines() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let sink = try LokiSink(configuration: configuration(server) { $0.maxLineBytes = 100; $0.lineFormat = .messageOnly })
        let message = String(repeating: "é", count: 200)
        let (batch, error) = write(sink, [record(message), record("short")])
        #expect(error == nil)
        #expect(outcomes(batch) == ["written", "written"])
        let lines = try decodedRequest(server).entries.map(\.line)
        #expect(lines[0].utf8.count <= 100)
        #expect(lines[0].hasSuffix("…[truncated]"))
        #expect(lines[0].hasPrefix("éééé"))
        #expect(lines[1] == "short")
        #expect(sink.statistics().truncatedLines == 1)
    }

    @Test("long lines are dropped when the policy says so")
    func dropsLongLines() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let sink = try LokiSink(configuration: configuration(server) {
            $0.maxLineBytes = 100
            $0.oversizedLinePolicy = .drop
            $0.structuredMetadata = .allFields
        })
        let (batch, error) = write(sink, [record(String(repeating: "x", count: 101), fields: ["k": "v"]), record("ok", fields: ["k": "w"])])
        #expect(error == nil)
        #expect(outcomes(batch) == ["dropped:line_too_long", "written"])
        let entries = try decodedRequest(server).entries
        #expect(entries.count == 1)
        #expect(entries[0].metadata == ["k": "w"])
        #expect(sink.statistics().dropped[.lokiLineTooLong] == 1)
    }

    @Test("entries too old or too far in the future are dropped before sending")
    func ageLimits() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let sink = try LokiSink(configuration: configuration(server))
        let day: Int64 = 86_400_000
        let records = [
            record("old", at: -8 * day), record("recent", at: -6 * day), record("soon", at: 9 * 60_000),
            record("future", at: 11 * 60_000),
        ]
        let (batch, error) = write(sink, records)
        #expect(error == nil)
        #expect(outcomes(batch) == ["dropped:too_old", "written", "written", "dropped:too_far_in_future"])
        #expect(try decodedRequest(server).entries.map(\.line) == ["msg=recent", "msg=soon"])
        #expect(sink.statistics().dropped == [.lokiTooOld: 1, .lokiTooFarInFuture: 1])
    }

    @Test("all-but-dropped batches send nothing")
    func nothingToSend() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let sink = try LokiSink(configuration: configuration(server))
        let (batch, error) = write(sink, [record("old", at: -8 * 86_400_000)])
        #expect(error == nil)
        #expect(outcomes(batch) == ["dropped:too_old"])
        #expect(server.requests.isEmpty)
    }

    @Test("structured metadata carries the chosen fields as strings")
    func structuredMetadata() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let sink = try LokiSink(configuration: configuration(server) { $0.structuredMetadata = .allFields })
        let (_, error) = write(sink, [record("m", fields: ["trace.id": "abc", "n": 5, "ratio": 0.5, "ok": false], label: "db")])
        #expect(error == nil)
        let entry = try #require(try decodedRequest(server).entries.first)
        #expect(entry.line == "msg=m")
        #expect(entry.metadata == ["trace_id": "abc", "n": "5", "ratio": "0.5", "ok": "false", "logger": "db"])
    }

    @Test("when Loki refuses structured metadata, the fields move to the line and the entries are resent")
    func structuredMetadataFallback() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        server.script(.status(400, body: "stream '{level=\"info\"}' includes structured metadata, but this feature is disallowed"))
        let diagnostics = DiagnosticsCollector()
        let sink = try LokiSink(configuration: configuration(server) {
            $0.structuredMetadata = .fields(["trace_id"])
            $0.diagnostics = diagnostics.handler
        })
        let (batch, error) = write(sink, [record("a", at: 0, fields: ["trace_id": "t1"]), record("b", at: 1)])
        #expect(error == nil)
        #expect(outcomes(batch) == ["written", "written"])
        let requests = server.requests
        try #require(requests.count == 2)
        #expect(try PushDecoder.decode(requests[0]).entries.map(\.metadata) == [["trace_id": "t1"], [:]])
        let resent = try PushDecoder.decode(requests[1]).entries
        #expect(resent.map(\.line) == ["msg=a trace_id=t1", "msg=b"])
        #expect(resent.allSatisfy { $0.metadata.isEmpty })
        #expect(sink.statistics().structuredMetadataFallbacks == 1)
        #expect(diagnostics.count(.structuredMetadataRejected) == 1)
        // Later writes keep the fields in the line.
        _ = write(sink, [record("c", fields: ["trace_id": "t2"])])
        #expect(try decodedRequest(server, 2).entries.map(\.line) == ["msg=c trace_id=t2"])
    }

    @Test("without the fallback, a structured-metadata 400 fails the entries")
    func structuredMetadataWithoutFallback() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        server.script(.status(400, body: "structured metadata is disabled"))
        let sink = try LokiSink(configuration: configuration(server) {
            $0.structuredMetadata = .fields(["trace_id"])
            $0.fallBackWhenStructuredMetadataIsRejected = false
        })
        let (batch, _) = write(sink, [record("a", fields: ["trace_id": "t1"])])
        #expect(outcome(batch, 0) == "failed:Loki rejected the push (status 400): structured metadata is disabled")
    }
}
