import AsyncSinks
import Foundation
import Synchronization
import Testing

/// Many producer threads at once: per-thread order, and the accounting invariant under load.
@Suite struct ConcurrencyTests {
    /// Runs `body(thread)` on `count` threads at once and waits for all of them.
    func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for thread in 0..<count {
            group.enter()
            Thread {
                body(thread)
                group.leave()
            }.start()
        }
        group.wait()
    }

    @Test func recordsFromOneThreadArriveInOrder() throws {
        let sink = RecordingSink()
        let pipeline = try LogPipeline(
            configuration: PipelineConfiguration(intakeShards: 4, intakeShardCapacity: 256),
            sinks: [SinkRegistration("sink", sink: sink, configuration: SinkConfiguration(
                queue: QueueLimits(maxRecords: 512), backpressure: .block, batching: BatchingPolicy(maxEntries: 100)
            ))]
        )
        let perThread = 2_000
        onThreads(8) { thread in
            let logger = pipeline.logger(label: "t\(thread)")
            for sequence in 0..<perThread { logger.info("\(thread):\(sequence)") }
        }
        let report = pipeline.close(timeout: .seconds(30))
        #expect(report.completedInTime)
        var next = Array(repeating: 0, count: 8)
        var outOfOrder = 0
        for message in sink.messages {
            let parts = message.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2 else { continue }
            if parts[1] != next[parts[0]] { outOfOrder += 1 }
            next[parts[0]] = parts[1] + 1
        }
        #expect(outOfOrder == 0)
        #expect(next == Array(repeating: perThread, count: 8))
        #expect(report.sinks[0].written == 8 * perThread)
    }

    @Test func accountingBalancesInEverySnapshotUnderLoadWithAFailingSink() throws {
        let flaky = RecordingSink { batch, call in
            switch call % 4 {
            case 0: throw LogSinkError.permanent("rejected")
            case 1: throw LogSinkError.retryable("busy")
            case 2:
                if !batch.records.isEmpty { batch.drop(0, reason: DropReason("sink_policy")) }
            default: break
            }
        }
        let steady = RecordingSink()
        let pipeline = try LogPipeline(
            configuration: PipelineConfiguration(intakeShardCapacity: 512),
            sinks: [
                SinkRegistration("flaky", sink: flaky, configuration: SinkConfiguration(
                    queue: QueueLimits(maxRecords: 64), backpressure: .dropOldest,
                    batching: BatchingPolicy(maxEntries: 16, maxWait: .milliseconds(1)),
                    retry: RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(2))
                )),
                SinkRegistration("steady", sink: steady, configuration: SinkConfiguration(backpressure: .block)),
            ]
        )
        let producing = Mutex(true)
        let unbalanced = Mutex(0)
        let snapshots = Mutex(0)
        let observer = Thread {
            while producing.withLock({ $0 }) {
                for stats in pipeline.stats() where !stats.isBalanced { unbalanced.withLock { $0 += 1 } }
                snapshots.withLock { $0 += 1 }
            }
        }
        observer.start()
        let perThread = 5_000
        onThreads(4) { thread in
            let logger = pipeline.logger(label: "load")
            for sequence in 0..<perThread { logger.info("m", ["thread": .int(Int64(thread)), "seq": .int(Int64(sequence))]) }
        }
        let report = pipeline.close(timeout: .seconds(30))
        producing.withLock { $0 = false }
        #expect(unbalanced.withLock { $0 } == 0)
        #expect(snapshots.withLock { $0 } > 0)
        for stats in report.sinks {
            #expect(stats.isBalanced, "\(stats)")
            #expect(stats.pending == 0)
            #expect(stats.accepted == 4 * perThread)
        }
        let flakyStats = report.sinks[0]
        #expect(flakyStats.failed > 0 && flakyStats.written > 0 && flakyStats.retries > 0)
        #expect(report.sinks[1].written == 4 * perThread)
        #expect(steady.messages.count == 4 * perThread)
    }
}
