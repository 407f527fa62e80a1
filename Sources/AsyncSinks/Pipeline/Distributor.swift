import Synchronization

/// Moves records from the intake into the sinks' queues: the one step between logging threads and sinks.
///
/// Each step empties every intake shard at once (swapping storage, so neither side allocates),
/// applies each sink's level and filter, and hands the admitted
/// records to the sink's queue under one lock acquisition per sink. It never waits on a sink, so a
/// stuck sink cannot stop records from reaching the others. Hook events are reported after every
/// lock is released.
final class Distributor: Sendable {
    private struct Scratch {
        var entries: [Intake.Entry] = []
        var admitted: [Int] = []
    }

    private let intake: Intake
    private let runners: [SinkRunner]
    private let pool: WorkerPool
    private let clock: PipelineClock
    private let reportsBuffered: Bool
    private let reportsDropped: Bool
    private let scratch = Mutex(Scratch())

    init(intake: Intake, runners: [SinkRunner], pool: WorkerPool, clock: PipelineClock, hooks: PipelineHooks) {
        self.intake = intake
        self.runners = runners
        self.pool = pool
        self.clock = clock
        self.reportsBuffered = hooks.buffered != nil
        self.reportsDropped = hooks.dropped != nil
    }

    /// Moves everything in the intake into the sinks' queues and schedules the sinks that have work.
    ///
    /// - Returns: How many records were moved.
    @discardableResult
    func distribute() -> Int {
        var buffered = Array(repeating: 0, count: runners.count)
        var dropped: [[DropReason: Int]] = Array(repeating: [:], count: runners.count)
        var wake = Array(repeating: false, count: runners.count)
        let moved = scratch.withLock { scratch -> Int in
            var moved = 0
            for shard in 0..<intake.shardCount {
                intake.drain(shard: shard, into: &scratch.entries)
                if scratch.entries.isEmpty { continue }
                moved += scratch.entries.count
                let now = clock.monotonicNanoseconds()
                for runner in runners {
                    scratch.admitted.removeAll(keepingCapacity: true)
                    let result = scratch.entries.withUnsafeBufferPointer { entries -> (wake: Int64?, tally: SinkStateMachine.Tally)? in
                        guard let base = entries.baseAddress else { return nil }
                        for position in entries.indices where runner.accepts(base + position) {
                            scratch.admitted.append(position)
                        }
                        if scratch.admitted.isEmpty { return nil }
                        return runner.enqueue(entries, admitted: scratch.admitted, now: now)
                    }
                    guard let result else { continue }
                    if result.wake != nil { wake[runner.index] = true }
                    if reportsBuffered { buffered[runner.index] += result.tally.buffered }
                    if reportsDropped { dropped[runner.index].merge(result.tally.dropped, uniquingKeysWith: +) }
                }
                scratch.entries.removeAll(keepingCapacity: true)
            }
            return moved
        }
        intake.signalSpace()
        for runner in runners {
            if wake[runner.index] { pool.schedule(.sink(runner.index)) }
            if reportsBuffered { runner.report(buffered: buffered[runner.index]) }
            if reportsDropped, !dropped[runner.index].isEmpty { runner.report(dropped: dropped[runner.index]) }
        }
        return moved
    }
}
