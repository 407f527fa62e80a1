import AsyncSinks
import Foundation
import SinkLoki
import Testing

@Suite("LokiSink in a LogPipeline")
struct LokiSinkPipelineTests {
    static func sinkConfiguration(batching: BatchingPolicy = BatchingPolicy(maxEntries: 100, maxWait: .milliseconds(5))) -> SinkConfiguration {
        SinkConfiguration(
            batching: batching,
            retry: RetryPolicy(maxAttempts: 5, initialBackoff: .milliseconds(5), maxBackoff: .milliseconds(20)))
    }

    @Test("every record ends written, dropped or failed, and the counters balance")
    func accountingInvariant() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        server.script(.status(503), .status(204), .status(400, body: "stream limit exceeded"))
        var loki = LokiSinkConfiguration(url: server.baseURL)
        loki.staticLabels = ["service_name": "api"]
        loki.promotedFields = ["region"]
        let sink = try LokiSink(configuration: loki)
        let pipeline = try LogPipeline(sinks: [SinkRegistration("loki", sink: sink, configuration: Self.sinkConfiguration())])
        let logger = pipeline.logger(label: "api")
        for index in 0..<500 {
            logger.info("request \(index)", ["region": index % 2 == 0 ? "eu" : "us", "seq": .int(Int64(index))])
        }
        pipeline.submit(LogRecord(
            timestamp: LogTimestamp(nanosecondsSinceEpoch: LogTimestamp.now().nanosecondsSinceEpoch - 8 * 86_400 * 1_000_000_000),
            level: .info, message: "ancient"))
        let flushed = pipeline.flush(timeout: .seconds(20))
        #expect(flushed.completed)
        let report = pipeline.close(timeout: .seconds(10))
        let stats = try #require(report.sinks.first { $0.name == "loki" })
        #expect(stats.accepted == 501)
        #expect(stats.pending == 0)
        #expect(stats.accepted == stats.written + stats.droppedTotal + stats.failed + stats.pending)
        #expect(stats.dropped[.lokiTooOld] == 1)
        #expect(stats.retries >= 1)
        #expect(stats.failed > 0)
        #expect(stats.lastError?.contains("stream limit exceeded") == true)
        // What the server stored (accepted requests) is exactly what the pipeline counts as written,
        // each stream in order.
        var stored: [String: [Int64]] = [:]
        var storedCount = 0
        for (position, request) in server.requests.enumerated() where position != 0 && position != 2 {
            for stream in try PushDecoder.decode(request).streams {
                stored[stream.labels["region"] ?? "", default: []] += stream.entries.map(\.timestamp)
                storedCount += stream.entries.count
            }
        }
        #expect(storedCount == stats.written)
        for (_, timestamps) in stored { #expect(timestamps == timestamps.sorted()) }
    }

    @Test("close returns by its deadline while Loki hangs, and the sink lets its worker go")
    func shutdownDrainWithinDeadline() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        server.script(.hang, .hang, .hang)
        var loki = LokiSinkConfiguration(url: server.baseURL)
        loki.requestTimeout = .seconds(120)
        let sink = try LokiSink(configuration: loki)
        let pipeline = try LogPipeline(sinks: [SinkRegistration("loki", sink: sink, configuration: Self.sinkConfiguration())])
        let logger = pipeline.logger(label: "api")
        for index in 0..<50 { logger.info("pending \(index)") }
        #expect(server.waitForRequests(1))
        let report = pipeline.close(timeout: .milliseconds(300))
        #expect(!report.completedInTime)
        let stats = try #require(report.sinks.first { $0.name == "loki" })
        #expect(stats.accepted == 50)
        #expect(stats.pending == 0)
        #expect(stats.dropped[.shutdown] == 50)
        #expect(stats.accepted == stats.written + stats.droppedTotal + stats.failed)
        // The hanging request was cancelled, so the worker thread is free long before the 120 s timeout.
        #expect(pipeline.waitForWorkerThreadsToExit(timeout: .seconds(10)))
    }

    @Test("a pipeline drains everything to Loki on close")
    func drainsOnClose() throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let sink = try LokiSink(configuration: LokiSinkConfiguration(url: server.baseURL))
        let pipeline = try LogPipeline(sinks: [SinkRegistration(
            "loki", sink: sink,
            configuration: Self.sinkConfiguration(batching: BatchingPolicy(maxEntries: 1000, maxWait: .seconds(30))))])
        let logger = pipeline.logger(label: "api")
        for index in 0..<200 { logger.warning("last words \(index)") }
        let report = pipeline.close(timeout: .seconds(10))
        #expect(report.completedInTime)
        #expect(report.sinks.first?.written == 200)
        let lines = try server.requests.flatMap { try PushDecoder.decode($0).entries.map(\.line) }
        #expect(lines == (0..<200).map { "msg=\"last words \($0)\" logger=api" })
    }
}
