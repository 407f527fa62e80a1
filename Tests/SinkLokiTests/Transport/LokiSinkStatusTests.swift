@testable import AsyncSinks
import Foundation
import SinkLoki
import Testing

@Suite("LokiSink status handling")
struct LokiSinkStatusTests {
    static let three = [record("a", at: 0), record("b", at: 1), record("c", at: 2)]

    @Test("204 and 200 mark every record written")
    func accepted() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        server.script(.status(204), .status(200, body: "ok"))
        let sink = try LokiSink(configuration: configuration(server))
        for _ in 0..<2 {
            let (batch, error) = write(sink, Self.three)
            #expect(error == nil)
            #expect(outcomes(batch) == ["written", "written", "written"])
        }
    }

    @Test("260 drops the entries as discarded by the server")
    func discardedByServer() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        server.script(.status(260))
        let diagnostics = DiagnosticsCollector()
        let sink = try LokiSink(configuration: configuration(server) { $0.diagnostics = diagnostics.handler })
        let (batch, error) = write(sink, Self.three)
        #expect(error == nil)
        #expect(outcomes(batch) == Array(repeating: "dropped:server_discarded", count: 3))
        #expect(sink.statistics().dropped[.lokiServerDiscarded] == 3)
        #expect(diagnostics.count(.serverDiscarded) == 1)
    }

    @Test("400 fails the entries with Loki's own message and is not retried")
    func badRequest() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        server.script(.status(400, body: "entry for stream '{app=\"x\"}' has timestamp too old"))
        let sink = try LokiSink(configuration: configuration(server))
        let (batch, error) = write(sink, Self.three)
        #expect(error == nil)
        for index in 0..<3 {
            #expect(outcome(batch, index) == "failed:Loki rejected the push (status 400): entry for stream '{app=\"x\"}' has timestamp too old")
        }
        #expect(server.requests.count == 1)
    }

    @Test("401, 403, 404 and 501 fail the entries loudly", arguments: [401, 403, 404, 501])
    func authAndURLProblems(status: Int) throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        server.script(.status(status, body: "no org id"))
        let diagnostics = DiagnosticsCollector()
        let sink = try LokiSink(configuration: configuration(server) { $0.diagnostics = diagnostics.handler })
        let (batch, error) = write(sink, Self.three)
        #expect(error == nil)
        #expect(outcomes(batch).allSatisfy { $0 == "failed:Loki rejected the push (status \(status)): no org id" })
        #expect(diagnostics.all.contains { $0.kind == .rejected && $0.statusCode == status })
        #expect(sink.statistics().rejectedRequests == 1)
    }

    @Test("413 splits the request in halves recursively and delivers every entry")
    func payloadTooLarge() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        // 4 entries: whole (413) -> [0,1] (413) -> [0] ok, [1] ok -> [2,3] ok
        server.script(.status(413), .status(413), .status(204), .status(204), .status(204))
        let sink = try LokiSink(configuration: configuration(server))
        let records = (0..<4).map { record("entry \($0)", at: Int64($0)) }
        let (batch, error) = write(sink, records)
        #expect(error == nil)
        #expect(outcomes(batch) == Array(repeating: "written", count: 4))
        let requests = server.requests
        let counts = try requests.map { try PushDecoder.decode($0).entries.count }
        try #require(counts == [4, 2, 1, 1, 2])
        let delivered = try requests[2...].flatMap { try PushDecoder.decode($0).entries.map(\.line) }
        #expect(delivered == records.map { "msg=\"\($0.message)\"" })
        #expect(sink.statistics().splits == 2)
    }

    @Test("a single entry still refused with 413 fails")
    func singleEntryTooLarge() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        server.script(.status(413))
        let sink = try LokiSink(configuration: configuration(server))
        let (batch, error) = write(sink, [record("big")])
        #expect(error == nil)
        #expect(outcome(batch, 0).hasPrefix("failed:Loki refused a single entry as too large"))
    }

    @Test("429 above the burst size is split instead of retried")
    func rateLimitedAboveBurst() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        server.script(.status(429))
        let sink = try LokiSink(configuration: configuration(server) { $0.serverBurstBytes = 40 })
        let (batch, error) = write(sink, Self.three)
        #expect(error == nil)
        #expect(outcomes(batch) == ["written", "written", "written"])
        #expect(server.requests.count == 3)
    }

    @Test("429 with Retry-After in seconds is retried after that delay")
    func retryAfterSeconds() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        server.script(.status(429, body: "ingestion rate limit exceeded", headers: [("Retry-After", "7")]))
        let sink = try LokiSink(configuration: configuration(server))
        let (batch, error) = write(sink, Self.three)
        let thrown = try #require(error)
        #expect(thrown.kind == .retryable)
        #expect(thrown.retryAfter == .seconds(7))
        #expect(thrown.message.contains("status 429: ingestion rate limit exceeded"))
        #expect(outcomes(batch) == ["unmarked", "unmarked", "unmarked"])
    }

    @Test("429 with Retry-After as an HTTP date is turned into a delay from the clock")
    func retryAfterDate() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        // testNow is Thu, 01 Jan 2026 00:00:00 GMT.
        server.script(.status(429, headers: [("Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT")]))
        let sink = try LokiSink(configuration: configuration(server))
        let (_, error) = write(sink, Self.three)
        #expect(error?.kind == .retryable)
        #expect(error?.retryAfter == .seconds(30))
    }

    @Test("5xx is retried, then the identical body is resent and delivered", arguments: [500, 502, 503, 504])
    func serverErrorsRetryWithIdenticalBody(status: Int) throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        server.script(.status(status, body: "upstream trouble"))
        let sink = try LokiSink(configuration: configuration(server) { $0.promotedFields = ["k"] })
        let records = (0..<20).map { record("entry \($0)", at: Int64($0), fields: ["k": .int(Int64($0 % 3))]) }
        let first = write(sink, records)
        #expect(first.error?.kind == .retryable)
        #expect(first.error?.message.contains("status \(status)") == true)
        let retry = write(sink, unmarkedRecords(first.batch), attempt: 2)
        #expect(retry.error == nil)
        #expect(outcomes(retry.batch).allSatisfy { $0 == "written" })
        let requests = server.requests
        try #require(requests.count == 2)
        #expect(requests[0].body == requests[1].body)
        #expect(sink.statistics().reusedBodies == 1)
        #expect(sink.statistics().retryableFailures == 1)
    }

    @Test("after a retryable failure the shard stops: earlier requests stay written, later ones are not sent")
    func partialDelivery() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        server.script(.status(204), .status(503))
        let sink = try LokiSink(configuration: configuration(server) { $0.maxRequestBytes = 1024 })
        let records = (0..<60).map { record("entry \($0) " + String(repeating: "y", count: 40), at: Int64($0)) }
        let (batch, error) = write(sink, records)
        #expect(error?.kind == .retryable)
        #expect(server.requests.count == 2)
        let delivered = try decodedRequest(server, 0).entries.count
        let states = outcomes(batch)
        #expect(states.prefix(delivered).allSatisfy { $0 == "written" })
        #expect(states.dropFirst(delivered).allSatisfy { $0 == "unmarked" })
        // The retry sends the failed request's body byte for byte first.
        let retry = write(sink, unmarkedRecords(batch), attempt: 2)
        #expect(retry.error == nil)
        #expect(try server.request(2).body == server.request(1).body)
    }

    @Test("a dropped connection is retryable")
    func connectionDrop() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        server.script(.dropConnection)
        let sink = try LokiSink(configuration: configuration(server))
        let (batch, error) = write(sink, Self.three)
        #expect(error?.kind == .retryable)
        #expect(outcomes(batch) == ["unmarked", "unmarked", "unmarked"])
        let retry = write(sink, unmarkedRecords(batch), attempt: 2)
        #expect(retry.error == nil)
    }

    @Test("a request without an answer times out and is retryable")
    func timeout() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        server.script(.hang)
        let sink = try LokiSink(configuration: configuration(server) { $0.requestTimeout = .milliseconds(300) })
        let (batch, error) = write(sink, Self.three)
        #expect(error?.kind == .retryable)
        #expect(error?.message.contains("timeout") == true)
        #expect(outcomes(batch) == ["unmarked", "unmarked", "unmarked"])
    }

    @Test("a connection refused is retryable")
    func connectionRefused() throws {
        let server = try TestLokiServer()
        let url = server.baseURL
        server.stop()
        let sink = try LokiSink(configuration: {
            var configuration = LokiSinkConfiguration(url: url)
            configuration.clock = .manual(ManualClock(wallTime: testNow))
            return configuration
        }())
        let (_, error) = write(sink, Self.three)
        #expect(error?.kind == .retryable)
        #expect(error?.message.contains("network error") == true)
    }

    @Test("cancellation aborts a hanging request")
    func cancellation() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        server.script(.hang)
        let sink = try LokiSink(configuration: configuration(server) { $0.requestTimeout = .seconds(60) })
        let signal = CancellationSignal()
        var batch = LogBatch(records: Self.three, cancellation: signal)
        server.waitForRequestsThenRun(1) { signal.cancel() }
        #expect(throws: LogSinkError.self) { try sink.write(&batch) }
        #expect(!batch.isMarked(0))
    }
}

extension TestLokiServer {
    /// Runs `action` on a thread once `count` requests arrived.
    func waitForRequestsThenRun(_ count: Int, _ action: @escaping @Sendable () -> Void) {
        Thread { [self] in
            waitForRequests(count)
            action()
        }.start()
    }
}
