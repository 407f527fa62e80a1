/// The worker pool's queued jobs, each at most once, and which threads may take them.
///
/// A job that a worker queues for itself (a distribution's sink jobs, a timer it fired) is kept
/// for that worker, which takes it on its way back to the pool: no other thread is woken, and a
/// thread woken for something else (to keep the timers) leaves it alone. While a kept job waits
/// behind the job its worker is running, a hand-off deadline runs; when it passes, every kept job
/// becomes free for any thread, so a sink that blocks holds the others back by at most the delay.
/// A distribution is taken before sink jobs: it never blocks and it is what brings them records.
struct JobQueue {
    private struct Entry {
        var job: WorkerPool.Job
        /// The number of the worker that takes the job, or 0 when any thread may.
        var keeper: UInt32
    }

    /// How long kept jobs wait behind a running job before any thread may take them (nanoseconds).
    let handOffDelay: Int64
    /// When the kept jobs become free for any thread; set while one waits behind a running job.
    private(set) var handOffDeadline: Int64?
    /// At most one entry per job.
    private var entries: [Entry] = []

    /// Creates an empty queue.
    ///
    /// - Parameters:
    ///   - sinkCount: The sinks, which bound the jobs (one per sink, and one distribution).
    ///   - handOffDelay: How long kept jobs wait behind a running job, in nanoseconds.
    init(sinkCount: Int, handOffDelay: Int64) {
        self.handOffDelay = handOffDelay
        entries.reserveCapacity(sinkCount + 1)
    }

    /// Whether no job is queued.
    var isEmpty: Bool { entries.isEmpty }

    /// Queues `job`, kept for `keeper` or free for any thread.
    ///
    /// A job that is already queued is not queued again; if it was kept for a worker, a free request
    /// frees it, since whoever asks for it now wants it done without waiting.
    ///
    /// - Parameters:
    ///   - job: The job.
    ///   - keeper: The number of the worker that queues the job for itself, or 0.
    /// - Returns: Whether a thread should be woken for the job.
    mutating func enqueue(_ job: WorkerPool.Job, keeper: UInt32) -> Bool {
        if let position = entries.firstIndex(where: { $0.job == job }) {
            guard keeper == 0, entries[position].keeper != 0 else { return false }
            entries[position].keeper = 0
            return true
        }
        entries.append(Entry(job: job, keeper: keeper))
        return keeper == 0
    }

    /// Takes the next job `worker` may run: a distribution first, then the oldest sink job. Starts
    /// the hand-off deadline when kept jobs are left waiting, and clears it when none are.
    ///
    /// - Parameters:
    ///   - worker: The taking worker's number.
    ///   - now: Monotonic nanoseconds.
    /// - Returns: The job, or `nil` when every queued job is kept for another worker.
    mutating func take(worker: UInt32, now: Int64) -> WorkerPool.Job? {
        func mayTake(_ entry: Entry) -> Bool { entry.keeper == 0 || entry.keeper == worker }
        guard let position = entries.firstIndex(where: { $0.job == .distribute && mayTake($0) })
            ?? entries.firstIndex(where: mayTake)
        else { return nil }
        let job = entries.remove(at: position).job
        if !entries.contains(where: { $0.keeper != 0 }) {
            handOffDeadline = nil
        } else if handOffDeadline == nil {
            handOffDeadline = now &+ handOffDelay
        }
        return job
    }

    /// Frees every kept job for any thread if the hand-off deadline passed.
    ///
    /// - Parameter now: Monotonic nanoseconds.
    mutating func handOffIfDue(now: Int64) {
        guard let deadline = handOffDeadline, deadline <= now else { return }
        handOffDeadline = nil
        for position in entries.indices { entries[position].keeper = 0 }
    }
}
