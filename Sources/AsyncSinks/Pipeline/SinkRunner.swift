import CAsyncSinksSupport
import Synchronization

/// Runs one sink: holds its state machine behind a lock, performs its steps outside the lock, and
/// reports what happened to hooks and waiters.
final class SinkRunner: Sendable {
    let index: Int
    let bit: UInt64
    let name: String
    let sink: any LogSink
    let configuration: SinkConfiguration

    private let state: Mutex<SinkStateMachine>
    /// The records of settled batches (written, dropped or failed, with no retry to come), which
    /// the distributor destroys before their storage serves a later batch; a lock of their own, so
    /// that handing them over never waits for the queue.
    private let settledRecords = Mutex<[[LogRecord]]>([])
    private let signals: PipelineSignals
    private let hooks: PipelineHooks
    private let clock: PipelineClock
    private let randomUnit: @Sendable () -> Double

    init(index: Int, registration: SinkRegistration, signals: PipelineSignals, configuration: PipelineConfiguration) {
        self.index = index
        self.bit = 1 << UInt64(index)
        self.name = registration.name
        self.sink = registration.sink
        self.configuration = registration.configuration
        self.state = Mutex(SinkStateMachine(name: registration.name, configuration: registration.configuration))
        self.signals = signals
        self.hooks = configuration.hooks
        self.clock = configuration.clock
        self.randomUnit = configuration.randomUnit
    }

    /// Whether the sink takes `record` (its level and filter).
    @inline(__always)
    func accepts(_ record: LogRecord) -> Bool {
        record.level >= configuration.minimumLevel && (configuration.filter?(record) ?? true)
    }

    /// Whether the sink takes the record at `entry`: reads only the level unless the sink has a filter.
    @inline(__always)
    func accepts(_ entry: UnsafePointer<Intake.Entry>) -> Bool {
        guard entry.pointee.record.level >= configuration.minimumLevel else { return false }
        guard let filter = configuration.filter else { return true }
        return filter(entry.pointee.record)
    }

    /// The longest a blocked caller waits for this sink, when its policy has a timeout.
    var blockTimeout: Int64? {
        configuration.backpressure.blockTimeout?.nanoseconds
    }

    // MARK: Intake

    /// Queues the admitted entries of one distribution step.
    ///
    /// An entry whose last taker is this sink is moved out of `entries` (its memory is left
    /// uninitialized); the others are copied.
    ///
    /// - Parameters:
    ///   - entries: The step's entries.
    ///   - admitted: The positions of the entries this sink takes.
    ///   - lastTaker: Per entry, the index of the last sink that takes it.
    ///   - now: The monotonic time of the step.
    /// - Returns: When the sink's worker should run next (`now` or later; `nil`: not needed, it is
    ///   busy or has nothing to do), and the counts for hooks.
    func enqueue(
        _ entries: UnsafeMutablePointer<Intake.Entry>, admitted: [Int], lastTaker: [Int], now: Int64
    ) -> (wake: Int64?, tally: SinkStateMachine.Tally) {
        var tally = SinkStateMachine.Tally()
        let bit = self.bit
        let index = self.index
        var wake: Int64?
        var full = false
        var start = 0
        // A slice of records per lock hold, so that the sink's worker never waits long for its queue.
        while start < admitted.count {
            let end = min(start + Self.recordsPerLockHold, admitted.count)
            let (sliceWake, sliceFull) = state.withLock { machine -> (Int64?, Bool) in
                for position in admitted[start..<end] {
                    let entry = entries + position
                    var reason: DropReason?
                    if (entry.pointee.dropTimeout | entry.pointee.dropFull) & bit != 0 {
                        reason = entry.pointee.dropTimeout & bit != 0 ? .timeout : .queueFull
                    }
                    let fromHook = entry.pointee.fromHook
                    // The last taker moves the record out (the entry's other members are plain values,
                    // so that ends the entry); the others copy it. Either way the size is read from the
                    // local value, which the compiler need not copy again.
                    let record = lastTaker[position] == index
                        ? entry.pointer(to: \.record)?.move() ?? entry.move().record
                        : entry.pointee.record
                    let size = record.estimatedSize
                    machine.enqueue(record, size: size, fromHook: fromHook, dropReason: reason, now: now, tally: &tally)
                }
                return (machine.nextWake(now: now), machine.isFull)
            }
            wake = sliceWake
            full = sliceFull
            start = end
        }
        if configuration.backpressure.blocksCaller { signals.setBlocked(bit, full) }
        return (wake, tally)
    }

    /// The most records ``enqueue(_:admitted:lastTaker:now:)`` queues under one hold of the queue's lock.
    private static let recordsPerLockHold = 64

    /// Counts a record that could not reach the queue (the pipeline is closed, or a worker found the
    /// intake full) and reports it.
    func countUndeliverable(_ reason: DropReason, fromHook: Bool) {
        state.withLock { $0.countUndeliverable(reason) }
        if !fromHook { report(dropped: [reason: 1]) }
    }

    // MARK: Running

    /// Performs the sink's due steps; returns whether more work may remain.
    ///
    /// - Parameter pool: Receives the sink's next deadline.
    /// - Returns: `true` when the step budget ran out with work possibly left.
    func run(pool: WorkerPool) -> Bool {
        for _ in 0..<8 {
            let now = clock.monotonicNanoseconds()
            let (step, full) = state.withLock { machine in (machine.nextStep(now: now), machine.isFull) }
            switch consume step {
            case .idle:
                return false
            case .wait(let until):
                pool.setSinkDeadline(index, until, fromJob: true)
                return false
            case .write(let records, let attempt, let cancellation):
                if configuration.backpressure.blocksCaller { signals.setBlocked(bit, full) }
                write(records, attempt: attempt, cancellation: cancellation)
            case .flushSink(let identifier):
                let error = perform { try sink.flush() }
                state.withLock { $0.completeFlush(identifier, error: error) }
            case .closeSink:
                let error = perform { try sink.close() }
                state.withLock { $0.completeClose(error: error) }
            }
            signals.notifyProgress()
        }
        return true
    }

    private func write(_ records: consuming [LogRecord], attempt: Int, cancellation: CancellationSignal) {
        var batch = LogBatch(records: records, attempt: attempt, cancellation: cancellation)
        let start = realMonotonicNanoseconds()
        let error = perform { try sink.write(&batch) }
        let duration = Duration.nanoseconds(realMonotonicNanoseconds() - start)
        let now = clock.monotonicNanoseconds()
        let random = error == nil ? 0 : randomUnit()
        let (events, settled) = state.withLock { machine in
            (machine.completeWrite(batch, error: error, duration: duration, now: now, unitRandom: random), !machine.awaitsRetry)
        }
        report(events)
        guard settled else { return }
        var records: [LogRecord]? = (consume batch).takeRecords()
        settledRecords.withLock { list in
            if let taken = records.take() { list.append(taken) }
        }
        // While the intake tick runs, its next distribution destroys the records; a parked pipeline
        // has none to come (the tick looks for settled records before it parks).
        if !signals.flags.intakeArmed.load(ordering: .sequentiallyConsistent) { reclaimSettledRecords() }
    }

    /// Destroys the records of the sink's settled batches and gives their storage back to its queue.
    ///
    /// The distributor calls it at every step, so that the sink's worker, which bounds a busy
    /// sink's rate, spends no time destroying records; the distributor then fills the same storage
    /// with the next records, so their memory stays with one processor.
    func reclaimSettledRecords() {
        var storages = settledRecords.withLock { list -> [[LogRecord]] in
            var taken: [[LogRecord]] = []
            swap(&taken, &list)
            return taken
        }
        guard !storages.isEmpty else { return }
        for index in storages.indices { storages[index].removeAll(keepingCapacity: true) }
        state.withLock { machine in
            while let storage = storages.popLast() { machine.recycle(storage) }
        }
    }

    /// Whether settled records wait for ``reclaimSettledRecords()``.
    var holdsSettledRecords: Bool {
        settledRecords.withLock { !$0.isEmpty }
    }

    private func perform(_ body: () throws -> Void) -> LogSinkError? {
        do {
            try body()
            return nil
        } catch {
            return LogSinkError.classifying(error)
        }
    }

    // MARK: Flush and close

    func requestFlush() -> UInt64 {
        state.withLock { $0.requestFlush() }
    }

    func isFlushComplete(_ identifier: UInt64) -> Bool {
        state.withLock { $0.isFlushComplete(identifier) }
    }

    func requestClose() {
        state.withLock { $0.requestClose() }
    }

    /// Whether the sink drained and closed, or was abandoned.
    var isFinished: Bool {
        state.withLock { $0.sinkClosed || $0.abandoned }
    }

    /// Gives up on what is pending at the close deadline.
    ///
    /// - Returns: How many records were dropped, and whether a sink call is still running.
    func abandon() -> (dropped: Int, busy: Bool) {
        let (result, busy) = state.withLock { machine in (machine.abandon(reason: .shutdown), machine.isBusy) }
        result.cancellation?.cancel()
        if result.reportable > 0 { report(dropped: [.shutdown: result.reportable]) }
        if configuration.backpressure.blocksCaller { signals.setBlocked(bit, false) }
        signals.notifyProgress()
        return (result.count, busy)
    }

    func stats() -> SinkStats {
        state.withLock { $0.stats() }
    }

    var pending: Int {
        state.withLock { $0.pending }
    }

    // MARK: Hooks

    func report(buffered count: Int) {
        guard count > 0, let hook = hooks.buffered else { return }
        let name = self.name
        Self.invokeHook { hook(BufferedEvent(sink: name, count: count)) }
    }

    func report(dropped: [DropReason: Int]) {
        guard let hook = hooks.dropped else { return }
        let name = self.name
        for (reason, count) in dropped.sorted(by: { $0.key < $1.key }) where count > 0 {
            Self.invokeHook { hook(DroppedEvent(sink: name, reason: reason, count: count)) }
        }
    }

    private func report(_ events: [SinkStateMachine.Event]) {
        let name = self.name
        for event in events {
            switch event {
            case .written(let count, let bytes, let duration, let attempt):
                if let hook = hooks.batchWritten {
                    Self.invokeHook { hook(BatchWrittenEvent(sink: name, count: count, bytes: bytes, duration: duration, attempt: attempt)) }
                }
            case .dropped(let reason, let count):
                report(dropped: [reason: count])
            case .failed(let count, let error, let attempts):
                if let hook = hooks.batchFailed {
                    Self.invokeHook { hook(BatchFailedEvent(sink: name, count: count, error: error, attempts: attempts)) }
                }
            case .retry(let attempt, let delay, let count, let error):
                if let hook = hooks.retryScheduled {
                    Self.invokeHook { hook(RetryScheduledEvent(sink: name, attempt: attempt, delay: delay, count: count, error: error)) }
                }
            }
        }
    }

    /// Runs a hook with the thread marked as running a hook, so that what the hook logs never waits
    /// and does not trigger hooks again.
    static func invokeHook(_ body: () -> Void) {
        let previous = asyncsinks_thread_role()
        asyncsinks_set_thread_role(2)
        body()
        asyncsinks_set_thread_role(previous)
    }
}
