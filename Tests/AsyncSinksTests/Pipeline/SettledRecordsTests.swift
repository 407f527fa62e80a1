@testable import AsyncSinks
import Testing

/// Written records are destroyed off the sink's worker, and never kept once the pipeline is idle.
@Suite struct SettledRecordsTests {
    /// An error whose release the tests can watch.
    final class TrackedError: Error {}

    func pipeline(clock: ManualClock, sink: RecordingSink) throws -> LogPipeline {
        try LogPipeline(
            configuration: PipelineConfiguration(intakeInterval: .milliseconds(1), idleAfter: .milliseconds(3), clock: .manual(clock)),
            sinks: [SinkRegistration("sink", sink: sink, configuration: SinkConfiguration(batching: .immediate))]
        )
    }

    /// Submits a record that holds an error, and returns a weak reference to the error.
    func submitTracked(_ pipeline: LogPipeline) -> () -> TrackedError? {
        let error = TrackedError()
        pipeline.submit(LogRecord(timestamp: LogTimestamp(nanosecondsSinceEpoch: 1), level: .error, message: "tracked", error: error))
        return { [weak error] in error }
    }

    @Test func theNextDistributionDestroysWrittenRecords() throws {
        let clock = ManualClock()
        let sink = RecordingSink()
        let pipeline = try pipeline(clock: clock, sink: sink)
        let tracked = submitTracked(pipeline)
        clock.advance(by: .milliseconds(1))
        #expect(pipeline.waitForDistributions(1, timeout: .seconds(10)))
        #expect(pipeline.flush(timeout: .seconds(10)).completed)
        #expect(sink.messages == ["tracked"])
        clock.advance(by: .milliseconds(1))
        #expect(pipeline.waitForDistributions(2, timeout: .seconds(10)))
        #expect(tracked() == nil)
        pipeline.close(timeout: .seconds(5))
    }

    @Test func aWriteThatEndsAfterThePipelineParkedDestroysItsRecords() throws {
        let clock = ManualClock()
        let gate = Gate()
        let sink = RecordingSink(gate: gate)
        let pipeline = try pipeline(clock: clock, sink: sink)
        let tracked = submitTracked(pipeline)
        clock.advance(by: .milliseconds(1))
        #expect(pipeline.waitForDistributions(1, timeout: .seconds(10)))
        #expect(gate.waitForArrivals(1))
        // Three empty ticks park the intake tick while the sink still writes.
        for tick in 2...4 {
            clock.advance(by: .milliseconds(1))
            #expect(pipeline.waitForDistributions(tick, timeout: .seconds(10)))
        }
        #expect(pipeline.isIdle)
        #expect(tracked() != nil)
        gate.open()
        #expect(pipeline.waitUntilWorkersQuiet(timeout: .seconds(10)))
        #expect(sink.messages == ["tracked"])
        #expect(tracked() == nil)
        #expect(pipeline.isIdle)
        pipeline.close(timeout: .seconds(5))
    }
}
