import AsyncSinks
import Foundation
import Synchronization

/// A sink that keeps what it is given and can be scripted to fail, stall or hang.
final class RecordingSink: LogSink {
    struct Write {
        var messages: [String]
        var attempt: Int
        var at: Int64
    }

    /// Decides what a write does: return normally, throw, or mark records.
    typealias Behaviour = @Sendable (_ batch: inout LogBatch, _ call: Int) throws -> Void

    private let state = Mutex<(writes: [Write], calls: Int, flushes: Int, closes: Int)>(([], 0, 0, 0))
    private let behaviour: Behaviour?
    private let clock: PipelineClock
    let gate: Gate?

    init(clock: PipelineClock = .system, gate: Gate? = nil, behaviour: Behaviour? = nil) {
        self.clock = clock
        self.gate = gate
        self.behaviour = behaviour
    }

    func write(_ batch: inout LogBatch) throws {
        gate?.pass()
        let call = state.withLock { state -> Int in
            state.calls += 1
            return state.calls
        }
        try behaviour?(&batch, call)
        var delivered: [String] = []
        for (index, record) in batch.records.enumerated() where !batch.isMarked(index) {
            delivered.append(record.message)
        }
        let write = Write(messages: delivered, attempt: batch.attempt, at: clock.monotonicNanoseconds())
        state.withLock { $0.writes.append(write) }
    }

    func flush() throws {
        state.withLock { $0.flushes += 1 }
    }

    func close() throws {
        state.withLock { $0.closes += 1 }
    }

    var writes: [Write] { state.withLock { $0.writes } }
    var messages: [String] { writes.flatMap(\.messages) }
    var calls: Int { state.withLock { $0.calls } }
    var flushes: Int { state.withLock { $0.flushes } }
    var closes: Int { state.withLock { $0.closes } }
}

/// A barrier a sink's write waits at until the test opens it; tells the test when a write arrived.
final class Gate: Sendable {
    private let condition = NSCondition()
    private let state = Mutex<(open: Bool, arrived: Int)>((false, 0))

    init(open: Bool = false) {
        state.withLock { $0.open = open }
    }

    func pass() {
        condition.lock()
        state.withLock { $0.arrived += 1 }
        condition.broadcast()
        while !state.withLock({ $0.open }) { condition.wait() }
        condition.unlock()
    }

    func open() {
        condition.lock()
        state.withLock { $0.open = true }
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until `count` writes arrived at the gate (at most 10 s).
    @discardableResult
    func waitForArrivals(_ count: Int) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        condition.lock()
        defer { condition.unlock() }
        while state.withLock({ $0.arrived }) < count {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }
}

/// Hooks that record every event and let a test wait for a condition to become true as events arrive.
final class EventLog: Sendable {
    private let condition = NSCondition()
    private let state = Mutex<Events>(Events())

    struct Events {
        var buffered = 0
        var dropped: [DropReason: Int] = [:]
        var written: [BatchWrittenEvent] = []
        var failed: [BatchFailedEvent] = []
        var retries: [RetryScheduledEvent] = []
        var flushes: [FlushCompletedEvent] = []
    }

    var hooks: PipelineHooks {
        PipelineHooks(
            buffered: { event in self.record { $0.buffered += event.count } },
            dropped: { event in self.record { $0.dropped[event.reason, default: 0] += event.count } },
            batchWritten: { event in self.record { $0.written.append(event) } },
            batchFailed: { event in self.record { $0.failed.append(event) } },
            retryScheduled: { event in self.record { $0.retries.append(event) } },
            flushCompleted: { event in self.record { $0.flushes.append(event) } }
        )
    }

    var events: Events { state.withLock { $0 } }

    private func record(_ change: (inout Events) -> Void) {
        condition.lock()
        state.withLock { change(&$0) }
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until `predicate` holds, re-checking whenever an event arrives (at most 10 s).
    @discardableResult
    func waitUntil(_ predicate: (Events) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        condition.lock()
        defer { condition.unlock() }
        while !predicate(state.withLock({ $0 })) {
            if !condition.wait(until: deadline) { return predicate(state.withLock { $0 }) }
        }
        return true
    }
}

extension LogPipeline {
    /// Moves everything logged so far into the sinks' queues without waiting for any write.
    func distributeNow() {
        _ = flush(timeout: .zero)
    }
}

func record(_ message: String, level: LogLevel = .info, at nanoseconds: Int64 = 0) -> LogRecord {
    LogRecord(timestamp: LogTimestamp(nanosecondsSinceEpoch: nanoseconds), level: level, message: message)
}
