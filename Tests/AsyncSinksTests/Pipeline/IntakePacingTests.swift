@testable import AsyncSinks
import Testing

/// The intake tick's interval, chosen from the rate of records without any thread.
@Suite struct IntakePacingTests {
    let longest: Int64 = 2_000_000
    let shortest: Int64 = 250_000

    /// Pacing that started over at `start`, as after the pipeline was idle.
    func restartedPacing(at start: Int64) -> IntakePacing {
        var pacing = IntakePacing(longest: longest, shortest: shortest)
        pacing.restart(at: start)
        return pacing
    }

    @Test func startsAtTheLongestInterval() {
        let pacing = IntakePacing(longest: longest, shortest: shortest)
        #expect(pacing.interval == longest)
    }

    @Test func aTrickleOfRecordsKeepsTheLongestInterval() {
        var pacing = restartedPacing(at: 0)
        pacing.distributed(10, at: longest)
        #expect(pacing.interval == longest)
        // Exactly the target per longest interval is not yet load.
        pacing.distributed(IntakePacing.targetRecords, at: 2 * longest)
        #expect(pacing.interval == longest)
    }

    @Test func underLoadOneDistributionMovesAboutTheTargetRecords() {
        var pacing = restartedPacing(at: 1_000)
        // 512 records in 2 ms: 128 of them arrive in 500 µs.
        pacing.distributed(512, at: 1_000 + longest)
        #expect(pacing.interval == 500_000)
        // The next distribution, 500 µs later, moved 256: the rate doubled.
        pacing.distributed(256, at: 1_000 + longest + 500_000)
        #expect(pacing.interval == 250_000)
        // The load falls back to a trickle.
        pacing.distributed(10, at: 1_000 + longest + 750_000)
        #expect(pacing.interval == longest)
    }

    @Test func heavyLoadStopsAtTheShortestInterval() {
        var pacing = restartedPacing(at: 0)
        pacing.distributed(100_000, at: longest)
        #expect(pacing.interval == shortest)
    }

    @Test func anEmptyDistributionReturnsToTheLongestInterval() {
        var pacing = restartedPacing(at: 0)
        pacing.distributed(4_096, at: longest)
        #expect(pacing.interval == shortest)
        pacing.distributed(0, at: longest + shortest)
        #expect(pacing.interval == longest)
    }

    @Test func restartForgetsTheRate() {
        var pacing = restartedPacing(at: 0)
        pacing.distributed(4_096, at: longest)
        #expect(pacing.interval == shortest)
        pacing.restart(at: 10 * longest)
        #expect(pacing.interval == longest)
        // The rate is measured from the restart, not from the last distribution before it.
        pacing.distributed(512, at: 11 * longest)
        #expect(pacing.interval == 500_000)
    }

    @Test func aTimeWithoutProgressOrAnOverflowingSpanKeepsTheLongestInterval() {
        var pacing = restartedPacing(at: 5_000)
        pacing.distributed(1_000, at: 5_000)
        #expect(pacing.interval == longest)
        pacing.restart(at: 0)
        pacing.distributed(1_000, at: .max)
        #expect(pacing.interval == longest)
    }

    @Test func theShortestIntervalIsClampedToTheLongest() {
        let pacing = IntakePacing(longest: 1_000, shortest: 5_000)
        #expect(pacing.shortest == 1_000)
        var fixed = pacing
        fixed.restart(at: 0)
        fixed.distributed(100_000, at: 1_000)
        #expect(fixed.interval == 1_000)
    }
}

/// The pipeline's intake tick, paced by the records each distribution moves.
@Suite struct IntakeTickPacingTests {
    let clock = ManualClock()

    func pipeline(minimumIntakeInterval: Duration) throws -> (LogPipeline, RecordingSink) {
        let sink = RecordingSink()
        let pipeline = try LogPipeline(
            configuration: PipelineConfiguration(
                intakeInterval: .milliseconds(2), minimumIntakeInterval: minimumIntakeInterval, clock: .manual(clock)
            ),
            sinks: [SinkRegistration("sink", sink: sink)]
        )
        return (pipeline, sink)
    }

    @Test func underLoadTheNextTickComesSoonerAndATrickleRestoresTheInterval() throws {
        let (pipeline, sink) = try pipeline(minimumIntakeInterval: .microseconds(250))
        let logger = pipeline.logger(label: "test")
        for index in 0..<512 { logger.info("m\(index)") }
        #expect(pipeline.nextIntakeTick == 2_000_000)
        clock.advance(by: .milliseconds(2))
        #expect(pipeline.waitForDistributions(1, timeout: .seconds(10)))
        // 512 records in 2 ms: the next tick moves about 128, 500 µs later.
        #expect(pipeline.nextIntakeTick == 2_500_000)
        logger.info("one more")
        clock.advance(by: .microseconds(500))
        #expect(pipeline.waitForDistributions(2, timeout: .seconds(10)))
        #expect(pipeline.nextIntakeTick == 4_500_000)
        #expect(pipeline.flush(timeout: .seconds(10)).completed)
        #expect(sink.messages.count == 513)
        pipeline.close(timeout: .seconds(5))
    }

    @Test func aMinimumEqualToTheIntervalKeepsTheTickFixed() throws {
        let (pipeline, sink) = try pipeline(minimumIntakeInterval: .milliseconds(2))
        let logger = pipeline.logger(label: "test")
        for index in 0..<1_024 { logger.info("m\(index)") }
        clock.advance(by: .milliseconds(2))
        #expect(pipeline.waitForDistributions(1, timeout: .seconds(10)))
        #expect(pipeline.nextIntakeTick == 4_000_000)
        pipeline.close(timeout: .seconds(5))
        #expect(sink.messages.count == 1_024)
    }
}
