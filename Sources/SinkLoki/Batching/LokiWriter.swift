import AsyncSinks
import Dispatch

/// The sink's writing machinery: prepares a batch's records, groups them per stream and shard,
/// sends the shards' requests, and collects each record's outcome.
///
/// Used by one write at a time (the sink holds its lock for the whole write).
final class LokiWriter {
    /// The outcome of one write.
    struct Result: Sendable {
        /// Each record's outcome, or `nil` when it stays unmarked (to be retried).
        var outcomes: RecordOutcomes
        /// The error to throw so the pipeline retries the unmarked records, if any.
        var retry: LogSinkError?
        /// Bytes of accepted bodies.
        var bytesSent = 0
    }

    private let configuration: LokiSinkConfiguration
    private let schema: LabelSchema
    private let registry: StreamRegistry
    private let store = EntryStore()
    private let client: LokiHTTPClient
    private let reporter: SinkReporter
    private var metadataEnabled: Bool
    private var preparer: EntryPreparer
    private let senders: [ShardSender]
    private var reportedStreamLimit = false
    /// Scratch of ``group(_:streams:)``, kept between writes.
    private var groupScratch = GroupScratch()

    init(configuration: LokiSinkConfiguration, schema: LabelSchema, client: LokiHTTPClient, reporter: SinkReporter) {
        self.configuration = configuration
        self.schema = schema
        self.client = client
        self.reporter = reporter
        let shards = max(1, configuration.shardCount)
        self.registry = StreamRegistry(
            schema: schema, maxStreams: configuration.maxStreams, shardCount: shards,
            limitPolicy: configuration.streamLimitPolicy)
        self.metadataEnabled = !configuration.structuredMetadata.isOff
        self.preparer = EntryPreparer(configuration: configuration, schema: schema, metadataEnabled: metadataEnabled)
        self.senders = (0..<shards).map { _ in ShardSender() }
    }

    /// Writes `records` and returns their outcomes.
    func write(_ records: [LogRecord], cancellation: CancellationSignal) -> Result {
        var result = Result(outcomes: RecordOutcomes(count: records.count))
        var pending = Array(records.indices)
        var retryMessage: String?
        var retryAfter: Duration?
        for round in 0..<2 {
            let metadataRejection = self.round(
                records, indices: pending, cancellation: cancellation, result: &result,
                retryMessage: &retryMessage, retryAfter: &retryAfter)
            guard let metadataRejection else { break }
            let rejectedRecords = senders.filter { sender in
                if case .structuredMetadataRejected = sender.stop { return true }
                return false
            }.flatMap { sender in sender.order.map { store.entries[$0].recordIndex } }
            .filter { result.outcomes.isUnmarked($0) }
            .sorted()
            guard round == 0, metadataEnabled else {
                // Already sent without structured metadata: nothing left to fall back to.
                let error = LogSinkError.permanent("Loki rejected the push (status 400): \(metadataRejection)")
                for index in rejectedRecords { result.outcomes[index] = .failed(error) }
                break
            }
            metadataEnabled = false
            preparer = EntryPreparer(configuration: configuration, schema: schema, metadataEnabled: false)
            reporter.count { $0.structuredMetadataFallbacks += 1 }
            reporter.report(
                .structuredMetadataRejected,
                "Loki does not accept structured metadata (\(metadataRejection)); those fields are written into the line from now on",
                statusCode: 400)
            pending = rejectedRecords
        }
        if let retryMessage {
            result.retry = .retryable(retryMessage, retryAfter: retryAfter)
        }
        return result
    }

    /// Prepares and sends the records at `indices`; returns Loki's message when a shard stopped
    /// because structured metadata was refused.
    private func round(
        _ records: [LogRecord], indices: [Int], cancellation: CancellationSignal, result: inout Result,
        retryMessage: inout String?, retryAfter: inout Duration?
    ) -> String? {
        let (active, context) = prepareAndGroup(records, indices: indices, cancellation: cancellation, result: &result)
        let entries = context.store.entries
        if active.count == 1 {
            active[0].run(context)
        } else if active.count > 1 {
            let work = ParallelShards(senders: active, context: context)
            DispatchQueue.concurrentPerform(iterations: active.count) { work.senders[$0].run(work.context) }
        }

        var metadataRejection: String?
        for sender in active {
            for (entryIndex, outcome) in sender.outcomes {
                result.outcomes[entries[entryIndex].recordIndex] = outcome
            }
            result.bytesSent += sender.bytesSent
            switch sender.stop {
            case .retry(let message, let after)?:
                if retryMessage == nil { retryMessage = message }
                if let after { retryAfter = max(retryAfter ?? .zero, after) }
            case .structuredMetadataRejected(let message)?:
                metadataRejection = message
            case nil:
                break
            }
        }
        return metadataRejection
    }

    /// Encodes `records` as the sink would push them, without sending anything; returns the total
    /// size of the request bodies. Used to measure the encoding cost.
    func encodeWithoutSending(_ records: [LogRecord]) -> Int {
        var result = Result(outcomes: RecordOutcomes(count: records.count))
        let (active, context) = prepareAndGroup(
            records, indices: Array(records.indices), cancellation: CancellationSignal(), result: &result)
        var total = 0
        for sender in active { total += sender.encodeAll(context) }
        return total
    }

    /// Prepares the records at `indices` into the store and hands each entry to its shard's sender,
    /// grouped by stream and oldest first; returns the senders with entries and the send context.
    private func prepareAndGroup(
        _ records: [LogRecord], indices: [Int], cancellation: CancellationSignal, result: inout Result
    ) -> (active: [ShardSender], context: SendContext) {
        store.removeAll()
        for sender in senders { sender.reset() }
        let now = configuration.clock.wallNow()
        var truncated = 0
        var dropped: [DropReason: Int] = [:]
        let preparer = self.preparer
        var writer = preparer.makeWriter(for: store)
        records.withUnsafeBufferPointer { readOnly in
            let buffer = UnsafeMutableBufferPointer(mutating: readOnly)
            for index in indices where index >= 0 && index < buffer.count {
                // Read in place and passed on borrowed: a copy of the record would retain and
                // release each of its members.
                if let violation = preparer.ageCheck(buffer[index].timestamp, now: now) {
                    let reason = violation.reason
                    result.outcomes[index] = .dropped(reason)
                    dropped[reason, default: 0] += 1
                    continue
                }
                let outcome: EntryPreparer.Outcome
                if let prepared = preparer.prepareInOneWalk(
                    &buffer[index], index: index, registry: registry, writer: &writer, into: store)
                {
                    outcome = prepared
                } else {
                    guard case .stream(let streamID) = registry.resolve(&buffer[index]) else {
                        result.outcomes[index] = .dropped(.lokiStreamLimit)
                        dropped[.lokiStreamLimit, default: 0] += 1
                        continue
                    }
                    outcome = preparer.prepare(
                        &buffer[index], index: index, stream: registry.stream(streamID), labels: registry.labelFields,
                        writer: &writer, into: store)
                }
                switch outcome {
                case .prepared(let wasTruncated):
                    if wasTruncated { truncated += 1 }
                case .droppedLineTooLong:
                    let reason = DropReason.lokiLineTooLong
                    result.outcomes[index] = .dropped(reason)
                    dropped[reason, default: 0] += 1
                }
            }
        }
        reportRegistryEvents(truncated: truncated, dropped: dropped)

        let streams = registry.streams
        group(store.entries, streams: streams)
        let active = senders.filter { !$0.order.isEmpty }
        let context = SendContext(
            store: store, streams: streams, encoding: configuration.encoding,
            maxRequestBytes: max(1024, configuration.maxRequestBytes),
            serverBurstBytes: configuration.serverBurstBytes,
            fallBackOnMetadataRejection: configuration.fallBackWhenStructuredMetadataIsRejected,
            client: client, reporter: reporter, clock: configuration.clock, cancellation: cancellation)
        return (active, context)
    }

    /// Hands the entries to their shards' senders, grouped by stream (in the order of the streams'
    /// ids), each stream's entries oldest first (in batch order for equal timestamps).
    ///
    /// A stable counting sort by stream: a stream's entries are already oldest first unless their
    /// records came out of order, and only then are they sorted.
    private func group(_ entries: [EntryStore.Entry], streams: [LokiStream]) {
        // Moved out of the property while in use, so the arrays stay uniquely referenced and keep
        // their storage from write to write (a copy would make every mutation reallocate them).
        var scratch = GroupScratch()
        swap(&scratch, &groupScratch)
        defer { groupScratch = scratch }
        let streamCount = streams.count
        scratch.prepare(streams: streamCount, entries: entries.count)
        entries.withUnsafeBufferPointer { entries in
            scratch.withBuffers { starts, cursors, lastTimestamps, unordered, grouped in
                for entry in entries where entry.stream >= 0 && entry.stream < streamCount { starts[entry.stream + 1] += 1 }
                for stream in 0..<streamCount {
                    starts[stream + 1] += starts[stream]
                    cursors[stream] = starts[stream]
                }
                // Stable: each stream's entries keep batch order; a stream whose timestamps go
                // back in that order is sorted afterwards.
                for (index, entry) in entries.enumerated() where entry.stream >= 0 && entry.stream < streamCount {
                    let stream = entry.stream
                    if entry.timestamp < lastTimestamps[stream] { unordered[stream] = true }
                    lastTimestamps[stream] = entry.timestamp
                    grouped[cursors[stream]] = index
                    cursors[stream] += 1
                }
                for stream in 0..<streamCount where unordered[stream] {
                    var run = UnsafeMutableBufferPointer(rebasing: grouped[starts[stream]..<starts[stream + 1]])
                    run.sort { left, right in
                        let a = entries[left].timestamp, b = entries[right].timestamp
                        return a != b ? a < b : left < right
                    }
                }
            }
        }
        scratch.withBuffers { starts, _, _, _, grouped in
            for (stream, lokiStream) in streams.enumerated() where starts[stream + 1] > starts[stream] {
                let shard = lokiStream.shard
                guard shard >= 0, shard < senders.count else { continue }
                senders[shard].order.append(contentsOf: grouped[starts[stream]..<starts[stream + 1]])
            }
        }
    }

    private func reportRegistryEvents(truncated: Int, dropped: [DropReason: Int]) {
        let counters = registry.takeCounters()
        let streamCount = registry.streams.count
        if truncated > 0 || !dropped.isEmpty || counters.notPromoted > 0 || counters.overflowed > 0
            || reporter.snapshot.streams != streamCount
        {
            reporter.count { statistics in
                statistics.streams = streamCount
                statistics.truncatedLines += truncated
                statistics.labelsNotPromoted += counters.notPromoted
                statistics.overflowEntries += counters.overflowed
                for (reason, count) in dropped { statistics.dropped[reason, default: 0] += count }
            }
        }
        for key in counters.newKeys {
            reporter.report(
                .labelNotPromoted,
                "field \"\(key)\" was not promoted to a label (label limit, empty or long value); it stays in the line")
        }
        if registry.limitReached, !reportedStreamLimit {
            reportedStreamLimit = true
            let action = configuration.streamLimitPolicy.action == .drop
                ? "dropped" : "sent in the overflow stream (static labels only)"
            reporter.report(
                .streamLimitReached,
                "the limit of \(registry.maxStreams) streams is reached; records of new label sets are \(action)")
        }
    }

    /// Counts a server-side drop (status 260) in the statistics.
    func countServerDrops(_ result: Result) {
        var serverDrops = 0
        for reason in result.outcomes.dropReasons where reason == .lokiServerDiscarded { serverDrops += 1 }
        if serverDrops > 0 {
            reporter.count { $0.dropped[.lokiServerDiscarded, default: 0] += serverDrops }
        }
    }
}

/// The scratch arrays of grouping entries by stream, kept between writes.
private struct GroupScratch {
    /// Where each stream's entries start in ``grouped`` (one more than the streams).
    private var starts: [Int] = []
    /// The next free position of each stream in ``grouped``.
    private var cursors: [Int] = []
    /// The timestamp of each stream's last entry seen.
    private var lastTimestamps: [Int64] = []
    /// Whether a stream's entries came out of time order.
    private var unordered: [Bool] = []
    /// Entry indices, grouped by stream.
    private var grouped: [Int] = []

    /// Sizes and clears the arrays for `streams` streams and `entries` entries.
    mutating func prepare(streams: Int, entries: Int) {
        Self.reset(&starts, count: streams + 1, to: 0)
        Self.reset(&cursors, count: streams, to: 0)
        Self.reset(&lastTimestamps, count: streams, to: .min)
        Self.reset(&unordered, count: streams, to: false)
        Self.reset(&grouped, count: entries, to: 0)
    }

    private static func reset<Element>(_ array: inout [Element], count: Int, to value: Element) {
        array.removeAll(keepingCapacity: true)
        array.append(contentsOf: repeatElement(value, count: count))
    }

    /// Calls `body` with the arrays' storage (sized by ``prepare(streams:entries:)``).
    mutating func withBuffers<Result>(
        _ body: (
            UnsafeMutableBufferPointer<Int>, UnsafeMutableBufferPointer<Int>, UnsafeMutableBufferPointer<Int64>,
            UnsafeMutableBufferPointer<Bool>, UnsafeMutableBufferPointer<Int>
        ) -> Result
    ) -> Result {
        starts.withUnsafeMutableBufferPointer { starts in
            cursors.withUnsafeMutableBufferPointer { cursors in
                lastTimestamps.withUnsafeMutableBufferPointer { lastTimestamps in
                    unordered.withUnsafeMutableBufferPointer { unordered in
                        grouped.withUnsafeMutableBufferPointer { grouped in
                            body(starts, cursors, lastTimestamps, unordered, grouped)
                        }
                    }
                }
            }
        }
    }
}

/// The shards of one write, handed to parallel workers.
///
/// Unchecked: each worker touches only its own sender (iteration `i` runs `senders[i]`), the
/// context (store, streams) is only read while the workers run, and `concurrentPerform` returns only
/// after every worker finished, so no state is shared mutably.
private struct ParallelShards: @unchecked Sendable {
    let senders: [ShardSender]
    let context: SendContext
}
