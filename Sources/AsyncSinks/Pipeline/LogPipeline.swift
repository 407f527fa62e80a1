import CAsyncSinksSupport
import Synchronization

/// The dispatcher: takes records from any thread and fans them out to its sinks.
///
/// A logging call captures the record and appends it to a sharded intake (one uncontended lock, no
/// allocation, no thread wake-up); worker threads move records from the intake into each sink's
/// bounded queue, apply each sink's level, filter and backpressure policy, cut batches and call the
/// sinks, retrying failed batches with backoff. A slow, hung or failing sink never delays or loses
/// another sink's records, except a sink whose policy is ``BackpressurePolicy/block`` and whose queue
/// is full: blocking is that sink's explicit choice, and it makes logging calls wait.
///
/// ```swift
/// let pipeline = try LogPipeline(sinks: [
///     SinkRegistration("memory", sink: MemorySink()),
/// ])
/// let logger = pipeline.logger(label: "api")
/// logger.info("started", ["port": 8080])
/// _ = pipeline.close(timeout: .seconds(5))
/// ```
///
/// Close the pipeline before the process exits: ``close(deadline:)`` drains, flushes and closes the
/// sinks, and reports what could not be delivered in time.
public final class LogPipeline: Sendable {
    /// The lowest level any sink takes; calls below it return at once without evaluating anything.
    public let minimumLevel: LogLevel

    /// The pipeline's time source.
    public let clock: PipelineClock

    private let flags: HotFlags
    private let intake: Intake
    private let runners: [SinkRunner]
    private let signals: PipelineSignals
    private let pool: WorkerPool
    private let distributor: Distributor
    private let hooks: PipelineHooks
    private let closeLock = ConditionLock()
    private let closeReport = LockedValue<CloseReport?>(nil)

    /// Creates a pipeline and starts its worker threads.
    ///
    /// - Parameters:
    ///   - configuration: Threads, intake, clock and hooks.
    ///   - sinks: The sinks, each with a unique name and its configuration (at most 64).
    /// - Throws: ``PipelineError`` when two sinks share a name or there are more than 64.
    public init(configuration: PipelineConfiguration = .default, sinks: [SinkRegistration]) throws(PipelineError) {
        guard sinks.count <= 64 else { throw PipelineError("at most 64 sinks, got \(sinks.count)") }
        var names = Set<String>()
        for registration in sinks where !names.insert(registration.name).inserted {
            throw PipelineError("two sinks are named \"\(registration.name)\"")
        }
        let flags = HotFlags()
        let signals = PipelineSignals(flags: flags)
        let runners = sinks.enumerated().map { index, registration in
            SinkRunner(index: index, registration: registration, signals: signals, configuration: configuration)
        }
        let intake = Intake(shardCount: configuration.intakeShards, shardCapacity: configuration.intakeShardCapacity)
        let pool = WorkerPool(
            coreThreads: configuration.workerCount,
            sinkCount: sinks.count,
            clock: configuration.clock,
            intakeInterval: configuration.intakeInterval,
            minimumIntakeInterval: configuration.minimumIntakeInterval,
            idleAfter: configuration.idleAfter,
            flags: flags
        )
        let distributor = Distributor(intake: intake, runners: runners, pool: pool, clock: configuration.clock, hooks: configuration.hooks)
        self.minimumLevel = sinks.map(\.configuration.minimumLevel).min() ?? .critical
        self.clock = configuration.clock
        self.flags = flags
        self.intake = intake
        self.runners = runners
        self.signals = signals
        self.pool = pool
        self.distributor = distributor
        self.hooks = configuration.hooks
        // The pool keeps the handler (and through it the pipeline's parts) until its threads exit.
        pool.start { job in
            switch job {
            case .distribute:
                let moved = distributor.distribute(asJob: true)
                pool.intakeTickCompleted(movedRecords: moved) {
                    intake.isEmpty && !runners.contains(where: \.holdsSettledRecords)
                }
            case .sink(let index):
                if runners[index].run(pool: pool) { pool.schedule(.sink(index), fromJob: true) }
            }
        }
    }

    /// The names of the sinks, in registration order.
    public var sinkNames: [String] {
        runners.map(\.name)
    }

    /// Creates a logger that logs into this pipeline.
    ///
    /// - Parameters:
    ///   - label: The logger's label, usually the subsystem.
    ///   - level: The logger's own minimum level. Default: `.trace` (the sinks' levels still apply).
    ///   - fields: Fields bound to every record of the logger.
    /// - Returns: The logger.
    public func logger(label: String, level: LogLevel = .trace, fields: LogFields = LogFields()) -> Logger {
        Logger(label: label, level: level, fields: fields, pipeline: self)
    }

    // MARK: Logging

    @usableFromInline
    func log(
        level: LogLevel, message: consuming String, boundPairs: consuming [LogFields.Pair], fields: consuming LogFields,
        label: consuming String, file: consuming String, function: consuming String, line: UInt,
        error: consuming (any Error)?
    ) {
        append(LogRecord(
            timestamp: clock.wallNow(), level: level, message: message, boundPairs: boundPairs, fields: fields,
            label: label, file: file, function: function, line: line, error: error
        ))
    }

    /// Logs a record built elsewhere, for example by a bridge from another logging API.
    ///
    /// Like every logging call, it does not wait unless a blocking sink's queue is full.
    ///
    /// - Parameter record: The record; its timestamp is kept.
    public func submit(_ record: consuming LogRecord) {
        guard record.level >= minimumLevel else { return }
        append(record)
    }

    /// Moves a record into the intake. In the common case it goes straight into the calling thread's
    /// shard and is moved from there on, never copied.
    @inline(__always)
    private func append(_ record: consuming LogRecord) {
        let role = asyncsinks_thread_role()
        if flags.blockedSinks.load(ordering: .relaxed) == 0, let slot = intake.lockedSlot() {
            slot.entry.initialize(to: Intake.Entry(record: record, fromHook: role == 2))
            _ = appended(intake.commit(slot))
            return
        }
        var entry: Intake.Entry? = Intake.Entry(record: record, fromHook: role == 2)
        enqueue(&entry, role: role)
    }

    /// Moves an entry into the intake, waiting only for a full blocking sink or a full shard.
    @inline(__always)
    private func enqueue(_ entry: inout Intake.Entry?, role: UInt32) {
        if flags.blockedSinks.load(ordering: .relaxed) != 0, var admitted = entry.take() {
            admit(&admitted, mayWait: role == 0)
            entry = admitted
        }
        while true {
            let result = intake.append(&entry)
            if appended(result) { return }
            switch result {
            case .appended, .reachedHighWater:
                return
            case .closed:
                if let entry { countUndeliverable(entry, reason: .closed) }
                return
            case .full:
                pool.schedule(.distribute)
                guard role == 0 else {
                    if let entry { countUndeliverable(entry, reason: .queueFull) }
                    return
                }
                intake.waitForSpace(nanoseconds: 10_000_000)
            }
        }
    }

    /// Reacts to an append: arms the intake tick, or asks for a distribution at the high-water mark.
    ///
    /// - Returns: `false` when the entry was not appended (the shard is full or closed).
    @inline(__always)
    private func appended(_ result: Intake.AppendResult) -> Bool {
        switch result {
        case .appended:
            if !flags.intakeArmed.load(ordering: .relaxed) { pool.armIntake() }
            return true
        case .reachedHighWater:
            pool.schedule(.distribute)
            return true
        case .full, .closed:
            return false
        }
    }

    /// Waits for room in full blocking sinks, or marks the record to be dropped for them.
    private func admit(_ entry: inout Intake.Entry, mayWait: Bool) {
        var waitingOn: UInt64 = 0
        let blocked = flags.blockedSinks.load(ordering: .sequentiallyConsistent)
        for runner in runners where blocked & runner.bit != 0 && runner.accepts(entry.record) {
            waitingOn |= runner.bit
        }
        guard waitingOn != 0 else { return }
        guard mayWait else {
            entry.dropFull = waitingOn
            return
        }
        let start = realMonotonicNanoseconds()
        signals.admission.lock()
        signals.blockedCallerCount.add(1, ordering: .relaxed)
        signals.callerBlocked.broadcast()
        defer {
            signals.blockedCallerCount.subtract(1, ordering: .relaxed)
            signals.admission.unlock()
        }
        while true {
            waitingOn &= flags.blockedSinks.load(ordering: .sequentiallyConsistent)
            if waitingOn == 0 || signals.closing.load(ordering: .sequentiallyConsistent) { return }
            let now = realMonotonicNanoseconds()
            var nextTimeout: Int64?
            for runner in runners where waitingOn & runner.bit != 0 {
                guard let timeout = runner.blockTimeout else { continue }
                let deadline = start &+ timeout
                if deadline <= now {
                    entry.dropTimeout |= runner.bit
                    waitingOn &= ~runner.bit
                } else {
                    nextTimeout = min(nextTimeout ?? deadline, deadline)
                }
            }
            if waitingOn == 0 { return }
            if let nextTimeout {
                signals.admissionChanged.wait(nanoseconds: nextTimeout - now)
            } else {
                signals.admissionChanged.wait()
            }
        }
    }

    private func countUndeliverable(_ entry: Intake.Entry, reason: DropReason) {
        for runner in runners where runner.accepts(entry.record) {
            runner.countUndeliverable(reason, fromHook: entry.fromHook)
        }
    }

    /// Whether the pipeline is fully idle: no timer set and no thread due to wake (for tests).
    var isIdle: Bool { pool.isParked }

    /// How often the worker pool woke or started a thread for a job or for its timers (for tests).
    var workerWakeUps: Int { pool.threadWakeUps }

    /// Where intake shard `index` keeps its entries now (for tests).
    func intakeStorageAddress(shard index: Int) -> UnsafeRawPointer {
        intake.storageAddress(shard: index)
    }

    /// When the intake tick fires next, in monotonic nanoseconds of the pipeline clock (for tests).
    var nextIntakeTick: Int64? { pool.intakeTickDeadline }

    /// Waits until `count` distributions have completed (for tests).
    func waitForDistributions(_ count: Int, timeout: Duration) -> Bool {
        pool.waitForDistributions(count, timeout: timeout)
    }

    /// Waits until no worker job is queued or running (for tests).
    func waitUntilWorkersQuiet(timeout: Duration) -> Bool {
        pool.waitUntilQuiet(timeout: timeout)
    }

    /// Waits until `count` logging calls are waiting for room in a blocking sink (for tests).
    func waitForBlockedCallers(_ count: Int, timeout: Duration) -> Bool {
        let deadline = realMonotonicNanoseconds() &+ timeout.nanoseconds
        signals.admission.lock()
        defer { signals.admission.unlock() }
        return signals.callerBlocked.wait(untilRealTime: deadline) {
            signals.blockedCallerCount.load(ordering: .relaxed) < count
        }
    }

    // MARK: Flush and close

    /// Writes every record accepted before the call and flushes every sink, waiting at most `timeout`.
    ///
    /// Records still in a batch waiting for a retry count as not yet written: a flush while a
    /// destination is down times out rather than dropping them. Calls the flush-completed hook.
    ///
    /// - Parameter timeout: The longest wait.
    /// - Returns: Whether everything was written (or failed) in time, and what was pending otherwise.
    @discardableResult
    public func flush(timeout: Duration) -> FlushResult {
        let start = realMonotonicNanoseconds()
        let deadline = start &+ max(0, timeout.nanoseconds)
        distributor.distribute()
        let requests = runners.map { runner in (runner, runner.requestFlush()) }
        for runner in runners { pool.schedule(.sink(runner.index)) }
        let completed = signals.waitForProgress(until: deadline) {
            requests.allSatisfy { runner, identifier in runner.isFlushComplete(identifier) }
        }
        var pending: [String: Int] = [:]
        if !completed {
            for (runner, identifier) in requests where !runner.isFlushComplete(identifier) {
                pending[runner.name] = runner.pending
            }
        }
        let duration = Duration.nanoseconds(realMonotonicNanoseconds() - start)
        if let hook = hooks.flushCompleted {
            SinkRunner.invokeHook { hook(FlushCompletedEvent(completed: completed, duration: duration)) }
        }
        return FlushResult(completed: completed, pending: pending, duration: duration)
    }

    /// Stops taking records, drains and closes every sink, and stops the worker threads, returning by
    /// `deadline` even when a sink hangs.
    ///
    /// Records logged after close begins are dropped with reason ``DropReason/closed``. Records still
    /// undelivered at the deadline, including a batch a hung sink is still writing, are dropped with
    /// reason ``DropReason/shutdown`` and reported. Calling close again returns the first report.
    ///
    /// - Parameter deadline: When to give up on undelivered records.
    /// - Returns: The final counters and what was given up.
    @discardableResult
    public func close(deadline: ContinuousClock.Instant) -> CloseReport {
        let remaining = ContinuousClock.now.duration(to: deadline)
        let realDeadline = realMonotonicNanoseconds() &+ max(0, remaining.nanoseconds)
        closeLock.lock()
        defer { closeLock.unlock() }
        if let report = closeReport.value { return report }

        intake.close()
        signals.releaseBlockedCallers()
        distributor.distribute()
        for runner in runners {
            runner.requestClose()
            pool.schedule(.sink(runner.index))
        }
        let completedInTime = signals.waitForProgress(until: realDeadline) {
            runners.allSatisfy(\.isFinished)
        }
        var droppedAtDeadline: [String: Int] = [:]
        var unresponsive: [String] = []
        for runner in runners where !runner.isFinished {
            let (count, busy) = runner.abandon()
            if count > 0 { droppedAtDeadline[runner.name] = count }
            if busy { unresponsive.append(runner.name) }
        }
        // Catch records that raced with closing the intake (they were counted as closed or are here).
        distributor.distribute()
        pool.stop(deadline: max(realDeadline, realMonotonicNanoseconds() &+ 50_000_000))
        let report = CloseReport(
            completedInTime: completedInTime,
            sinks: runners.map { $0.stats() },
            droppedAtDeadline: droppedAtDeadline,
            unresponsiveSinks: unresponsive
        )
        closeReport.value = report
        return report
    }

    /// Closes the pipeline, giving up on undelivered records after `timeout`.
    ///
    /// - Parameter timeout: The longest time close may take.
    /// - Returns: The final counters and what was given up.
    @discardableResult
    public func close(timeout: Duration) -> CloseReport {
        close(deadline: .now + timeout)
    }

    /// Whether ``close(deadline:)`` has begun.
    public var isClosed: Bool {
        signals.closing.load(ordering: .relaxed)
    }

    // MARK: Stats

    /// A consistent snapshot of every sink's counters, in registration order.
    public func stats() -> [SinkStats] {
        runners.map { $0.stats() }
    }

    /// A consistent snapshot of one sink's counters.
    ///
    /// - Parameter name: The sink's name.
    /// - Returns: The counters, or `nil` when no sink has that name.
    public func stats(for name: String) -> SinkStats? {
        runners.first { $0.name == name }?.stats()
    }

    /// The number of worker threads alive; 0 some time after close unless a sink call is still running.
    public var workerThreadCount: Int {
        pool.liveThreads
    }

    /// Waits until every worker thread has exited, for example after close once a hung sink returned.
    ///
    /// - Parameter timeout: The longest wait.
    /// - Returns: Whether every thread exited.
    public func waitForWorkerThreadsToExit(timeout: Duration) -> Bool {
        pool.waitForExit(deadline: realMonotonicNanoseconds() &+ max(0, timeout.nanoseconds))
    }
}
