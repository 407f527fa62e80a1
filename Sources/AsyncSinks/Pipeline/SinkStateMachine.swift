/// What a sink's queue, batch, retry and lifecycle state asks its runner to do next.
///
/// The state machine owns all of one sink's mutable state and counters. It never blocks, never
/// calls the sink and never reads a clock: the runner calls it under a lock with the current time
/// and performs the returned step outside the lock. That keeps the concurrency logic testable
/// without threads.
struct SinkStateMachine: ~Copyable {
    /// One step for the runner to perform.
    enum Step {
        /// Call the sink's `write` with these records.
        case write(records: [LogRecord], attempt: Int, cancellation: CancellationSignal)
        /// Call the sink's `flush`; then report ``completeFlush(_:error:)`` with this identifier.
        case flushSink(UInt64)
        /// Call the sink's `close`; then report ``completeClose(error:)``.
        case closeSink
        /// Nothing to do before this monotonic time.
        case wait(until: Int64)
        /// Nothing to do until something changes.
        case idle
    }

    /// Counts from one enqueue step, for hooks.
    struct Tally {
        var buffered = 0
        var dropped: [DropReason: Int] = [:]

        mutating func drop(_ reason: DropReason, count: Int = 1) {
            dropped[reason, default: 0] += count
        }
    }

    /// Hook events produced by a completed write.
    enum Event {
        case written(count: Int, bytes: Int, duration: Duration, attempt: Int)
        case dropped(DropReason, count: Int)
        case failed(count: Int, error: LogSinkError, attempts: Int)
        case retry(attempt: Int, delay: Duration, count: Int, error: LogSinkError)
    }

    /// The batch being written or waiting for a retry.
    private struct InFlight {
        /// The records between attempts; empty while the runner writes them (it owns them then, so
        /// that their storage can go back to the queue once they are written).
        var records: [LogRecord]
        /// One entry per record of the batch, at every moment.
        var metadata: [RecordMetadata]
        var attempt: Int
        var firstAttemptAt: Int64
        var retryAt: Int64?
        var cancellation: CancellationSignal
    }

    private enum Operation {
        case writing
        case flushing
        case closing
    }

    let name: String
    let configuration: SinkConfiguration

    private var queue: BatchQueue
    private var inFlight: InFlight?
    private var operation: Operation?
    private var nextSequence: UInt64 = 0

    private var accepted = 0
    private var written = 0
    private var dropped: [DropReason: Int] = [:]
    private var failed = 0
    private var retries = 0
    private var lastError: String?

    private var flushTarget: UInt64 = 0
    private var flushRequested: UInt64 = 0
    private var flushCompleted: UInt64 = 0
    private(set) var closeRequested = false
    private(set) var sinkClosed = false
    private(set) var abandoned = false

    init(name: String, configuration: SinkConfiguration) {
        self.name = name
        self.configuration = configuration
        queue = BatchQueue(batching: configuration.batching, maxRecords: configuration.queue.maxRecords)
    }

    // MARK: Intake

    /// Whether the queue has reached one of its limits (what blocking callers wait on).
    var isFull: Bool {
        queue.count >= configuration.queue.maxRecords || queue.bytes >= configuration.queue.maxBytes
    }

    /// Takes a record into the queue, applying the backpressure policy.
    ///
    /// - Parameters:
    ///   - record: The record.
    ///   - size: Its estimated size.
    ///   - fromHook: Whether a hook logged it (counted, but not reported to hooks).
    ///   - dropReason: A reason decided before the record got here (a blocking caller timed out).
    ///   - now: The monotonic time.
    ///   - tally: Receives the counts to report to hooks.
    mutating func enqueue(
        _ record: consuming LogRecord, size: Int, fromHook: Bool, dropReason: DropReason?, now: Int64, tally: inout Tally
    ) {
        accepted += 1
        if let reason = dropReason ?? admissionDropReason(size: size) {
            drop(reason, fromHook: fromHook, tally: &tally)
            return
        }
        if isFull(adding: size) {
            switch configuration.backpressure.base {
            case .dropNewest:
                drop(.queueFull, fromHook: fromHook, tally: &tally)
                return
            case .dropOldest:
                while isFull(adding: size), let evicted = queue.removeFirst() {
                    drop(.evicted, fromHook: evicted.fromHook, tally: &tally)
                }
            case .block:
                // Blocking callers wait before logging; what is already on its way is kept, so the
                // queue may exceed its limits by at most the records that were in the intake.
                break
            }
        }
        queue.append(record, metadata: RecordMetadata(size: size, sequence: nextSequence, fromHook: fromHook, enqueuedAt: now))
        nextSequence += 1
        if !fromHook { tally.buffered += 1 }
    }

    /// Counts a record that could not enter the queue at all (the pipeline was closed).
    mutating func countUndeliverable(_ reason: DropReason) {
        accepted += 1
        dropped[reason, default: 0] += 1
    }

    private func admissionDropReason(size: Int) -> DropReason? {
        if abandoned || sinkClosed { return .closed }
        if size > configuration.queue.maxBytes { return .tooLarge }
        return nil
    }

    private func isFull(adding size: Int) -> Bool {
        queue.count >= configuration.queue.maxRecords || queue.bytes + size > configuration.queue.maxBytes
    }

    private mutating func drop(_ reason: DropReason, fromHook: Bool, tally: inout Tally) {
        dropped[reason, default: 0] += 1
        if !fromHook { tally.drop(reason) }
    }

    // MARK: Steps

    /// What the sink does next, decided without changing anything.
    private enum Plan {
        case none
        case wait(until: Int64)
        case close
        case retry
        case flush
        case writeBatch
    }

    private func plan(now: Int64) -> Plan {
        if operation != nil { return .none }
        if abandoned { return closeRequested && !sinkClosed ? .close : .none }
        if let flight = inFlight {
            if let retryAt = flight.retryAt, retryAt > now { return .wait(until: retryAt) }
            return .retry
        }
        if flushRequested > flushCompleted, lowestUnsettledSequence >= flushTarget { return .flush }
        if let enqueuedAt = queue.first?.enqueuedAt {
            let due = enqueuedAt &+ configuration.batching.maxWait.nanoseconds
            return due <= now || isBatchReady ? .writeBatch : .wait(until: due)
        }
        return closeRequested && !sinkClosed ? .close : .none
    }

    /// The next step, or `.idle`/`.wait` when there is nothing to do now. A step other than
    /// `.idle` and `.wait` must be completed with the matching `complete...` call.
    mutating func nextStep(now: Int64) -> Step {
        switch plan(now: now) {
        case .none:
            return .idle
        case .wait(let until):
            return .wait(until: until)
        case .close:
            operation = .closing
            return .closeSink
        case .retry:
            guard var flight = inFlight else { return .idle }
            var records: [LogRecord] = []
            swap(&records, &flight.records)
            flight.retryAt = nil
            inFlight = flight
            operation = .writing
            return .write(records: records, attempt: flight.attempt, cancellation: flight.cancellation)
        case .flush:
            operation = .flushing
            return .flushSink(flushRequested)
        case .writeBatch:
            let (records, metadata) = queue.takeBatch()
            let cancellation = CancellationSignal()
            inFlight = InFlight(
                records: [], metadata: metadata, attempt: 1, firstAttemptAt: now, retryAt: nil, cancellation: cancellation
            )
            operation = .writing
            return .write(records: records, attempt: 1, cancellation: cancellation)
        }
    }

    /// When the sink's worker should next run: `now` when a step is due, the time it waits for when
    /// it waits (a batch's max wait, a retry's backoff), `nil` when it is busy (its worker looks
    /// again after the step) or has nothing to do.
    ///
    /// - Parameter now: Monotonic nanoseconds.
    func nextWake(now: Int64) -> Int64? {
        switch plan(now: now) {
        case .none: return nil
        case .wait(let until): return until
        case .close, .retry, .flush, .writeBatch: return now
        }
    }

    private var isBatchReady: Bool {
        guard let sequence = queue.first?.sequence else { return false }
        return queue.count >= configuration.batching.maxEntries
            || queue.bytes >= configuration.batching.maxBytes
            || sequence < flushTarget
            || closeRequested
    }

    private var lowestUnsettledSequence: UInt64 {
        inFlight?.metadata.first?.sequence ?? queue.first?.sequence ?? nextSequence
    }

    /// Settles a write: counts each record's outcome and schedules a retry when allowed.
    ///
    /// The records of a retry are kept (copied from `batch`); otherwise the runner hands `batch`'s
    /// records on to be destroyed outside the lock, and their storage comes back through
    /// ``recycle(_:)``.
    ///
    /// - Parameters:
    ///   - batch: The batch as the sink left it (with its per-record marks).
    ///   - error: What the sink threw, classified, or `nil` when it returned normally.
    ///   - duration: How long the write took.
    ///   - now: The monotonic time.
    ///   - unitRandom: A random number in `0..<1` for the retry jitter.
    /// - Returns: The events to report to hooks.
    mutating func completeWrite(
        _ batch: LogBatch, error: LogSinkError?, duration: Duration, now: Int64, unitRandom: Double
    ) -> [Event] {
        operation = nil
        guard var flight = inFlight, !abandoned else { return [] }
        var writtenCount = 0
        var writtenBytes = 0
        var reportedWritten = 0
        var drops: [DropReason: Int] = [:]
        var explicitFailures = 0
        var reportedFailures = 0
        var explicitError: LogSinkError?
        var remaining: [Int] = []
        // A batch whose sink marked no record needs no outcome looked up per record.
        let unmarked = batch.outcomes.isEmpty
        for (index, record) in flight.metadata.enumerated() {
            switch unmarked ? nil : batch.outcome(at: index) {
            case .written:
                writtenCount += 1
                writtenBytes += record.size
                if !record.fromHook { reportedWritten += 1 }
            case .dropped(let reason):
                dropped[reason, default: 0] += 1
                if !record.fromHook { drops[reason, default: 0] += 1 }
            case .failed(let failure):
                explicitFailures += 1
                explicitError = failure
                if !record.fromHook { reportedFailures += 1 }
            case nil:
                if error == nil {
                    writtenCount += 1
                    writtenBytes += record.size
                    if !record.fromHook { reportedWritten += 1 }
                } else {
                    remaining.append(index)
                }
            }
        }
        written += writtenCount
        failed += explicitFailures
        var events: [Event] = []
        if reportedWritten > 0 {
            events.append(.written(count: writtenCount, bytes: batch.bytesWritten ?? writtenBytes, duration: duration, attempt: flight.attempt))
        }
        for (reason, count) in drops.sorted(by: { $0.key < $1.key }) {
            events.append(.dropped(reason, count: count))
        }
        if let explicitError {
            lastError = explicitError.message
            if reportedFailures > 0 {
                events.append(.failed(count: explicitFailures, error: explicitError, attempts: flight.attempt))
            }
        }
        inFlight = nil
        guard let error, !remaining.isEmpty else {
            var storage: [RecordMetadata] = []
            swap(&storage, &flight.metadata)
            queue.recycle(metadata: storage)
            return events
        }
        lastError = error.message
        let reportable = remaining.contains { !flight.metadata[$0].fromHook }
        if error.kind == .retryable, flight.attempt < configuration.retry.maxAttempts {
            let delay = configuration.retry.delay(beforeRetry: flight.attempt, unitRandom: unitRandom, retryAfter: error.retryAfter)
            let retryAt = now &+ delay.nanoseconds
            if retryAt &- flight.firstAttemptAt <= configuration.retry.maxTotalTime.nanoseconds {
                if remaining.count < flight.metadata.count {
                    flight.records = remaining.map { batch.records[$0] }
                    flight.metadata = remaining.map { flight.metadata[$0] }
                } else {
                    flight.records = batch.records
                }
                flight.attempt += 1
                flight.retryAt = retryAt
                inFlight = flight
                retries += 1
                if reportable {
                    events.append(.retry(attempt: flight.attempt, delay: delay, count: remaining.count, error: error))
                }
                return events
            }
        }
        failed += remaining.count
        if reportable {
            events.append(.failed(count: remaining.count, error: error, attempts: flight.attempt))
        }
        return events
    }

    /// Takes back the storage of settled records, emptied, for a later batch.
    ///
    /// - Parameter records: The array that held a batch's records, now empty.
    mutating func recycle(_ records: consuming [LogRecord]) {
        queue.recycle(records: records)
    }

    // MARK: Flush and close

    /// Asks for every record queued so far to be written and the sink flushed.
    ///
    /// - Returns: The identifier that ``isFlushComplete(_:)`` checks.
    mutating func requestFlush() -> UInt64 {
        flushRequested += 1
        flushTarget = nextSequence
        return flushRequested
    }

    /// Reports that the sink's `flush` returned.
    mutating func completeFlush(_ identifier: UInt64, error: LogSinkError?) {
        operation = nil
        flushCompleted = max(flushCompleted, identifier)
        if let error { lastError = error.message }
    }

    /// Whether the flush with `identifier` finished (or can no longer happen).
    func isFlushComplete(_ identifier: UInt64) -> Bool {
        flushCompleted >= identifier || abandoned || sinkClosed
    }

    /// Asks for the queue to be drained now and the sink closed after its last write.
    mutating func requestClose() {
        closeRequested = true
    }

    /// Reports that the sink's `close` returned.
    mutating func completeClose(error: LogSinkError?) {
        operation = nil
        sinkClosed = true
        if let error { lastError = error.message }
    }

    /// Gives up on everything pending: counts it as dropped with `reason`.
    ///
    /// - Returns: How many records were dropped and the signal of a batch a sink may still be writing.
    mutating func abandon(reason: DropReason) -> (count: Int, reportable: Int, cancellation: CancellationSignal?) {
        guard !abandoned else { return (0, 0, nil) }
        abandoned = true
        var metadata = queue.removeAll()
        let cancellation = inFlight?.cancellation
        if let flight = inFlight { metadata.append(contentsOf: flight.metadata) }
        inFlight = nil
        if !metadata.isEmpty { dropped[reason, default: 0] += metadata.count }
        return (metadata.count, metadata.filter { !$0.fromHook }.count, cancellation)
    }

    /// Whether a batch waits for a retry (it keeps its records until then).
    var awaitsRetry: Bool { inFlight != nil && operation == nil }

    /// Whether an operation on the sink is running outside the lock.
    var isBusy: Bool { operation != nil }

    // MARK: Stats

    var pending: Int {
        queue.count + (inFlight?.metadata.count ?? 0)
    }

    func stats() -> SinkStats {
        SinkStats(
            name: name,
            accepted: accepted,
            written: written,
            dropped: dropped,
            failed: failed,
            retries: retries,
            pending: pending,
            inFlight: inFlight?.metadata.count ?? 0,
            lastError: lastError
        )
    }
}
