@testable import AsyncSinks
import Testing

@Suite struct SinkStateMachineTests {
    func machine(
        maxRecords: Int = 100, maxBytes: Int = 1 << 20, backpressure: BackpressurePolicy = .dropNewest,
        batching: BatchingPolicy = BatchingPolicy(maxEntries: 10, maxBytes: 1 << 20, maxWait: .milliseconds(100)),
        retry: RetryPolicy = RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(100), jitter: false)
    ) -> SinkStateMachine {
        SinkStateMachine(
            name: "test",
            configuration: SinkConfiguration(
                queue: QueueLimits(maxRecords: maxRecords, maxBytes: maxBytes),
                backpressure: backpressure, batching: batching, retry: retry
            )
        )
    }

    func enqueue(_ machine: inout SinkStateMachine, _ messages: [String], size: Int = 10, now: Int64 = 0) -> SinkStateMachine.Tally {
        var tally = SinkStateMachine.Tally()
        for message in messages {
            machine.enqueue(record(message), size: size, fromHook: false, dropReason: nil, now: now, tally: &tally)
        }
        return tally
    }

    func writtenMessages(_ step: SinkStateMachine.Step) -> [String]? {
        if case .write(let records, _, _) = step { return records.map(\.message) }
        return nil
    }

    @Test func dropNewestKeepsTheQueueAndCountsTheRest() {
        var machine = machine(maxRecords: 3)
        let tally = enqueue(&machine, ["a", "b", "c", "d", "e"])
        #expect(tally.buffered == 3)
        #expect(tally.dropped == [.queueFull: 2])
        let stats = machine.stats()
        #expect(stats.accepted == 5 && stats.pending == 3 && stats.isBalanced)
    }

    @Test func dropOldestEvictsFromTheHead() {
        var machine = machine(maxRecords: 3, backpressure: .dropOldest)
        let tally = enqueue(&machine, ["a", "b", "c", "d", "e"])
        #expect(tally.dropped == [.evicted: 2])
        #expect(writtenMessages(machine.nextStep(now: 1_000_000_000)) == ["c", "d", "e"])
        #expect(machine.stats().isBalanced)
    }

    @Test func byteLimitAppliesLikeTheRecordLimit() {
        var machine = machine(maxBytes: 25)
        let tally = enqueue(&machine, ["a", "b", "c"], size: 10)
        #expect(tally.dropped == [.queueFull: 1])
        var oversize = SinkStateMachine.Tally()
        machine.enqueue(record("huge"), size: 26, fromHook: false, dropReason: nil, now: 0, tally: &oversize)
        #expect(oversize.dropped == [.tooLarge: 1])
    }

    @Test func blockKeepsEverythingAndReportsFull() {
        var machine = machine(maxRecords: 2, backpressure: .block)
        _ = enqueue(&machine, ["a", "b", "c"])
        let full = machine.isFull
        #expect(full)
        #expect(machine.stats().pending == 3)
    }

    @Test func batchWaitsForMaxWaitUnlessFull() {
        var machine = machine()
        _ = enqueue(&machine, ["a", "b"], now: 1_000)
        guard case .wait(let until) = machine.nextStep(now: 2_000) else {
            Issue.record("expected a wait")
            return
        }
        #expect(until == 1_000 + 100_000_000)
        #expect(writtenMessages(machine.nextStep(now: until)) == ["a", "b"])
    }

    @Test func maxEntriesCutsBatchesAndTriggersAtOnce() {
        var machine = machine(batching: BatchingPolicy(maxEntries: 3, maxWait: .seconds(60)))
        _ = enqueue(&machine, (1...7).map(String.init))
        #expect(writtenMessages(machine.nextStep(now: 0)) == ["1", "2", "3"])
        _ = machine.completeWrite(LogBatch(records: []), error: nil, duration: .zero, now: 0, unitRandom: 0)
        #expect(writtenMessages(machine.nextStep(now: 0)) == ["4", "5", "6"])
        _ = machine.completeWrite(LogBatch(records: []), error: nil, duration: .zero, now: 0, unitRandom: 0)
        if case .wait = machine.nextStep(now: 0) {} else { Issue.record("one record should wait") }
    }

    @Test func maxBytesCutsBatches() {
        var machine = machine(batching: BatchingPolicy(maxEntries: 100, maxBytes: 25, maxWait: .seconds(60)))
        _ = enqueue(&machine, ["a", "b", "c"], size: 10)
        #expect(writtenMessages(machine.nextStep(now: 0)) == ["a", "b"])
    }

    @Test func retryableFailureSchedulesTheUnmarkedRecordsWithBackoff() {
        var machine = machine()
        _ = enqueue(&machine, ["a", "b", "c"])
        guard case .write(let records, _, _) = machine.nextStep(now: 200_000_000) else {
            Issue.record("expected a write")
            return
        }
        var batch = LogBatch(records: records)
        batch.markWritten(0)
        batch.drop(1, reason: DropReason("too_old"))
        let events = machine.completeWrite(batch, error: .retryable("busy"), duration: .zero, now: 200_000_000, unitRandom: 0)
        #expect(events.count == 3)
        let stats = machine.stats()
        #expect(stats.written == 1 && stats.dropped == [DropReason("too_old"): 1] && stats.retries == 1 && stats.pending == 1)
        #expect(stats.isBalanced)
        guard case .wait(let until) = machine.nextStep(now: 200_000_001) else {
            Issue.record("expected a backoff wait")
            return
        }
        #expect(until == 300_000_000)
        guard case .write(let retried, let attempt, _) = machine.nextStep(now: until) else {
            Issue.record("expected the retry")
            return
        }
        #expect(retried.map(\.message) == ["c"] && attempt == 2)
    }

    @Test func permanentFailureAndExhaustedRetriesFail() {
        var machine = machine()
        _ = enqueue(&machine, ["a"])
        _ = machine.nextStep(now: 1_000_000_000)
        _ = machine.completeWrite(LogBatch(records: []), error: .permanent("rejected"), duration: .zero, now: 1_000_000_000, unitRandom: 0)
        #expect(machine.stats().failed == 1 && machine.stats().retries == 0)

        _ = enqueue(&machine, ["b"])
        var now: Int64 = 2_000_000_000
        for _ in 1...3 {
            guard case .write = machine.nextStep(now: now) else {
                Issue.record("expected an attempt")
                return
            }
            _ = machine.completeWrite(LogBatch(records: []), error: .retryable("down"), duration: .zero, now: now, unitRandom: 0)
            now += 1_000_000_000
        }
        let stats = machine.stats()
        #expect(stats.failed == 2 && stats.retries == 2 && stats.pending == 0 && stats.lastError == "down")
    }

    @Test func flushTargetBypassesBatchingForEarlierRecordsOnly() {
        var machine = machine(batching: BatchingPolicy(maxEntries: 100, maxWait: .seconds(60)))
        _ = enqueue(&machine, ["a", "b"])
        let flush = machine.requestFlush()
        #expect(writtenMessages(machine.nextStep(now: 0)) == ["a", "b"])
        _ = enqueue(&machine, ["c"])
        let completeBeforeWrite = machine.isFlushComplete(flush)
        #expect(!completeBeforeWrite)
        _ = machine.completeWrite(LogBatch(records: []), error: nil, duration: .zero, now: 0, unitRandom: 0)
        guard case .flushSink(let identifier) = machine.nextStep(now: 0) else {
            Issue.record("the sink should be flushed before newer records are batched")
            return
        }
        machine.completeFlush(identifier, error: nil)
        let completeAfterFlush = machine.isFlushComplete(flush)
        #expect(completeAfterFlush)
        if case .wait = machine.nextStep(now: 0) {} else { Issue.record("c should wait for its batch") }
    }

    @Test func nextWakeSaysWhenTheWorkerIsNeededWithoutTakingAStep() {
        // maxEntries 10, maxWait 100 ms.
        var machine = machine()
        #expect(machine.nextWake(now: 0) == nil)
        _ = enqueue(&machine, ["a", "b"], now: 5_000_000)
        // Waiting for the batch to fill: the batch's deadline, not a job now.
        #expect(machine.nextWake(now: 6_000_000) == 105_000_000)
        #expect(machine.nextWake(now: 105_000_000) == 105_000_000)
        #expect(machine.stats().pending == 2)
        _ = enqueue(&machine, (0..<8).map { "m\($0)" }, now: 7_000_000)
        // A full batch is due at once; asking changed nothing.
        #expect(machine.nextWake(now: 7_000_000) == 7_000_000)
        #expect(writtenMessages(machine.nextStep(now: 7_000_000))?.count == 10)
        // Busy writing: the worker looks again after the write.
        _ = enqueue(&machine, ["c"], now: 8_000_000)
        #expect(machine.nextWake(now: 8_000_000) == nil)
        _ = machine.completeWrite(LogBatch(records: []), error: .retryable("busy"), duration: .zero, now: 9_000_000, unitRandom: 0)
        // A retry waits for its backoff (100 ms).
        #expect(machine.nextWake(now: 9_000_000) == 109_000_000)
    }

    @Test func nextWakeIsNowForAFlushOrACloseAndNilWhenNothingIsLeft() {
        var machine = machine()
        _ = machine.requestFlush()
        #expect(machine.nextWake(now: 1) == 1)
        guard case .flushSink(let identifier) = machine.nextStep(now: 1) else {
            Issue.record("expected a flush")
            return
        }
        machine.completeFlush(identifier, error: nil)
        #expect(machine.nextWake(now: 2) == nil)
        machine.requestClose()
        #expect(machine.nextWake(now: 3) == 3)
        guard case .closeSink = machine.nextStep(now: 3) else {
            Issue.record("expected a close")
            return
        }
        machine.completeClose(error: nil)
        #expect(machine.nextWake(now: 4) == nil)
    }

    @Test func abandonCountsEverythingPendingAsShutdown() {
        var machine = machine()
        _ = enqueue(&machine, ["a", "b", "c"])
        _ = machine.nextStep(now: 1_000_000_000)
        let result = machine.abandon(reason: .shutdown)
        #expect(result.count == 3)
        let late = machine.completeWrite(LogBatch(records: []), error: nil, duration: .zero, now: 0, unitRandom: 0)
        #expect(late.isEmpty)
        let stats = machine.stats()
        #expect(stats.dropped == [.shutdown: 3] && stats.written == 0 && stats.pending == 0 && stats.isBalanced)
    }
}
