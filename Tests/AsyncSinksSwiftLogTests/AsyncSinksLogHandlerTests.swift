#if SwiftLog
import AsyncSinks
import AsyncSinksSwiftLog
import Logging
import Testing

private struct CardDeclined: Error {}

private enum RequestContext {
    @TaskLocal static var traceID: String?
}

@Suite("AsyncSinksLogHandler")
struct AsyncSinksLogHandlerTests {
    /// A pipeline with one collecting sink per level given.
    private func makePipeline(
        levels: [LogLevel] = [.trace], clock: PipelineClock = .system
    ) throws -> (LogPipeline, [CollectingSink]) {
        let sinks = levels.map { _ in CollectingSink() }
        let registrations = zip(levels, sinks).enumerated().map { index, pair in
            SinkRegistration("sink\(index)", sink: pair.1, configuration: SinkConfiguration(minimumLevel: pair.0))
        }
        let pipeline = try LogPipeline(configuration: PipelineConfiguration(clock: clock), sinks: registrations)
        return (pipeline, sinks)
    }

    private func drain(_ pipeline: LogPipeline) {
        let report = pipeline.close(timeout: .seconds(30))
        #expect(report.completedInTime)
    }

    @Test("Metadata merges handler < provider < call, with nested values flattened by dots")
    func metadataMergeOrderAndFlattening() throws {
        let (pipeline, sinks) = try makePipeline()
        let provider = Logging.Logger.MetadataProvider {
            ["from": "provider", "trace_id": "t-1", "shared": "provider"]
        }
        var logger = Logging.Logger(label: "api") { label in
            AsyncSinksLogHandler(label: label, pipeline: pipeline, metadataProvider: provider)
        }
        logger[metadataKey: "from"] = "handler"
        logger[metadataKey: "service"] = "billing"
        logger[metadataKey: "shared"] = ["nested": "handler"]
        logger.info(
            "charged",
            metadata: [
                "shared": "call",
                "http": ["status": .stringConvertible(200), "method": "POST"],
                "ids": ["a", "b"],
                "ratio": .stringConvertible(0.5),
                "cached": .stringConvertible(true),
            ]
        )
        drain(pipeline)
        let record = try #require(sinks[0].records.first)
        #expect(record.message == "charged")
        #expect(record.label == "api")
        let fields = Set(record.renderedFields)
        #expect(fields == [
            "from=\"provider\"", "service=\"billing\"", "trace_id=\"t-1\"", "shared=\"call\"",
            "http.method=\"POST\"", "http.status=200", "ids.0=\"a\"", "ids.1=\"b\"", "ratio=0.5", "cached=true",
        ])
        #expect(record.renderedFields.count == fields.count)
    }

    @Test("Handler metadata alone is flattened once and carried by every record")
    func handlerMetadataOnly() throws {
        let (pipeline, sinks) = try makePipeline()
        var logger = Logging.Logger(label: "db") { label in
            AsyncSinksLogHandler(label: label, pipeline: pipeline, metadataProvider: nil)
        }
        logger[metadataKey: "pool"] = ["size": .stringConvertible(8)]
        logger.notice("first")
        logger.notice("second", metadata: ["query": "select"])
        drain(pipeline)
        let records = sinks[0].records
        #expect(records.map(\.message) == ["first", "second"])
        #expect(records[0].renderedFields == ["pool.size=8"])
        #expect(records[1].renderedFields == ["pool.size=8", "query=\"select\""])
    }

    @Test("The error passed to the logging call is kept on the record")
    func errorIsKept() throws {
        let (pipeline, sinks) = try makePipeline()
        let logger = Logging.Logger(label: "payments") { AsyncSinksLogHandler(label: $0, pipeline: pipeline) }
        logger.error("charge failed", error: CardDeclined())
        drain(pipeline)
        let record = try #require(sinks[0].records.first)
        #expect(record.level == .error)
        #expect(record.error is CardDeclined)
    }

    @Test("The metadata provider runs on the caller's task and sees its task-local values")
    func providerSeesTaskLocals() async throws {
        let (pipeline, sinks) = try makePipeline()
        let provider = Logging.Logger.MetadataProvider {
            RequestContext.traceID.map { ["trace_id": .string($0)] } ?? [:]
        }
        let logger = Logging.Logger(label: "api") {
            AsyncSinksLogHandler(label: $0, pipeline: pipeline, metadataProvider: provider)
        }
        RequestContext.$traceID.withValue("abc123") {
            logger.info("inside")
        }
        logger.info("outside")
        drain(pipeline)
        let records = sinks[0].records
        #expect(records.map(\.message) == ["inside", "outside"])
        #expect(records[0].renderedFields == ["trace_id=\"abc123\""])
        #expect(records[1].renderedFields.isEmpty)
    }

    @Test("The timestamp is taken when the call is made, not when the record is written")
    func timestampIsTakenAtTheCall() throws {
        let clock = ManualClock()
        let (pipeline, sinks) = try makePipeline(clock: .manual(clock))
        let logger = Logging.Logger(label: "api") { AsyncSinksLogHandler(label: $0, pipeline: pipeline) }
        let callTime = clock.wallTime
        logger.info("stamped")
        clock.advance(by: .seconds(60))
        drain(pipeline)
        let record = try #require(sinks[0].records.first)
        #expect(record.timestamp == callTime)
    }

    @Test("Levels map one to one in both directions")
    func levelMapping() {
        let pairs: [(Logging.Logger.Level, LogLevel)] = [
            (.trace, .trace), (.debug, .debug), (.info, .info), (.notice, .notice),
            (.warning, .warning), (.error, .error), (.critical, .critical),
        ]
        for (swiftLogLevel, level) in pairs {
            #expect(LogLevel(swiftLogLevel) == level)
            #expect(level.swiftLogLevel == swiftLogLevel)
        }
    }

    @Test("The default level is the lowest any sink accepts, and each sink keeps its own level")
    func perSinkLevels() throws {
        let (pipeline, sinks) = try makePipeline(levels: [.info, .warning])
        let handler = AsyncSinksLogHandler(label: "api", pipeline: pipeline)
        #expect(handler.logLevel == .info)
        let logger = Logging.Logger(label: "api") { _ in handler }
        logger.debug("debug")
        logger.info("info")
        logger.warning("warning")
        logger.critical("critical")
        drain(pipeline)
        #expect(sinks[0].records.map(\.message) == ["info", "warning", "critical"])
        #expect(sinks[1].records.map(\.message) == ["warning", "critical"])
        let stats = pipeline.stats()
        #expect(stats.map(\.accepted) == [3, 2])
        #expect(stats.map(\.written) == [3, 2])
    }

    @Test("An explicit level overrides the sinks' lowest level")
    func explicitLevel() throws {
        let (pipeline, _) = try makePipeline(levels: [.debug])
        let handler = AsyncSinksLogHandler(label: "api", pipeline: pipeline, logLevel: .error)
        #expect(handler.logLevel == .error)
        drain(pipeline)
    }

    @Test("Level and metadata are values: changing a copy leaves the original alone")
    func valueSemantics() throws {
        let (pipeline, sinks) = try makePipeline()
        var original = Logging.Logger(label: "api") {
            AsyncSinksLogHandler(label: $0, pipeline: pipeline, metadataProvider: nil)
        }
        original[metadataKey: "who"] = "original"
        original.logLevel = .info
        var copy = original
        copy[metadataKey: "who"] = "copy"
        copy.logLevel = .error
        #expect(original[metadataKey: "who"] == "original")
        #expect(original.logLevel == .info)
        original.info("from original")
        copy.info("from copy, filtered out")
        copy.error("from copy")
        drain(pipeline)
        let records = sinks[0].records
        #expect(records.map(\.message) == ["from original", "from copy"])
        #expect(records.map(\.renderedFields) == [["who=\"original\""], ["who=\"copy\""]])
    }
}
#endif
