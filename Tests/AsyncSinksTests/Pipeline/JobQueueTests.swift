@testable import AsyncSinks
import Testing

/// Which thread takes which job, and when kept jobs are handed off, without any thread.
@Suite struct JobQueueTests {
    static let delay: Int64 = 1_000_000
    let worker: UInt32 = 7
    let other: UInt32 = 9

    /// A queue that expectations can change: it sits behind a reference.
    final class Jobs {
        var queue = JobQueue(sinkCount: 3, handOffDelay: JobQueueTests.delay)

        func enqueue(_ job: WorkerPool.Job, keeper: UInt32) -> Bool { queue.enqueue(job, keeper: keeper) }
        func take(by worker: UInt32, at now: Int64 = 0) -> WorkerPool.Job? { queue.take(worker: worker, now: now) }
    }

    @Test func jobsAWorkerQueuesForItselfWakeNoOneAndAreItsAlone() {
        let jobs = Jobs()
        #expect(!jobs.enqueue(.sink(0), keeper: worker))
        #expect(!jobs.enqueue(.sink(1), keeper: worker))
        // A thread woken for something else (to keep the timers) finds nothing it may take.
        #expect(jobs.take(by: other) == nil)
        #expect(jobs.take(by: worker) == .sink(0))
        #expect(jobs.take(by: worker, at: 10) == .sink(1))
        #expect(jobs.queue.isEmpty)
        #expect(jobs.queue.handOffDeadline == nil)
    }

    @Test func aJobQueuedFreelyWakesAThreadAndAnyOneMayTakeIt() {
        let jobs = Jobs()
        #expect(jobs.enqueue(.sink(2), keeper: 0))
        #expect(jobs.take(by: other) == .sink(2))
        #expect(jobs.queue.isEmpty)
    }

    @Test func eachJobIsQueuedOnce() {
        let jobs = Jobs()
        #expect(jobs.enqueue(.distribute, keeper: 0))
        #expect(!jobs.enqueue(.distribute, keeper: 0))
        #expect(!jobs.enqueue(.distribute, keeper: worker))
        #expect(jobs.take(by: worker) == .distribute)
        #expect(jobs.take(by: worker) == nil)
    }

    @Test func keptJobsWaitingBehindARunningJobGoToAnyThreadAtTheHandOffDeadline() {
        let jobs = Jobs()
        for sink in 0..<3 { #expect(!jobs.enqueue(.sink(sink), keeper: worker)) }
        #expect(jobs.take(by: worker, at: 1_000) == .sink(0))
        let deadline = 1_000 + Self.delay
        #expect(jobs.queue.handOffDeadline == deadline)
        // Taking the next one does not move the deadline: it bounds the wait since the first.
        #expect(jobs.take(by: worker, at: 2_000) == .sink(1))
        #expect(jobs.queue.handOffDeadline == deadline)
        jobs.queue.handOffIfDue(now: deadline - 1)
        #expect(jobs.take(by: other, at: deadline - 1) == nil)
        jobs.queue.handOffIfDue(now: deadline)
        #expect(jobs.queue.handOffDeadline == nil)
        #expect(jobs.take(by: other, at: deadline) == .sink(2))
    }

    @Test func theDeadlineRunsOnlyWhileAKeptJobWaits() {
        let jobs = Jobs()
        _ = jobs.enqueue(.sink(0), keeper: worker)
        _ = jobs.enqueue(.sink(1), keeper: worker)
        _ = jobs.take(by: worker)
        #expect(jobs.queue.handOffDeadline != nil)
        _ = jobs.take(by: worker, at: 5)
        #expect(jobs.queue.handOffDeadline == nil)
        // A kept job alone is taken by its worker at once, but a thread taking a free job ahead
        // of it starts the deadline.
        _ = jobs.enqueue(.sink(2), keeper: worker)
        _ = jobs.enqueue(.sink(0), keeper: 0)
        #expect(jobs.take(by: other, at: 10) == .sink(0))
        #expect(jobs.queue.handOffDeadline == 10 + Self.delay)
    }

    @Test func aFreeRequestForAKeptJobFreesItAndWakesAThread() {
        let jobs = Jobs()
        #expect(!jobs.enqueue(.distribute, keeper: worker))
        // A logging thread's shard reached its high-water mark while the job was kept.
        #expect(jobs.enqueue(.distribute, keeper: 0))
        #expect(jobs.take(by: other) == .distribute)
        #expect(jobs.queue.isEmpty)
    }

    @Test func aDistributionIsTakenBeforeOlderSinkJobs() {
        let jobs = Jobs()
        _ = jobs.enqueue(.sink(1), keeper: 0)
        _ = jobs.enqueue(.sink(0), keeper: worker)
        _ = jobs.enqueue(.distribute, keeper: worker)
        #expect(jobs.take(by: worker) == .distribute)
        #expect(jobs.take(by: worker) == .sink(1))
        #expect(jobs.take(by: worker) == .sink(0))
        // Another worker's distribution is not taken ahead of a job this one may run.
        _ = jobs.enqueue(.sink(2), keeper: 0)
        _ = jobs.enqueue(.distribute, keeper: other)
        #expect(jobs.take(by: worker) == .sink(2))
        #expect(jobs.take(by: worker) == nil)
    }
}
