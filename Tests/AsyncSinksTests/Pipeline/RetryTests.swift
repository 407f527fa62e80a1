@testable import AsyncSinks
import Testing

/// Retries with a manual clock and a fixed random source, so the schedule is exact.
@Suite struct RetryTests {
    let clock = ManualClock()

    func pipeline(_ sink: RecordingSink, retry: RetryPolicy, events: EventLog, random: Double = 0.5) throws -> LogPipeline {
        try LogPipeline(
            configuration: PipelineConfiguration(clock: .manual(clock), hooks: events.hooks, randomUnit: { random }),
            sinks: [SinkRegistration("sink", sink: sink, configuration: SinkConfiguration(
                batching: BatchingPolicy(maxWait: .zero), retry: retry
            ))]
        )
    }

    @Test func retryableErrorsFollowTheJitteredBackoffSchedule() throws {
        let events = EventLog()
        let sink = RecordingSink(clock: .manual(clock)) { _, call in
            if call <= 3 { throw LogSinkError.retryable("unavailable") }
        }
        let policy = RetryPolicy(maxAttempts: 5, initialBackoff: .milliseconds(100), maxBackoff: .seconds(10), multiplier: 2)
        let pipeline = try pipeline(sink, retry: policy, events: events)
        pipeline.submit(record("m"))
        pipeline.distributeNow()
        var expectedDelays: [Duration] = []
        for retry in 1...3 {
            #expect(events.waitUntil { $0.retries.count == retry })
            let delay = policy.backoff(beforeRetry: retry) / 2
            expectedDelays.append(delay)
            #expect(events.events.retries.map(\.delay) == expectedDelays)
            clock.advance(by: delay - .nanoseconds(1))
            #expect(sink.calls == retry)
            clock.advance(by: .nanoseconds(1))
        }
        #expect(events.waitUntil { $0.written.count == 1 })
        #expect(events.events.retries.map(\.attempt) == [2, 3, 4])
        #expect(events.events.written[0].attempt == 4)
        #expect(sink.writes.map(\.messages) == [["m"]])
        let stats = try #require(pipeline.stats(for: "sink"))
        #expect(stats.retries == 3 && stats.written == 1 && stats.lastError == "unavailable" && stats.isBalanced)
        pipeline.close(timeout: .seconds(5))
    }

    @Test func permanentErrorsFailWithoutRetry() throws {
        let events = EventLog()
        let sink = RecordingSink { _, _ in throw LogSinkError.permanent("rejected: bad label") }
        let pipeline = try pipeline(sink, retry: .default, events: events)
        pipeline.submit(record("m"))
        pipeline.distributeNow()
        #expect(events.waitUntil { $0.failed.count == 1 })
        #expect(events.events.failed[0].error.message == "rejected: bad label")
        #expect(events.events.failed[0].attempts == 1)
        #expect(events.events.retries.isEmpty && sink.calls == 1)
        let report = pipeline.close(timeout: .seconds(5))
        #expect(report.sinks[0].failed == 1 && report.sinks[0].isBalanced)
    }

    @Test func attemptsAreBoundedAndOtherErrorsCountAsRetryable() throws {
        struct Unclassified: Error {}
        let events = EventLog()
        let sink = RecordingSink { _, _ in throw Unclassified() }
        let pipeline = try pipeline(sink, retry: RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(10), jitter: false), events: events)
        pipeline.submit(record("m"))
        pipeline.distributeNow()
        #expect(events.waitUntil { $0.retries.count == 1 })
        clock.advance(by: .milliseconds(10))
        #expect(events.waitUntil { $0.retries.count == 2 })
        clock.advance(by: .milliseconds(20))
        #expect(events.waitUntil { $0.failed.count == 1 })
        #expect(events.events.failed[0].attempts == 3 && sink.calls == 3)
        pipeline.close(timeout: .seconds(5))
    }

    @Test func retryAfterFromTheSinkSetsTheDelay() throws {
        let events = EventLog()
        let sink = RecordingSink { _, call in
            if call == 1 { throw LogSinkError.retryable("slow down", retryAfter: .seconds(7)) }
        }
        let pipeline = try pipeline(sink, retry: .default, events: events, random: 0)
        pipeline.submit(record("m"))
        pipeline.distributeNow()
        #expect(events.waitUntil { $0.retries.count == 1 })
        #expect(events.events.retries[0].delay == .seconds(7))
        clock.advance(by: .seconds(7))
        #expect(events.waitUntil { $0.written.count == 1 })
        pipeline.close(timeout: .seconds(5))
    }

    @Test func totalTimeLimitEndsRetries() throws {
        let events = EventLog()
        let sink = RecordingSink { _, _ in throw LogSinkError.retryable("down") }
        let policy = RetryPolicy(maxAttempts: 100, initialBackoff: .seconds(1), maxBackoff: .seconds(1), jitter: false, maxTotalTime: .seconds(2))
        let pipeline = try pipeline(sink, retry: policy, events: events)
        pipeline.submit(record("m"))
        pipeline.distributeNow()
        #expect(events.waitUntil { $0.retries.count == 1 })
        clock.advance(by: .seconds(1))
        #expect(events.waitUntil { $0.retries.count == 2 })
        clock.advance(by: .seconds(1))
        #expect(events.waitUntil { $0.failed.count == 1 })
        #expect(sink.calls == 3)
        pipeline.close(timeout: .seconds(5))
    }
}
