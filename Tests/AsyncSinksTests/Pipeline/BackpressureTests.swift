@testable import AsyncSinks
import Foundation
import Testing

/// Each policy against a queue kept full by a sink that is stuck in its first write.
@Suite struct BackpressureTests {
    func pipeline(_ policy: BackpressurePolicy, gate: Gate, other: RecordingSink? = nil) throws -> (LogPipeline, RecordingSink) {
        let sink = RecordingSink(gate: gate)
        var sinks = [SinkRegistration("gated", sink: sink, configuration: SinkConfiguration(
            queue: QueueLimits(maxRecords: 4), backpressure: policy, batching: BatchingPolicy(maxEntries: 1, maxWait: .zero)
        ))]
        if let other { sinks.append(SinkRegistration("other", sink: other)) }
        return (try LogPipeline(sinks: sinks), sink)
    }

    /// Logs one record and waits until the sink is stuck writing it, so the queue can fill.
    func stall(_ pipeline: LogPipeline, _ gate: Gate) {
        pipeline.submit(record("first"))
        pipeline.distributeNow()
        #expect(gate.waitForArrivals(1))
    }

    @Test func dropNewestDropsWhatDoesNotFit() throws {
        let gate = Gate()
        let (pipeline, sink) = try pipeline(.dropNewest, gate: gate)
        stall(pipeline, gate)
        for index in 1...10 { pipeline.submit(record("r\(index)")) }
        pipeline.distributeNow()
        let stats = try #require(pipeline.stats(for: "gated"))
        #expect(stats.accepted == 11 && stats.dropped == [.queueFull: 6] && stats.pending == 5 && stats.isBalanced)
        gate.open()
        #expect(pipeline.flush(timeout: .seconds(10)).completed)
        #expect(sink.messages == ["first", "r1", "r2", "r3", "r4"])
        pipeline.close(timeout: .seconds(5))
    }

    @Test func dropOldestKeepsTheNewest() throws {
        let gate = Gate()
        let (pipeline, sink) = try pipeline(.dropOldest, gate: gate)
        stall(pipeline, gate)
        for index in 1...10 { pipeline.submit(record("r\(index)")) }
        pipeline.distributeNow()
        let stats = try #require(pipeline.stats(for: "gated"))
        #expect(stats.dropped == [.evicted: 6] && stats.pending == 5 && stats.isBalanced)
        gate.open()
        #expect(pipeline.flush(timeout: .seconds(10)).completed)
        #expect(sink.messages == ["first", "r7", "r8", "r9", "r10"])
        pipeline.close(timeout: .seconds(5))
    }

    @Test func blockMakesTheCallerWaitUntilThereIsRoomAndLosesNothing() throws {
        let gate = Gate()
        let (pipeline, sink) = try pipeline(.block, gate: gate)
        stall(pipeline, gate)
        for index in 1...4 { pipeline.submit(record("r\(index)")) }
        pipeline.distributeNow()
        let returned = DispatchSemaphore(value: 0)
        let caller = Thread {
            pipeline.submit(record("r5"))
            returned.signal()
        }
        caller.start()
        #expect(pipeline.waitForBlockedCallers(1, timeout: .seconds(10)))
        #expect(returned.wait(timeout: .now()) == .timedOut)
        gate.open()
        #expect(returned.wait(timeout: .now() + 10) == .success)
        #expect(pipeline.flush(timeout: .seconds(10)).completed)
        let report = pipeline.close(timeout: .seconds(5))
        #expect(sink.messages == ["first", "r1", "r2", "r3", "r4", "r5"])
        #expect(report.sinks[0].droppedTotal == 0 && report.sinks[0].isBalanced)
    }

    @Test func blockWithTimeoutDropsForThatSinkOnlyAfterTheTimeout() throws {
        let gate = Gate()
        let other = RecordingSink()
        let (pipeline, sink) = try pipeline(.block(timeout: .milliseconds(20)), gate: gate, other: other)
        stall(pipeline, gate)
        for index in 1...4 { pipeline.submit(record("r\(index)")) }
        pipeline.distributeNow()
        let start = ContinuousClock.now
        pipeline.submit(record("late"))
        #expect(ContinuousClock.now - start >= .milliseconds(20))
        gate.open()
        #expect(pipeline.flush(timeout: .seconds(10)).completed)
        let report = pipeline.close(timeout: .seconds(5))
        #expect(report.sinks[0].dropped == [.timeout: 1] && report.sinks[0].isBalanced)
        #expect(!sink.messages.contains("late"))
        #expect(other.messages.contains("late"))
    }

    @Test func closingReleasesBlockedCallersAndCountsTheirRecordsAsClosed() throws {
        let gate = Gate()
        let (pipeline, _) = try pipeline(.block, gate: gate)
        stall(pipeline, gate)
        for index in 1...4 { pipeline.submit(record("r\(index)")) }
        pipeline.distributeNow()
        let caller = Thread { pipeline.submit(record("blocked")) }
        caller.start()
        #expect(pipeline.waitForBlockedCallers(1, timeout: .seconds(10)))
        let report = pipeline.close(timeout: .milliseconds(100))
        let stats = report.sinks[0]
        #expect(stats.pending == 0 && stats.isBalanced)
        gate.open()
        #expect(pipeline.waitForWorkerThreadsToExit(timeout: .seconds(10)))
        let final = try #require(pipeline.stats(for: "gated"))
        #expect(final.accepted == 6 && final.dropped[.closed] == 1 && final.isBalanced)
    }
}
