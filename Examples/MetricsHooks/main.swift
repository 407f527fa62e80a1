// asyncsinks-example-metrics: export what the pipeline does through its hooks, with no metrics
// library: counters per sink (written, dropped by reason, failed, retries) and the write latency,
// printed in the Prometheus text format at exit. The hooks' counters are checked against the
// pipeline's own statistics; the example exits 1 if they disagree.
import AsyncSinks
import Foundation
import SinkConsole
import Synchronization

/// A duration in whole microseconds.
func microseconds(_ duration: Duration) -> Int {
    let (seconds, attoseconds) = duration.components
    return Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000)
}

/// Counters fed by the pipeline's hooks. Hooks run on pipeline threads: keep them short.
final class HookCounters: Sendable {
    private let values = Mutex<[String: Int]>([:])

    func add(_ name: String, _ labels: String, _ amount: Int) {
        values.withLock { $0["\(name){\(labels)}", default: 0] += amount }
    }

    func value(_ name: String, _ labels: String) -> Int {
        values.withLock { $0["\(name){\(labels)}"] ?? 0 }
    }

    /// The counters in the Prometheus text format, sorted.
    var exposition: String {
        values.withLock { $0 }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "\n")
    }

    /// Hooks that count into these counters.
    var hooks: PipelineHooks {
        PipelineHooks(
            dropped: { event in
                self.add("asyncsinks_records_dropped_total", "sink=\"\(event.sink)\",reason=\"\(event.reason)\"", event.count)
            },
            batchWritten: { event in
                self.add("asyncsinks_records_written_total", "sink=\"\(event.sink)\"", event.count)
                self.add("asyncsinks_batches_written_total", "sink=\"\(event.sink)\"", 1)
                self.add("asyncsinks_batch_write_microseconds_sum", "sink=\"\(event.sink)\"", microseconds(event.duration))
            },
            batchFailed: { event in
                self.add("asyncsinks_records_failed_total", "sink=\"\(event.sink)\"", event.count)
            },
            retryScheduled: { event in
                self.add("asyncsinks_retries_total", "sink=\"\(event.sink)\"", 1)
            }
        )
    }
}

/// A stand-in for a remote destination: every third batch fails once with a retryable error, and
/// records marked `oversized` are dropped by the sink with its own reason.
final class FlakyRemoteSink: LogSink {
    private let calls = Mutex(0)

    func write(_ batch: inout LogBatch) throws {
        let call = calls.withLock { calls -> Int in
            calls += 1
            return calls
        }
        if call % 3 == 0, batch.attempt == 1 { throw LogSinkError.retryable("connection reset by peer") }
        for (index, record) in batch.records.enumerated() where record.fields[key: "oversized"] == .bool(true) {
            batch.drop(index, reason: DropReason("too_large"))
        }
    }

    func flush() throws {}
    func close() throws {}
}

let counters = HookCounters()
let pipeline = try LogPipeline(
    configuration: PipelineConfiguration(hooks: counters.hooks),
    sinks: [
        SinkRegistration(
            "console",
            sink: ConsoleSink(configuration: ConsoleSink.Configuration(stream: .standardOutput)),
            configuration: SinkConfiguration(minimumLevel: .error)
        ),
        SinkRegistration(
            "remote",
            sink: FlakyRemoteSink(),
            configuration: SinkConfiguration(
                batching: BatchingPolicy(maxEntries: 100, maxWait: .milliseconds(5)),
                retry: RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(5))
            )
        ),
    ]
)

let logger = pipeline.logger(label: "orders")
for order in 0..<2_000 {
    logger.info("order stored", ["order": .int(Int64(order)), "oversized": .bool(order % 250 == 0)])
    if order % 500 == 499 { logger.error("payment provider slow", ["order": .int(Int64(order))]) }
}

let report = pipeline.close(timeout: .seconds(10))
print(counters.exposition)

// The hooks saw exactly what the pipeline counted.
var consistent = report.completedInTime
for sink in report.sinks {
    let labels = "sink=\"\(sink.name)\""
    consistent = consistent && counters.value("asyncsinks_records_written_total", labels) == sink.written
        && counters.value("asyncsinks_records_failed_total", labels) == sink.failed
        && counters.value("asyncsinks_retries_total", labels) == sink.retries
        && sink.dropped.allSatisfy { reason, count in
            counters.value("asyncsinks_records_dropped_total", "\(labels),reason=\"\(reason)\"") == count
        }
        && sink.isBalanced && sink.pending == 0
}
print(report)
if !consistent {
    print("the hook counters disagree with the pipeline's statistics")
    exit(1)
}
