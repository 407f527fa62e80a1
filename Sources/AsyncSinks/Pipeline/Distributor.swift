import Synchronization

/// Moves records from the intake into the sinks' queues: the one step between logging threads and sinks.
///
/// Each step empties every intake shard at once (swapping in the spare storage it used longest ago,
/// grown beforehand, so that neither side allocates and the logging thread does not page in memory),
/// applies each sink's level and filter, and hands the admitted records to each sink's queue in
/// short holds of its lock. The last sink that takes a record receives it by move; only the sinks
/// before it receive copies, so with one sink no record is ever copied. Each step first destroys the
/// records of the batches the sinks have written, whose storage then takes the new records (see
/// ``SinkRunner/reclaimSettledRecords()``). It never waits on a sink, so
/// a stuck sink cannot stop records from reaching the others. Hook events are reported after every
/// lock is released.
final class Distributor: Sendable {
    private struct Scratch {
        /// Storage handed to the intake's shards in turn (see ``Distributor/spareStorageCount``).
        var spares: [EntryBuffer]
        /// The spare the next non-empty shard receives.
        var nextSpare = 0
        /// Per sink, the positions of the entries it takes.
        var admitted: [[Int]]
        /// Per entry, the index of the last sink that takes it (-1: none).
        var lastTaker: [Int] = []
    }

    /// How many spare storages the distributor hands to the intake's shards in turn.
    ///
    /// A logging thread writes its records into storage that the distributor read a step or two
    /// before. The distributor removes each storage it empties from the caches after all but the
    /// largest steps (``largestEvictedStep``, ``EntryBuffer/evictFromCaches(entries:)``), so the
    /// logging thread does not have to take cache lines back from the distributor's processor,
    /// however recently that processor read them: with that, one, two and eight spares gave the same
    /// call latency in alternating runs. Two keep a storage out of use for two steps at little memory.
    /// The removal matters most where the two processors share no cache (a virtual machine whose host
    /// puts them on distant cores): there a call's median was ~210 ns without it and ~37 ns with it.
    static let spareStorageCount = 2

    /// The most records a shard's step may have moved for the distributor to evict the storage from
    /// the caches afterwards.
    ///
    /// Eviction costs the distributor ~10 ns per record. Under load a step moves about 128 records
    /// per shard (see ``IntakePacing``); more than 512 come only at over ~2 M records/s into one shard
    /// (with the default `minimumIntakeInterval` of 250 µs), where the pipeline's own threads limit
    /// the rate and the eviction would come out of it (3-5% in the end-to-end benchmark).
    static let largestEvictedStep = 512

    private let intake: Intake
    private let runners: [SinkRunner]
    private let pool: WorkerPool
    private let clock: PipelineClock
    private let reportsBuffered: Bool
    private let reportsDropped: Bool
    private let scratch: Mutex<Scratch>

    init(intake: Intake, runners: [SinkRunner], pool: WorkerPool, clock: PipelineClock, hooks: PipelineHooks) {
        self.intake = intake
        self.runners = runners
        self.pool = pool
        self.clock = clock
        self.reportsBuffered = hooks.buffered != nil
        self.reportsDropped = hooks.dropped != nil
        scratch = Mutex(Scratch(
            spares: (0..<Self.spareStorageCount).map { _ in EntryBuffer() },
            admitted: Array(repeating: [], count: runners.count)
        ))
    }

    deinit {
        scratch.withLock { scratch in
            for index in scratch.spares.indices { scratch.spares[index].deallocate() }
        }
    }

    /// Moves everything in the intake into the sinks' queues, schedules the sinks that have a step due
    /// (a full batch, a flush, a close) and sets the timer of those that wait for their batch to fill.
    ///
    /// - Parameter asJob: Whether this runs as a pool job, on a worker that returns to the pool right
    ///   after (and takes the first sink job itself).
    /// - Returns: How many records were moved.
    @discardableResult
    func distribute(asJob: Bool = false) -> Int {
        var buffered = Array(repeating: 0, count: runners.count)
        var dropped: [[DropReason: Int]] = Array(repeating: [:], count: runners.count)
        // Per sink, when its worker should run (monotonic nanoseconds), or nil.
        var wake = [Int64?](repeating: nil, count: runners.count)
        var stepTime: Int64 = 0
        // Written batches first: their storage takes the records moved below.
        for runner in runners { runner.reclaimSettledRecords() }
        let moved = scratch.withLock { scratch -> Int in
            var moved = 0
            for shard in 0..<intake.shardCount {
                let spare = scratch.nextSpare
                let count = intake.drain(shard: shard, into: &scratch.spares[spare])
                if count == 0 { continue }
                scratch.nextSpare = (spare + 1) % scratch.spares.count
                moved += count
                let entries = scratch.spares[spare].base
                let now = clock.monotonicNanoseconds()
                stepTime = now
                scratch.lastTaker.removeAll(keepingCapacity: true)
                scratch.lastTaker.append(contentsOf: repeatElement(-1, count: count))
                for runner in runners {
                    scratch.admitted[runner.index].removeAll(keepingCapacity: true)
                    for position in 0..<count where runner.accepts(entries + position) {
                        scratch.admitted[runner.index].append(position)
                        scratch.lastTaker[position] = runner.index
                    }
                }
                for runner in runners where !scratch.admitted[runner.index].isEmpty {
                    let result = runner.enqueue(
                        entries, admitted: scratch.admitted[runner.index], lastTaker: scratch.lastTaker, now: now
                    )
                    if let due = result.wake { wake[runner.index] = min(due, wake[runner.index] ?? due) }
                    if reportsBuffered { buffered[runner.index] += result.tally.buffered }
                    if reportsDropped { dropped[runner.index].merge(result.tally.dropped, uniquingKeysWith: +) }
                }
                // Every taken entry was moved out by its last taker; destroy the ones no sink took.
                for position in 0..<count where scratch.lastTaker[position] < 0 {
                    (entries + position).deinitialize(count: 1)
                }
                // The logging thread that fills this storage next then writes without waiting for
                // this processor to give up the cache lines it just read.
                if count <= Self.largestEvictedStep { scratch.spares[spare].evictFromCaches(entries: count) }
                scratch.spares[spare].forgetAll()
            }
            return moved
        }
        intake.signalSpace()
        for runner in runners {
            if let due = wake[runner.index] {
                // A sink waiting for more records (its batch's max wait) gets a timer, not a job.
                if due > stepTime {
                    pool.setSinkDeadline(runner.index, due, fromJob: asJob)
                } else {
                    pool.schedule(.sink(runner.index), fromJob: asJob)
                }
            }
            if reportsBuffered { runner.report(buffered: buffered[runner.index]) }
            if reportsDropped, !dropped[runner.index].isEmpty { runner.report(dropped: dropped[runner.index]) }
        }
        return moved
    }
}
