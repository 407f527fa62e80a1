@testable import AsyncSinks
import Synchronization
import Testing

/// Each batching trigger, with a manual clock so that time moves only when the test says.
@Suite struct BatchingTests {
    let clock = ManualClock()
    let tick = Duration.milliseconds(2)

    func pipeline(_ batching: BatchingPolicy, events: EventLog) throws -> (LogPipeline, RecordingSink) {
        let sink = RecordingSink(clock: .manual(clock))
        let pipeline = try LogPipeline(
            configuration: PipelineConfiguration(intakeInterval: tick, clock: .manual(clock), hooks: events.hooks),
            sinks: [SinkRegistration("sink", sink: sink, configuration: SinkConfiguration(batching: batching))]
        )
        return (pipeline, sink)
    }

    @Test func maxEntriesWritesFullBatchesAtOnceAndTheRestAfterMaxWait() throws {
        let events = EventLog()
        let (pipeline, sink) = try pipeline(BatchingPolicy(maxEntries: 5, maxWait: .seconds(1)), events: events)
        let logger = pipeline.logger(label: "test")
        for index in 1...12 { logger.info("m\(index)") }
        clock.advance(by: tick)
        #expect(events.waitUntil { $0.written.count == 2 })
        #expect(sink.writes.map(\.messages.count) == [5, 5])
        #expect(sink.writes.allSatisfy { $0.at == tick.nanoseconds })
        clock.advance(by: .seconds(1))
        #expect(events.waitUntil { $0.written.count == 3 })
        #expect(sink.writes.map(\.messages.count) == [5, 5, 2])
        #expect(sink.writes[2].at >= (tick + .seconds(1)).nanoseconds)
        pipeline.close(timeout: .seconds(5))
    }

    @Test func maxBytesCutsBatchesByEstimatedSize() throws {
        let events = EventLog()
        let size = record("0123456789").estimatedSize
        let (pipeline, sink) = try pipeline(BatchingPolicy(maxEntries: 100, maxBytes: size * 3, maxWait: .seconds(1)), events: events)
        for _ in 1...7 { pipeline.submit(record("0123456789")) }
        clock.advance(by: tick)
        #expect(events.waitUntil { $0.written.count == 2 })
        #expect(sink.writes.map(\.messages.count) == [3, 3])
        #expect(events.events.written.map(\.bytes) == [size * 3, size * 3])
        pipeline.close(timeout: .seconds(5))
        #expect(sink.writes.map(\.messages.count) == [3, 3, 1])
    }

    @Test func maxWaitWritesAPartialBatchOnlyOnceItIsDue() throws {
        let events = EventLog()
        let (pipeline, sink) = try pipeline(BatchingPolicy(maxEntries: 100, maxWait: .milliseconds(500)), events: events)
        for index in 1...3 { pipeline.submit(record("m\(index)")) }
        clock.advance(by: tick)
        #expect(events.waitUntil { $0.buffered == 3 })
        clock.advance(by: .milliseconds(499))
        clock.advance(by: .milliseconds(1))
        #expect(events.waitUntil { $0.written.count == 1 })
        #expect(sink.writes.count == 1)
        #expect(sink.writes[0].messages == ["m1", "m2", "m3"])
        #expect(sink.writes[0].at >= (tick + .milliseconds(500)).nanoseconds)
        pipeline.close(timeout: .seconds(5))
    }

    @Test func levelAndFilterDecideWhatASinkAccepts() throws {
        let errors = RecordingSink()
        let everything = RecordingSink()
        let pipeline = try LogPipeline(sinks: [
            SinkRegistration("errors", sink: errors, configuration: SinkConfiguration(
                minimumLevel: .error, filter: { !$0.message.hasPrefix("ignored") }
            )),
            SinkRegistration("everything", sink: everything),
        ])
        let logger = pipeline.logger(label: "test")
        logger.debug("d")
        logger.error("e")
        logger.error("ignored e")
        logger.critical("c")
        let report = pipeline.close(timeout: .seconds(5))
        #expect(errors.messages == ["e", "c"])
        #expect(everything.messages == ["d", "e", "ignored e", "c"])
        #expect(report.sinks[0].accepted == 2 && report.sinks[1].accepted == 4)
    }

    @Test func callsBelowTheLevelEvaluateNothing() throws {
        let pipeline = try LogPipeline(sinks: [
            SinkRegistration("warnings", sink: RecordingSink(), configuration: SinkConfiguration(minimumLevel: .warning)),
        ])
        var logger = pipeline.logger(label: "test")
        let evaluated = Mutex(0)
        func expensive() -> String {
            evaluated.withLock { $0 += 1 }
            return "expensive"
        }
        func expensiveFields() -> LogFields {
            evaluated.withLock { $0 += 1 }
            return ["k": "v"]
        }
        logger.info(expensive(), expensiveFields())
        logger.logLevel = .error
        logger.warning(expensive(), expensiveFields())
        #expect(evaluated.withLock { $0 } == 0)
        logger.error(expensive(), expensiveFields())
        #expect(evaluated.withLock { $0 } == 2)
        pipeline.close(timeout: .seconds(5))
    }
}
