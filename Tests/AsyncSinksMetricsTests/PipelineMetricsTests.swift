#if SwiftMetrics
import AsyncSinks
import AsyncSinksMetrics
import CoreMetrics
import MetricsTestKit
import Synchronization
import Testing

/// A sink scripted by message: `drop…` is dropped as too old, `fail…` fails for good, the rest is written.
private final class PickySink: LogSink {
    func write(_ batch: inout LogBatch) throws {
        for (index, record) in batch.records.enumerated() {
            if record.message.hasPrefix("drop") {
                batch.drop(index, reason: DropReason("too_old"))
            } else if record.message.hasPrefix("fail") {
                batch.fail(index, error: .permanent("refused"))
            }
        }
    }

    func flush() throws {}
    func close() throws {}
}

/// A sink whose first write fails with a retryable error.
private final class FlakySink: LogSink {
    private let calls = Mutex(0)

    func write(_ batch: inout LogBatch) throws {
        let call = calls.withLock { calls -> Int in
            calls += 1
            return calls
        }
        if call == 1 { throw LogSinkError.retryable("connection reset") }
    }

    func flush() throws {}
    func close() throws {}
}

private final class NullSink: LogSink {
    func write(_ batch: inout LogBatch) throws {}
    func flush() throws {}
    func close() throws {}
}

@Suite("PipelineMetrics")
struct PipelineMetricsTests {
    private let retry = RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(1), jitter: false)

    @Test("Hooks export written, dropped by reason, failed, retries and write durations per sink")
    func hooksExportCounters() throws {
        let factory = TestMetrics()
        let metrics = PipelineMetrics(configuration: .init(factory: factory))
        let userWrites = Mutex(0)
        let userHooks = PipelineHooks(batchWritten: { event in userWrites.withLock { $0 += event.count } })
        let pipeline = try LogPipeline(
            configuration: PipelineConfiguration(hooks: metrics.hooks(composedWith: userHooks)),
            sinks: [
                SinkRegistration("ok", sink: NullSink()),
                SinkRegistration("picky", sink: PickySink()),
                SinkRegistration("flaky", sink: FlakySink(), configuration: SinkConfiguration(retry: retry)),
            ]
        )
        let logger = pipeline.logger(label: "test")
        logger.info("a")
        logger.info("drop me")
        logger.info("fail me")
        let report = pipeline.close(timeout: .seconds(30))
        #expect(report.completedInTime)

        #expect(factory.counterTotal(label: "asyncsinks_records_written_total", dimensions: [("sink", "ok")]) == 3)
        #expect(factory.counterTotal(label: "asyncsinks_records_written_total", dimensions: [("sink", "picky")]) == 1)
        #expect(factory.counterTotal(label: "asyncsinks_records_written_total", dimensions: [("sink", "flaky")]) == 3)
        #expect(
            factory.counterTotal(
                label: "asyncsinks_records_dropped_total", dimensions: [("sink", "picky"), ("reason", "too_old")]
            ) == 1
        )
        #expect(factory.counterTotal(label: "asyncsinks_records_failed_total", dimensions: [("sink", "picky")]) == 1)
        #expect(factory.counterTotal(label: "asyncsinks_retries_total", dimensions: [("sink", "flaky")]) == 1)
        #expect(factory.counterTotal(label: "asyncsinks_retries_total", dimensions: [("sink", "ok")]) == 0)
        let timer = try factory.expectTimer("asyncsinks_batch_write_duration_seconds", [("sink", "ok")])
        #expect(!timer.values.isEmpty)
        #expect(timer.values.allSatisfy { $0 >= 0 })
        #expect(userWrites.withLock { $0 } == 7)
    }

    @Test("Updates set the pending gauges and advance the accepted counters by the difference")
    func updatesFromSnapshots() throws {
        let factory = TestMetrics()
        let metrics = PipelineMetrics(configuration: .init(prefix: "app_logs", dimensions: [("service", "shop")], factory: factory))
        let pipeline = try LogPipeline(sinks: [
            SinkRegistration("all", sink: NullSink()),
            SinkRegistration("errors", sink: NullSink(), configuration: SinkConfiguration(minimumLevel: .error)),
        ])
        let logger = pipeline.logger(label: "test")
        logger.info("one")
        logger.error("two")
        _ = pipeline.close(timeout: .seconds(30))
        metrics.update(from: pipeline)
        metrics.update(from: pipeline)   // the same snapshot again adds nothing

        let all = [("sink", "all"), ("service", "shop")]
        let errors = [("sink", "errors"), ("service", "shop")]
        #expect(factory.counterTotal(label: "app_logs_records_accepted_total", dimensions: all) == 2)
        #expect(factory.counterTotal(label: "app_logs_records_accepted_total", dimensions: errors) == 1)
        #expect(try factory.expectGauge("app_logs_records_pending", all).lastValue == 0)
        #expect(try factory.expectGauge("app_logs_records_in_flight", errors).lastValue == 0)

    }

    @Test("The accepted counter follows the pipeline between updates")
    func acceptedFollowsThePipeline() throws {
        let factory = TestMetrics()
        let metrics = PipelineMetrics(configuration: .init(factory: factory))
        let pipeline = try LogPipeline(sinks: [SinkRegistration("all", sink: NullSink())])
        let logger = pipeline.logger(label: "test")
        logger.info("one")
        #expect(pipeline.flush(timeout: .seconds(30)).completed)
        metrics.update(from: pipeline)
        #expect(factory.counterTotal(label: "asyncsinks_records_accepted_total", dimensions: [("sink", "all")]) == 1)
        logger.info("two")
        logger.info("three")
        #expect(pipeline.flush(timeout: .seconds(30)).completed)
        metrics.update(from: pipeline)
        #expect(factory.counterTotal(label: "asyncsinks_records_accepted_total", dimensions: [("sink", "all")]) == 3)
        _ = pipeline.close(timeout: .seconds(30))
    }

    @Test("The periodic updater stops when its task is cancelled, after a last update")
    func periodicUpdates() async throws {
        let factory = TestMetrics()
        let metrics = PipelineMetrics(configuration: .init(factory: factory))
        let pipeline = try LogPipeline(sinks: [SinkRegistration("all", sink: NullSink())])
        pipeline.logger(label: "test").info("one")
        _ = pipeline.close(timeout: .seconds(30))
        let task = Task { await metrics.run(pipeline: pipeline, interval: .seconds(3600)) }
        task.cancel()
        await task.value
        #expect(factory.counterTotal(label: "asyncsinks_records_accepted_total", dimensions: [("sink", "all")]) == 1)
        #expect(try factory.expectGauge("asyncsinks_records_pending", [("sink", "all")]).lastValue == 0)
    }

    @Test("Labels carry the prefix")
    func labels() {
        #expect(PipelineMetrics(configuration: .init(factory: TestMetrics())).label("retries_total") == "asyncsinks_retries_total")
        #expect(PipelineMetrics(configuration: .init(prefix: "", factory: TestMetrics())).label("retries_total") == "retries_total")
    }
}
#endif
