#if SwiftMetrics
public import AsyncSinks
import CoreMetrics
import Synchronization

/// Exports what a ``AsyncSinks/LogPipeline`` does as swift-metrics counters, gauges and timers.
///
/// Pass ``hooks(composedWith:)`` as the pipeline's hooks, then refresh the gauges with ``update(from:)``
/// (explicitly, for example before a scrape) or keep them fresh with ``run(pipeline:interval:)``:
///
/// ```swift
/// let metrics = PipelineMetrics()
/// let pipeline = try LogPipeline(
///     configuration: PipelineConfiguration(hooks: metrics.hooks()),
///     sinks: [SinkRegistration("file", sink: fileSink)]
/// )
/// let updates = Task { await metrics.run(pipeline: pipeline, interval: .seconds(10)) }
/// ```
///
/// ## Metrics
/// Every metric has the dimension `sink` (the sink's registration name), followed by the configured
/// ``Configuration/dimensions``. With the default prefix:
///
/// | Label | Type | Extra dimensions | Source |
/// |---|---|---|---|
/// | `asyncsinks_records_written_total` | counter | | batch-written hook |
/// | `asyncsinks_bytes_written_total` | counter | | batch-written hook |
/// | `asyncsinks_records_dropped_total` | counter | `reason` (`queue_full`, `evicted`, `timeout`, `closed`, `shutdown`, `too_large`, or the sink's own) | dropped hook |
/// | `asyncsinks_records_failed_total` | counter | | batch-failed hook |
/// | `asyncsinks_retries_total` | counter | | retry-scheduled hook |
/// | `asyncsinks_batch_write_duration_seconds` | timer | | batch-written hook |
/// | `asyncsinks_records_accepted_total` | counter | | ``update(from:)`` (difference between snapshots) |
/// | `asyncsinks_records_pending` | gauge | | ``update(from:)`` |
/// | `asyncsinks_records_in_flight` | gauge | | ``update(from:)`` |
///
/// For example `asyncsinks_records_written_total{sink="file"}` and
/// `asyncsinks_records_dropped_total{sink="loki",reason="queue_full"}`.
///
/// The hook-based counters count in real time, per pipeline step. Like the hooks, they do not count
/// records that a hook itself logged into the pipeline; the pipeline's ``AsyncSinks/SinkStats`` do.
/// The accepted counter is advanced from snapshots, so it is exact but only as fresh as the last
/// update.
public final class PipelineMetrics: Sendable {
    /// The configuration, as given.
    public let configuration: Configuration

    private let factory: any MetricsFactory
    private let instruments = Mutex<Instruments>(Instruments())

    /// Metric objects created so far, and the accepted counts of the last snapshot.
    private struct Instruments: ~Copyable {
        var counters: [Key: Counter] = [:]
        var gauges: [Key: Gauge] = [:]
        var timers: [String: CoreMetrics.Timer] = [:]
        var lastAccepted: [String: Int] = [:]
    }

    private struct Key: Hashable {
        var name: String
        var sink: String
        var reason: String?
    }

    /// Creates the exporter; metrics are created on first use.
    ///
    /// - Parameter configuration: Names, extra dimensions and factory.
    public init(configuration: Configuration = .default) {
        self.configuration = configuration
        self.factory = configuration.factory ?? MetricsSystem.factory
    }

    /// The full label of the metric `name` (`<prefix>_<name>`).
    ///
    /// - Parameter name: The metric's name without the prefix, for example `records_written_total`.
    /// - Returns: The label.
    public func label(_ name: String) -> String {
        configuration.prefix.isEmpty ? name : configuration.prefix + "_" + name
    }

    // MARK: Hooks

    /// Returns pipeline hooks that export the metrics, calling `hooks` as well.
    ///
    /// Each user hook runs after the metric is recorded, on the same thread.
    ///
    /// - Parameter hooks: Hooks of your own to keep. Default: none.
    /// - Returns: Hooks to put in ``AsyncSinks/PipelineConfiguration/hooks``.
    public func hooks(composedWith hooks: PipelineHooks = .none) -> PipelineHooks {
        PipelineHooks(
            buffered: hooks.buffered,
            dropped: { [self] event in
                record(dropped: event)
                hooks.dropped?(event)
            },
            batchWritten: { [self] event in
                record(batchWritten: event)
                hooks.batchWritten?(event)
            },
            batchFailed: { [self] event in
                record(batchFailed: event)
                hooks.batchFailed?(event)
            },
            retryScheduled: { [self] event in
                record(retryScheduled: event)
                hooks.retryScheduled?(event)
            },
            flushCompleted: hooks.flushCompleted
        )
    }

    /// Counts dropped records.
    ///
    /// - Parameter event: The pipeline's event.
    public func record(dropped event: DroppedEvent) {
        counter("records_dropped_total", sink: event.sink, reason: event.reason.name).increment(by: event.count)
    }

    /// Counts written records and bytes, and records the write's duration.
    ///
    /// - Parameter event: The pipeline's event.
    public func record(batchWritten event: BatchWrittenEvent) {
        counter("records_written_total", sink: event.sink).increment(by: event.count)
        counter("bytes_written_total", sink: event.sink).increment(by: max(0, event.bytes))
        let components = event.duration.components
        let nanoseconds = components.seconds &* 1_000_000_000 &+ components.attoseconds / 1_000_000_000
        timer(sink: event.sink).recordNanoseconds(max(0, nanoseconds))
    }

    /// Counts records that failed for good.
    ///
    /// - Parameter event: The pipeline's event.
    public func record(batchFailed event: BatchFailedEvent) {
        counter("records_failed_total", sink: event.sink).increment(by: event.count)
    }

    /// Counts a scheduled retry.
    ///
    /// - Parameter event: The pipeline's event.
    public func record(retryScheduled event: RetryScheduledEvent) {
        counter("retries_total", sink: event.sink).increment()
    }

    // MARK: Snapshots

    /// Sets the gauges and advances the accepted counters from a snapshot of the sinks' counters.
    ///
    /// - Parameter stats: The snapshot, from ``AsyncSinks/LogPipeline/stats()``.
    public func update(from stats: [SinkStats]) {
        for sink in stats {
            let previous = instruments.withLock { state -> Int in
                let previous = state.lastAccepted[sink.name] ?? 0
                state.lastAccepted[sink.name] = max(previous, sink.accepted)
                return previous
            }
            if sink.accepted > previous {
                counter("records_accepted_total", sink: sink.name).increment(by: sink.accepted - previous)
            }
            gauge("records_pending", sink: sink.name).record(sink.pending)
            gauge("records_in_flight", sink: sink.name).record(sink.inFlight)
        }
    }

    /// Updates from the pipeline's current counters.
    ///
    /// - Parameter pipeline: The pipeline.
    public func update(from pipeline: LogPipeline) {
        update(from: pipeline.stats())
    }

    /// Updates from the pipeline every `interval` until the task is cancelled, then once more.
    ///
    /// - Parameters:
    ///   - pipeline: The pipeline.
    ///   - interval: The time between updates. Default: 10 seconds.
    public func run(pipeline: LogPipeline, interval: Duration = .seconds(10)) async {
        while !Task.isCancelled {
            update(from: pipeline)
            do {
                try await Task.sleep(for: interval)
            } catch {
                break
            }
        }
        update(from: pipeline)
    }

    // MARK: Instruments

    private func dimensions(sink: String, reason: String?) -> [(String, String)] {
        var dimensions = [("sink", sink)]
        if let reason { dimensions.append(("reason", reason)) }
        dimensions.append(contentsOf: configuration.dimensions)
        return dimensions
    }

    private func counter(_ name: String, sink: String, reason: String? = nil) -> Counter {
        let key = Key(name: name, sink: sink, reason: reason)
        return instruments.withLock { state in
            if let existing = state.counters[key] { return existing }
            let created = Counter(label: label(name), dimensions: dimensions(sink: sink, reason: reason), factory: factory)
            state.counters[key] = created
            return created
        }
    }

    private func gauge(_ name: String, sink: String) -> Gauge {
        let key = Key(name: name, sink: sink, reason: nil)
        return instruments.withLock { state in
            if let existing = state.gauges[key] { return existing }
            let created = Gauge(label: label(name), dimensions: dimensions(sink: sink, reason: nil), factory: factory)
            state.gauges[key] = created
            return created
        }
    }

    private func timer(sink: String) -> CoreMetrics.Timer {
        instruments.withLock { state in
            if let existing = state.timers[sink] { return existing }
            let created = CoreMetrics.Timer(
                label: label("batch_write_duration_seconds"), dimensions: dimensions(sink: sink, reason: nil), factory: factory
            )
            state.timers[sink] = created
            return created
        }
    }
}
#endif
