import AsyncSinks
import Foundation
import Synchronization
import Testing

/// Flush, close, hung sinks and hooks that log.
@Suite struct LifecycleTests {
    @Test func flushReturnsWhenEverythingAcceptedIsWrittenAndFlushesTheSinks() throws {
        let events = EventLog()
        let sink = RecordingSink()
        let pipeline = try LogPipeline(
            configuration: PipelineConfiguration(hooks: events.hooks),
            sinks: [SinkRegistration("sink", sink: sink, configuration: SinkConfiguration(batching: BatchingPolicy(maxWait: .seconds(3600))))]
        )
        let logger = pipeline.logger(label: "test")
        for index in 1...100 { logger.info("m\(index)") }
        let result = pipeline.flush(timeout: .seconds(10))
        #expect(result.completed && result.pending.isEmpty)
        #expect(sink.messages.count == 100)
        #expect(sink.flushes == 1)
        #expect(events.events.flushes.map(\.completed) == [true])
        pipeline.close(timeout: .seconds(5))
    }

    @Test func flushTimesOutWhileADestinationIsDownAndSaysWhatIsPending() throws {
        let sink = RecordingSink { _, _ in throw LogSinkError.retryable("connection refused") }
        let pipeline = try LogPipeline(sinks: [SinkRegistration("down", sink: sink, configuration: SinkConfiguration(
            retry: RetryPolicy(maxAttempts: 1000, initialBackoff: .seconds(60))
        ))])
        for index in 1...5 { pipeline.submit(record("m\(index)")) }
        let result = pipeline.flush(timeout: .milliseconds(50))
        #expect(!result.completed)
        #expect(result.pending == ["down": 5])
        let report = pipeline.close(timeout: .milliseconds(50))
        #expect(!report.completedInTime)
        #expect(report.droppedAtDeadline == ["down": 5])
        #expect(report.sinks[0].dropped == [.shutdown: 5] && report.sinks[0].pending == 0 && report.sinks[0].isBalanced)
    }

    @Test func aHungSinkDelaysNeitherTheOthersNorClose() throws {
        let gate = Gate()
        let hung = RecordingSink(gate: gate)
        let healthy = RecordingSink()
        let events = EventLog()
        let pipeline = try LogPipeline(
            configuration: PipelineConfiguration(workerCount: 1, hooks: events.hooks),
            sinks: [
                SinkRegistration("hung", sink: hung, configuration: SinkConfiguration(batching: .immediate)),
                SinkRegistration("healthy", sink: healthy, configuration: SinkConfiguration(batching: .immediate)),
            ]
        )
        let baseline = pipeline.workerThreadCount
        let logger = pipeline.logger(label: "test")
        logger.info("first")
        #expect(gate.waitForArrivals(1))
        for index in 1...100 { logger.info("m\(index)") }
        #expect(events.waitUntil { events in events.written.filter { $0.sink == "healthy" }.map(\.count).reduce(0, +) == 101 })

        let start = ContinuousClock.now
        let report = pipeline.close(timeout: .milliseconds(200))
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < .seconds(2))
        #expect(!report.completedInTime)
        #expect(report.unresponsiveSinks == ["hung"])
        #expect(report.droppedAtDeadline == ["hung": 101])
        #expect(report.sinks.allSatisfy { $0.pending == 0 && $0.isBalanced })
        #expect(report.sinks[1].written == 101)

        gate.open()
        #expect(pipeline.waitForWorkerThreadsToExit(timeout: .seconds(10)))
        #expect(pipeline.workerThreadCount == 0 && baseline >= 1)
        #expect(hung.closes == 1)
        #expect(pipeline.stats(for: "hung")?.written == 0)
    }

    @Test func closeDrainsIsIdempotentDropsLaterRecordsAndStopsTheThreads() throws {
        let events = EventLog()
        let sink = RecordingSink()
        let pipeline = try LogPipeline(
            configuration: PipelineConfiguration(hooks: events.hooks),
            sinks: [SinkRegistration("sink", sink: sink, configuration: SinkConfiguration(batching: BatchingPolicy(maxWait: .seconds(3600))))]
        )
        let logger = pipeline.logger(label: "test")
        for index in 1...10 { logger.info("m\(index)") }
        let report = pipeline.close(timeout: .seconds(10))
        #expect(report.completedInTime && report.droppedAtDeadline.isEmpty && report.unresponsiveSinks.isEmpty)
        #expect(sink.messages.count == 10 && sink.closes == 1)
        logger.info("late")
        let again = pipeline.close(timeout: .seconds(10))
        #expect(again.sinks[0].written == 10)
        let stats = try #require(pipeline.stats(for: "sink"))
        #expect(stats.dropped == [.closed: 1] && stats.accepted == 11 && stats.isBalanced)
        #expect(events.events.dropped == [.closed: 1])
        #expect(pipeline.waitForWorkerThreadsToExit(timeout: .seconds(10)))
        #expect(sink.closes == 1)
    }

    @Test func aHookThatLogsIntoItsOwnPipelineNeitherDeadlocksNorRecurses() throws {
        let sink = RecordingSink()
        let hookCalls = Mutex(0)
        let holder = Mutex<LogPipeline?>(nil)
        let log: @Sendable (String) -> Void = { message in
            hookCalls.withLock { $0 += 1 }
            holder.withLock { $0 }?.logger(label: "hook").warning("\(message)")
        }
        let hooks = PipelineHooks(
            buffered: { _ in log("buffered") },
            dropped: { _ in log("dropped") },
            batchWritten: { _ in log("written") },
            flushCompleted: { _ in log("flushed") }
        )
        let pipeline = try LogPipeline(
            configuration: PipelineConfiguration(hooks: hooks),
            sinks: [SinkRegistration("sink", sink: sink, configuration: SinkConfiguration(
                queue: QueueLimits(maxRecords: 8), backpressure: .block, batching: BatchingPolicy(maxEntries: 4, maxWait: .zero)
            ))]
        )
        holder.withLock { $0 = pipeline }
        let logger = pipeline.logger(label: "app")
        for index in 1...200 { logger.info("m\(index)") }
        #expect(pipeline.flush(timeout: .seconds(10)).completed)
        #expect(pipeline.flush(timeout: .seconds(10)).completed)
        #expect(hookCalls.withLock { $0 } > 0)
        let report = pipeline.close(timeout: .seconds(10))
        #expect(pipeline.waitForWorkerThreadsToExit(timeout: .seconds(10)))
        holder.withLock { $0 = nil }
        let stats = report.sinks[0]
        #expect(stats.isBalanced && stats.pending == 0)
        #expect(sink.messages.filter { $0.hasPrefix("m") }.count == 200)
        // Every record a hook logged was delivered or dropped, and none of them triggered a hook again.
        let fromHooks = sink.messages.filter { ["buffered", "dropped", "written", "flushed"].contains($0) }.count
        #expect(fromHooks + stats.droppedTotal == hookCalls.withLock { $0 })
    }
}
