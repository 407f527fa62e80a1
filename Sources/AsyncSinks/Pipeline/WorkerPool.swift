import CAsyncSinksSupport
import Foundation
import Synchronization

/// The pipeline's threads: a pool that runs distribution and sink jobs and fires timers.
///
/// Jobs are per batch, never per record. The pool keeps `coreThreads` threads; when every thread is
/// busy (for example inside a sink that hangs) and work is waiting, it starts another, up to one per
/// sink beyond the core, so a stuck sink can never starve the others. Extra threads retire after a
/// few seconds without work. Timers (the intake tick, batch waits, retry backoff) are kept as one
/// deadline per source; one idle thread at a time waits for the earliest. An idle pool does not poll:
/// with no deadline set, every thread sleeps until woken.
///
/// A worker wakes no other thread for work it is about to do itself: the jobs that a due timer or
/// the end of a job queues (a distribution's sink jobs, for example) are kept for that worker, which
/// takes them one after the other when it returns to the pool (see ``JobQueue``). Jobs still
/// waiting behind one that runs long go to any thread after ``handOffDelay``, so a slow or stuck
/// sink holds the others back by at most that much. The thread keeping time runs a distribution
/// (which never waits on a sink) without handing the timers to another thread first; before a sink
/// job, which may block, it hands them over. Under load this saves thread wake-ups on every intake
/// tick and keeps a second pipeline thread from running beside the first when one is enough: each
/// is a chance for a pipeline thread to preempt one of the application's.
final class WorkerPool: @unchecked Sendable {
    /// A unit of work.
    enum Job: Equatable {
        /// Move records from the intake into the sinks' queues.
        case distribute
        /// Let sink `index` write, flush or close.
        case sink(Int)
    }

    /// How long jobs kept for a worker wait behind the job it is running before any thread may take
    /// them (nanoseconds of the pipeline clock): 1 ms.
    ///
    /// Sink jobs usually take tens of microseconds, so one worker runs a distribution's sink jobs in
    /// turn well within it; a sink that takes longer (a slow network, a hung disk) passes the jobs
    /// behind it on to another thread.
    static let handOffDelay: Int64 = 1_000_000

    /// Numbers the workers of every pool in the process, from 1 (0 means no worker).
    private static let workerNumbers = Atomic<UInt32>(0)

    /// Holds whether the intake tick is armed, read without the lock on the logging path.
    private let flags: HotFlags

    private let lock = ConditionLock()
    private let workAvailable: ConditionLock.Condition
    private let timekeeperWake: ConditionLock.Condition
    private let threadExited: ConditionLock.Condition
    private let tickFinished: ConditionLock.Condition
    private let becameQuiet: ConditionLock.Condition

    private let clock: PipelineClock
    private let coreThreads: Int
    private let maxThreads: Int
    private let idleTicksBeforeParking: Int
    private let retireAfter: Int64 = 5_000_000_000

    private var perform: (@Sendable (Job) -> Void)?
    private var jobs: JobQueue
    private var intakeDeadline: Int64?
    private var pacing: IntakePacing
    private var sinkDeadlines: [Int64?]
    private var emptyTicks = 0
    private var completedTicks = 0

    private var threads = 0
    private var busy = 0
    private var idleWaiters = 0
    private var pendingSignals = 0
    private var timekeeperPresent = false
    private var timekeeperDeadline: Int64?
    private var stopping = false
    private var spawned = 0
    private var wakeUps = 0
    private var quietWaiters = 0

    init(
        coreThreads: Int, sinkCount: Int, clock: PipelineClock, intakeInterval: Duration, minimumIntakeInterval: Duration,
        idleAfter: Duration, flags: HotFlags
    ) {
        self.flags = flags
        self.clock = clock
        self.coreThreads = max(1, coreThreads)
        self.maxThreads = self.coreThreads + sinkCount + 1
        self.pacing = IntakePacing(longest: intakeInterval.nanoseconds, shortest: minimumIntakeInterval.nanoseconds)
        self.idleTicksBeforeParking = max(1, Int(idleAfter.nanoseconds / max(1, intakeInterval.nanoseconds)))
        self.jobs = JobQueue(sinkCount: sinkCount, handOffDelay: Self.handOffDelay)
        self.sinkDeadlines = Array(repeating: nil, count: sinkCount)
        workAvailable = ConditionLock.Condition(lock)
        timekeeperWake = ConditionLock.Condition(lock)
        threadExited = ConditionLock.Condition(lock)
        tickFinished = ConditionLock.Condition(lock)
        becameQuiet = ConditionLock.Condition(lock)
    }

    /// Sets the job handler and starts the core threads. The pool keeps the handler until it stops.
    func start(_ perform: @escaping @Sendable (Job) -> Void) {
        lock.withLock {
            self.perform = perform
            for _ in 0..<coreThreads { spawnLocked() }
        }
        clock.observeAdvances { [weak self] in self?.clockAdvanced() }
    }

    // MARK: Scheduling

    /// Queues a job unless the same job is already queued.
    ///
    /// - Parameters:
    ///   - job: The job.
    ///   - fromJob: Whether a worker queues it at the end of a job; it returns to the pool right
    ///     after and takes the job itself, so no other thread is woken.
    func schedule(_ job: Job, fromJob: Bool = false) {
        let keeper = fromJob ? asyncsinks_thread().pointee.worker : 0
        lock.withLock { enqueueLocked(job, keeper: keeper) }
    }

    /// Makes sink `index` run no later than `deadline` (monotonic nanoseconds of the pipeline clock).
    ///
    /// - Parameters:
    ///   - index: The sink.
    ///   - deadline: When it should run.
    ///   - fromJob: Whether a worker sets it inside a job; it returns to the pool right after and
    ///     keeps the timers itself if no other thread does, so no thread is woken for it.
    func setSinkDeadline(_ index: Int, _ deadline: Int64, fromJob: Bool = false) {
        lock.withLock {
            if let current = sinkDeadlines[index], current <= deadline { return }
            sinkDeadlines[index] = deadline
            timerChangedLocked(deadline, fromJob: fromJob)
        }
    }

    /// Arms the intake tick after the pipeline was idle. Called by a logging thread that found it unarmed.
    func armIntake() {
        lock.withLock {
            guard !flags.intakeArmed.load(ordering: .relaxed), !stopping else { return }
            flags.intakeArmed.store(true, ordering: .relaxed)
            emptyTicks = 0
            let now = clock.monotonicNanoseconds()
            pacing.restart(at: now)
            let deadline = now &+ pacing.interval
            intakeDeadline = deadline
            timerChangedLocked(deadline)
        }
    }

    /// Re-arms the tick after a distribution, paced by the records it moved, or parks it after
    /// enough empty ticks. Called by the worker that ran the distribution, on its way back to the pool.
    ///
    /// - Parameters:
    ///   - movedRecords: How many records the distribution moved.
    ///   - nothingLeft: Checks again after parking that no distribution is needed, to catch a record
    ///     logged, or a batch settled, meanwhile.
    func intakeTickCompleted(movedRecords: Int, nothingLeft: () -> Bool) {
        let parked = lock.withLock { () -> Bool in
            completedTicks += 1
            tickFinished.broadcast()
            if stopping { return false }
            emptyTicks = movedRecords > 0 ? 0 : emptyTicks + 1
            let now = clock.monotonicNanoseconds()
            pacing.distributed(movedRecords, at: now)
            if emptyTicks < idleTicksBeforeParking {
                if intakeDeadline == nil {
                    let deadline = now &+ pacing.interval
                    intakeDeadline = deadline
                    timerChangedLocked(deadline, fromJob: true)
                }
                return false
            }
            flags.intakeArmed.store(false, ordering: .sequentiallyConsistent)
            intakeDeadline = nil
            return true
        }
        if parked, !nothingLeft() { armIntake() }
    }

    /// Queues a job, kept for the calling worker or for a thread woken for it.
    ///
    /// - Parameters:
    ///   - job: The job.
    ///   - keeper: The calling worker's number when it returns to its loop next and takes the job
    ///     there itself (no thread is woken), or 0.
    private func enqueueLocked(_ job: Job, keeper: UInt32 = 0) {
        if jobs.enqueue(job, keeper: keeper) { wakeLocked() }
    }

    /// Takes the next job `worker` may run; lets the timekeeper know when jobs are left waiting
    /// for a hand-off.
    private func takeJobLocked(worker: UInt32, now: Int64) -> Job? {
        let handOffBefore = jobs.handOffDeadline
        let job = jobs.take(worker: worker, now: now)
        if let deadline = jobs.handOffDeadline, deadline != handOffBefore {
            timerChangedLocked(deadline, fromJob: true)
        }
        return job
    }

    /// Wakes an idle thread, or the timekeeper, or starts a thread, for a queued job.
    private func wakeLocked() {
        if idleWaiters > pendingSignals {
            signalIdleThreadLocked()
        } else if timekeeperPresent {
            wakeUps += 1
            timekeeperWake.signal()
        } else if threads < maxThreads, !stopping {
            wakeUps += 1
            spawnLocked()
        }
    }

    private func signalIdleThreadLocked() {
        wakeUps += 1
        pendingSignals += 1
        workAvailable.signal()
    }

    /// Lets the timekeeper know of a new deadline, or finds a thread to keep time.
    ///
    /// - Parameters:
    ///   - deadline: The new deadline.
    ///   - fromJob: Whether the caller is a worker inside a job, which becomes the timekeeper itself
    ///     when it returns to the pool and finds no timekeeper.
    private func timerChangedLocked(_ deadline: Int64, fromJob: Bool = false) {
        if timekeeperPresent {
            if let current = timekeeperDeadline, current <= deadline { return }
            timekeeperWake.signal()
        } else if !fromJob {
            wakeLocked()
        }
    }

    private func clockAdvanced() {
        lock.withLock {
            if timekeeperPresent {
                timekeeperWake.signal()
            } else if idleWaiters > pendingSignals {
                pendingSignals += 1
                workAvailable.signal()
            }
        }
    }

    /// Queues the jobs of due timers for `worker`, which calls this in its loop and takes them
    /// itself, and frees kept jobs whose hand-off deadline passed.
    ///
    /// - Returns: The time it compared the deadlines with.
    private func fireDueTimersLocked(worker: UInt32) -> Int64 {
        let now = clock.monotonicNanoseconds()
        jobs.handOffIfDue(now: now)
        if let deadline = intakeDeadline, deadline <= now {
            intakeDeadline = nil
            enqueueLocked(.distribute, keeper: worker)
        }
        for index in sinkDeadlines.indices {
            if let deadline = sinkDeadlines[index], deadline <= now {
                sinkDeadlines[index] = nil
                enqueueLocked(.sink(index), keeper: worker)
            }
        }
        return now
    }

    /// Before a sink job, which may block: makes sure another thread keeps the timers meanwhile,
    /// waking an idle one or, when none is idle, starting one. A thread already woken keeps them
    /// when it finds no job it may take, and hands them on itself before a sink job of its own.
    private func ensureTimekeeperLocked() {
        guard !timekeeperPresent, pendingSignals == 0, earliestDeadlineLocked != nil, !stopping else { return }
        if idleWaiters > 0 {
            signalIdleThreadLocked()
        } else if threads < maxThreads {
            wakeUps += 1
            spawnLocked()
        }
    }

    private var earliestDeadlineLocked: Int64? {
        var earliest = intakeDeadline
        func consider(_ deadline: Int64?) {
            if let deadline, earliest.map({ deadline < $0 }) ?? true { earliest = deadline }
        }
        consider(jobs.handOffDeadline)
        for deadline in sinkDeadlines { consider(deadline) }
        return earliest
    }

    // MARK: Threads

    private func spawnLocked() {
        threads += 1
        spawned += 1
        let number = Self.workerNumbers.wrappingAdd(1, ordering: .relaxed).newValue
        let worker = number != 0 ? number : Self.workerNumbers.wrappingAdd(1, ordering: .relaxed).newValue
        let thread = Thread { [self] in self.workerLoop(worker) }
        thread.name = "asyncsinks-worker-\(spawned)"
        thread.start()
    }

    private func workerLoop(_ worker: UInt32) {
        asyncsinks_set_thread_role(1)
        asyncsinks_thread().pointee.worker = worker
        lock.lock()
        while true {
            let now = fireDueTimersLocked(worker: worker)
            if let job = takeJobLocked(worker: worker, now: now) {
                // Before a sink job, which may block, another thread keeps the timers.
                if case .sink = job { ensureTimekeeperLocked() }
                busy += 1
                let perform = self.perform
                lock.unlock()
                perform?(job)
                lock.lock()
                busy -= 1
                if busy == 0, quietWaiters > 0 { becameQuiet.broadcast() }
                continue
            }
            if stopping { break }
            let isExtra = threads > coreThreads
            if !timekeeperPresent {
                timekeeperPresent = true
                let deadline = earliestDeadlineLocked
                timekeeperDeadline = deadline
                var timedOut = false
                if let deadline, clock.isSystem {
                    let remaining = deadline &- clock.monotonicNanoseconds()
                    if remaining > 0 { timekeeperWake.wait(nanoseconds: remaining) }
                } else if isExtra {
                    timedOut = !timekeeperWake.wait(nanoseconds: retireAfter)
                } else {
                    timekeeperWake.wait()
                }
                timekeeperPresent = false
                timekeeperDeadline = nil
                if timedOut, jobs.isEmpty, threads > coreThreads { break }
            } else {
                idleWaiters += 1
                let signalled = isExtra ? workAvailable.wait(nanoseconds: retireAfter) : { workAvailable.wait(); return true }()
                idleWaiters -= 1
                pendingSignals = max(0, pendingSignals - 1)
                if !signalled, jobs.isEmpty, threads > coreThreads { break }
            }
        }
        threads -= 1
        if threads == 0 { perform = nil }
        threadExited.broadcast()
        lock.unlock()
    }

    /// Stops the pool: idle threads exit at once, busy ones after their job.
    ///
    /// - Parameter deadline: Real monotonic nanoseconds after which to stop waiting.
    /// - Returns: The threads still running a job at the deadline (stuck in a sink).
    @discardableResult
    func stop(deadline: Int64) -> Int {
        lock.withLock {
            stopping = true
            flags.intakeArmed.store(true, ordering: .relaxed)
            intakeDeadline = nil
            workAvailable.broadcast()
            timekeeperWake.broadcast()
            while threads > busy {
                let remaining = deadline - realMonotonicNanoseconds()
                if remaining <= 0 { break }
                threadExited.wait(nanoseconds: remaining)
                workAvailable.broadcast()
                timekeeperWake.broadcast()
            }
            return threads
        }
    }

    /// Whether the pool is fully idle: the intake tick parked and no timer set, so no thread wakes
    /// until a record arrives.
    var isParked: Bool {
        lock.withLock {
            !flags.intakeArmed.load(ordering: .relaxed) && intakeDeadline == nil && sinkDeadlines.allSatisfy { $0 == nil }
        }
    }

    /// When the intake tick fires next (monotonic nanoseconds of the pipeline clock), or `nil` when
    /// it is parked or firing (for tests).
    var intakeTickDeadline: Int64? {
        lock.withLock { intakeDeadline }
    }

    /// Waits until `count` distributions have completed since the pool started (for tests).
    func waitForDistributions(_ count: Int, timeout: Duration) -> Bool {
        let deadline = realMonotonicNanoseconds() &+ timeout.nanoseconds
        return lock.withLock {
            tickFinished.wait(untilRealTime: deadline) { completedTicks < count }
        }
    }

    /// Waits until no job is queued or running (for tests).
    func waitUntilQuiet(timeout: Duration) -> Bool {
        let deadline = realMonotonicNanoseconds() &+ timeout.nanoseconds
        return lock.withLock {
            quietWaiters += 1
            defer { quietWaiters -= 1 }
            return becameQuiet.wait(untilRealTime: deadline) { busy > 0 || !jobs.isEmpty }
        }
    }

    /// How often the pool woke or started a thread for a job or to keep the timers (for tests).
    var threadWakeUps: Int {
        lock.withLock { wakeUps }
    }

    /// Threads currently alive.
    var liveThreads: Int {
        lock.withLock { threads }
    }

    /// Waits until every thread has exited or the deadline passed.
    ///
    /// - Parameter deadline: Real monotonic nanoseconds.
    /// - Returns: Whether every thread exited.
    func waitForExit(deadline: Int64) -> Bool {
        lock.withLock {
            threadExited.wait(untilRealTime: deadline) { threads > 0 }
        }
    }
}
