@testable import AsyncSinks
import Testing

/// An idle pipeline sets no timer and wakes no thread; the next record wakes it again.
@Suite struct IdleTests {
    @Test func theIntakeTickParksAfterIdleAfterAndTheNextRecordWakesIt() throws {
        let clock = ManualClock()
        let sink = RecordingSink()
        let pipeline = try LogPipeline(
            configuration: PipelineConfiguration(intakeInterval: .milliseconds(1), idleAfter: .milliseconds(3), clock: .manual(clock)),
            sinks: [SinkRegistration("sink", sink: sink, configuration: SinkConfiguration(batching: .immediate))]
        )
        pipeline.submit(record("wake"))
        #expect(!pipeline.isIdle)
        // One tick moves the record. The write ends before the next tick, whose distribution
        // destroys the settled records; a write that ended while the fourth tick was parking would
        // leave them for a later tick, which the parking tick re-arms (the clock never fires it).
        clock.advance(by: .milliseconds(1))
        #expect(pipeline.waitForDistributions(1, timeout: .seconds(10)))
        #expect(pipeline.waitUntilWorkersQuiet(timeout: .seconds(10)))
        // Three empty ticks later the tick parks.
        for tick in 2...4 {
            clock.advance(by: .milliseconds(1))
            #expect(pipeline.waitForDistributions(tick, timeout: .seconds(10)))
        }
        #expect(pipeline.flush(timeout: .seconds(10)).completed)
        #expect(sink.messages == ["wake"])
        #expect(pipeline.isIdle)

        pipeline.submit(record("again"))
        #expect(!pipeline.isIdle)
        pipeline.close(timeout: .seconds(5))
        #expect(sink.messages == ["wake", "again"])
    }
}
