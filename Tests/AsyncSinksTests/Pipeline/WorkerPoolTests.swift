@testable import AsyncSinks
import Foundation
import Synchronization
import Testing

/// The pool wakes no thread for work the waking thread does itself.
@Suite struct WorkerPoolTests {
    let clock = ManualClock()

    @Test func intakeTicksUnderABatchWaitWakeNoOtherThreadAndTheWaitStillFires() throws {
        let events = EventLog()
        let sink = RecordingSink()
        let pipeline = try LogPipeline(
            configuration: PipelineConfiguration(
                workerCount: 1, intakeInterval: .milliseconds(2), clock: .manual(clock), hooks: events.hooks
            ),
            sinks: [SinkRegistration("sink", sink: sink, configuration: SinkConfiguration(
                batching: BatchingPolicy(maxEntries: 1_000, maxWait: .milliseconds(100))
            ))]
        )
        let logger = pipeline.logger(label: "test")
        logger.info("m1")
        clock.advance(by: .milliseconds(2))
        #expect(pipeline.waitForDistributions(1, timeout: .seconds(10)))
        let wakeUps = pipeline.workerWakeUps
        for tick in 2...5 {
            logger.info("m\(tick)")
            clock.advance(by: .milliseconds(2))
            #expect(pipeline.waitForDistributions(tick, timeout: .seconds(10)))
        }
        // The thread keeping time ran each tick's distribution itself and set the batch's timer
        // without a job: no other thread was woken or started.
        #expect(pipeline.workerWakeUps == wakeUps)
        #expect(sink.messages.isEmpty)
        clock.advance(by: .milliseconds(100))
        #expect(events.waitUntil { $0.written.count == 1 })
        #expect(sink.messages == ["m1", "m2", "m3", "m4", "m5"])
        pipeline.close(timeout: .seconds(5))
    }

    @Test func theWorkerThatDistributesRunsTheSinkJobsInTurn() throws {
        let events = EventLog()
        // Per sink, the thread of each write.
        let writers = Mutex<[[ObjectIdentifier]]>(Array(repeating: [], count: 3))
        let sinks = (0..<3).map { index in
            RecordingSink { _, _ in
                let thread = ObjectIdentifier(Thread.current)
                writers.withLock { $0[index].append(thread) }
            }
        }
        let pipeline = try LogPipeline(
            configuration: PipelineConfiguration(
                workerCount: 2, intakeInterval: .milliseconds(2), clock: .manual(clock), hooks: events.hooks
            ),
            sinks: sinks.enumerated().map { index, sink in
                SinkRegistration("sink\(index)", sink: sink, configuration: SinkConfiguration(batching: .immediate))
            }
        )
        let logger = pipeline.logger(label: "test")
        var wakeUps = 0
        for tick in 1...5 {
            logger.info("m\(tick)")
            clock.advance(by: .milliseconds(2))
            #expect(events.waitUntil { $0.written.count == 3 * tick })
            #expect(pipeline.waitUntilWorkersQuiet(timeout: .seconds(10)))
            if tick == 1 { wakeUps = pipeline.workerWakeUps }
        }
        // Per tick, at most the thread that keeps the timers while the sinks write was woken;
        // handing the second and third sink's jobs to other threads would wake two more.
        #expect(pipeline.workerWakeUps - wakeUps <= 4)
        pipeline.close(timeout: .seconds(5))
        #expect(sinks.allSatisfy { $0.messages == ["m1", "m2", "m3", "m4", "m5"] })
        // Each tick's three writes ran on one thread: the clock passes the hand-off delay only
        // after all three were written, so no other thread could take one.
        let threads = writers.withLock { $0 }
        #expect(threads.allSatisfy { $0.count == 5 })
        for tick in 0..<5 {
            #expect(Set(threads.map { $0[tick] }).count == 1)
        }
    }

    @Test func sinksThatBlockLeaveTheTimersToAnotherThread() throws {
        let gate = Gate()
        let stuck = [RecordingSink(gate: gate), RecordingSink(gate: gate)]
        let events = EventLog()
        let other = RecordingSink()
        let pipeline = try LogPipeline(
            configuration: PipelineConfiguration(workerCount: 1, clock: .manual(clock), hooks: events.hooks),
            sinks: [
                SinkRegistration("stuck0", sink: stuck[0], configuration: SinkConfiguration(batching: .immediate)),
                SinkRegistration("stuck1", sink: stuck[1], configuration: SinkConfiguration(batching: .immediate)),
                SinkRegistration("other", sink: other, configuration: SinkConfiguration(
                    minimumLevel: .error, batching: BatchingPolicy(maxWait: .milliseconds(50))
                )),
            ]
        )
        let logger = pipeline.logger(label: "test")
        logger.info("blocks")
        clock.advance(by: .milliseconds(2))
        // The worker that distributed took the first stuck sink's job; the second waits behind it
        // until the hand-off delay has passed, then another thread takes it.
        #expect(gate.waitForArrivals(1))
        clock.advance(by: .nanoseconds(WorkerPool.handOffDelay))
        #expect(gate.waitForArrivals(2))
        // Every thread that ran so far is inside a stuck sink; the tick and the other sink's batch
        // wait still fire.
        logger.error("later")
        clock.advance(by: .milliseconds(2))
        #expect(pipeline.waitForDistributions(2, timeout: .seconds(10)))
        clock.advance(by: .milliseconds(50))
        #expect(events.waitUntil { events in events.written.contains { $0.sink == "other" } })
        #expect(other.messages == ["later"])
        gate.open()
        pipeline.close(timeout: .seconds(5))
        #expect(stuck.allSatisfy { $0.messages == ["blocks", "later"] })
    }
}
