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
        var distributions = 0
        // One tick moves the record; three empty ticks later the tick parks.
        for _ in 0..<4 {
            clock.advance(by: .milliseconds(1))
            distributions += 1
            #expect(pipeline.waitForDistributions(distributions, timeout: .seconds(10)))
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
