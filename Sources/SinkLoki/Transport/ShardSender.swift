import AsyncSinks
import Foundation

/// Sends the requests of one shard of streams, one at a time, so each stream's entries arrive in
/// order; owns the shard's encode buffers and the body kept for a byte-identical retry.
///
/// On a retryable failure the shard stops: the failed request's entries and those of its later
/// requests stay unmarked and are retried by the pipeline, oldest first.
final class ShardSender {
    /// Why a shard stopped before sending all its requests.
    enum Stop {
        /// Retry later (429, 5xx, network error, timeout, cancellation).
        case retry(message: String, retryAfter: Duration?)
        /// Loki refused structured metadata; the shard's remaining entries are prepared again
        /// without it.
        case structuredMetadataRejected(message: String)
    }

    /// The identity of a request, to recognise it when a retry plans it again.
    struct RequestKey: Equatable {
        var entryCount: Int
        var firstTimestamp: Int64
        var lastTimestamp: Int64
        var timestampChecksum: Int64
        var encodedSize: Int
        var streamChecksum: Int
    }

    /// The outcomes of the entries this shard handled, by entry index.
    var outcomes: [(entry: Int, outcome: RecordOutcome)] = []
    /// Why the shard stopped, if it did.
    var stop: Stop?
    /// Bytes of accepted bodies.
    var bytesSent = 0

    /// The shard's entries, grouped by stream, oldest first.
    var order: [Int] = []
    private var requests: [Range<Int>] = []
    private let body = LineBuffer(capacity: 1 << 16)
    private let compressed = LineBuffer(capacity: 1 << 16)
    private let snappy = SnappyCompressor()
    private var retainedBody: (key: RequestKey, data: Data)?

    /// Forgets the previous write's entries and results (the retained body stays).
    func reset() {
        order.removeAll(keepingCapacity: true)
        outcomes.removeAll(keepingCapacity: true)
        stop = nil
        bytesSent = 0
    }

    /// Sends the shard's entries.
    func run(_ context: SendContext) {
        plan(context)
        for (position, range) in requests.enumerated() {
            if let stop = send(range, context: context, mayReuse: position == 0) {
                self.stop = stop
                return
            }
        }
        retainedBody = nil
    }

    /// Plans and encodes the shard's requests without sending them; returns the bodies' total size.
    func encodeAll(_ context: SendContext) -> Int {
        plan(context)
        var total = 0
        for range in requests {
            total += encode(range, context: context)?.0.count ?? 0
        }
        return total
    }

    /// Cuts the shard's entries into requests (into ``requests``).
    private func plan(_ context: SendContext) {
        requests.removeAll(keepingCapacity: true)
        let entries = context.store.entries
        let streams = context.streams
        let isJSON = context.encoding.isJSON
        RequestPlanner.plan(
            order[...], budget: context.maxRequestBytes,
            requestOverhead: isJSON ? LokiJSONEncoder.requestOverhead : 0,
            streamOf: { entries[$0].stream },
            streamOverhead: {
                isJSON ? LokiJSONEncoder.streamOverhead(streams[$0]) : LokiProtobufEncoder.streamOverhead(streams[$0])
            },
            entryCost: {
                isJSON ? LokiJSONEncoder.entryCost(entries[$0]) : LokiProtobufEncoder.entryCost(entries[$0])
            },
            into: &requests)
    }

    private func key(for range: Range<Int>, context: SendContext) -> RequestKey {
        let store = context.store
        var checksum: Int64 = 0
        var size = 0
        var streamChecksum = 0
        var previous = -1
        for position in range {
            let entry = store.entries[order[position]]
            checksum = checksum &* 31 &+ entry.timestamp
            size &+= entry.encodedSize
            if entry.stream != previous {
                streamChecksum = streamChecksum &* 31 &+ entry.stream
                previous = entry.stream
            }
        }
        return RequestKey(
            entryCount: range.count, firstTimestamp: store.entries[order[range.lowerBound]].timestamp,
            lastTimestamp: store.entries[order[range.upperBound - 1]].timestamp,
            timestampChecksum: checksum, encodedSize: size, streamChecksum: streamChecksum)
    }

    /// Encodes and compresses the request for `range`; returns the body and its uncompressed size.
    private func encode(_ range: Range<Int>, context: SendContext) -> (Data, Int)? {
        body.removeAll()
        compressed.removeAll()
        let slice = order[range]
        switch context.encoding.format {
        case .protobufSnappy:
            LokiProtobufEncoder.encode(slice, store: context.store, streams: context.streams, into: body)
            body.withUnsafeReadableBytes { snappy.compress($0, into: compressed) }
        case .json:
            LokiJSONEncoder.encode(slice, store: context.store, streams: context.streams, into: compressed)
            return (Data(bytes: compressed.base, count: compressed.count), compressed.count)
        case .gzippedJSON:
            LokiJSONEncoder.encode(slice, store: context.store, streams: context.streams, into: body)
            guard let gzipped = body.withUnsafeReadableBytes({ GzipCompressor.compress($0) }) else { return nil }
            return (Data(gzipped), body.count)
        }
        return (Data(bytes: compressed.base, count: compressed.count), body.count)
    }

    /// Sends one request, splitting it when the server says it is too large. Returns why the shard
    /// must stop, or `nil`.
    private func send(_ range: Range<Int>, context: SendContext, mayReuse: Bool) -> Stop? {
        let requestKey = key(for: range, context: context)
        let data: Data
        let encodedSize: Int
        if mayReuse, let retained = retainedBody, retained.key == requestKey {
            data = retained.data
            encodedSize = requestKey.encodedSize
            context.reporter.count { $0.reusedBodies += 1 }
        } else if let encoded = encode(range, context: context) {
            (data, encodedSize) = encoded
        } else {
            mark(range, .failed(.permanent("the request body could not be compressed")))
            return nil
        }
        retainedBody = nil
        var hadMetadata = false
        for position in range where context.store.entries[order[position]].metadataCount > 0 {
            hadMetadata = true
            break
        }
        context.reporter.count { $0.requests += 1 }
        let response = context.client.send(
            body: data, contentType: context.encoding.contentType,
            contentEncoding: context.encoding.format == .gzippedJSON ? "gzip" : nil,
            cancellation: context.cancellation)
        let action = ResponseClassifier.classify(
            response, requestBytes: encodedSize, burstBytes: context.serverBurstBytes, hadStructuredMetadata: hadMetadata)
        let status: Int? = if case .status(let code, _, _) = response { code } else { nil }
        let redact = context.reporter.redactor
        switch action {
        case .delivered:
            mark(range, .written)
            bytesSent += data.count
            context.reporter.count {
                $0.acceptedRequests += 1
                $0.bytesSent += data.count
            }
            return nil
        case .discardedByServer:
            mark(range, .dropped(.lokiServerDiscarded))
            context.reporter.count { $0.acceptedRequests += 1 }
            context.reporter.report(
                .serverDiscarded, "Loki discarded \(range.count) entries: ingestion is blocked by its configuration",
                statusCode: status)
            return nil
        case .split:
            if range.count == 1 {
                let message = "Loki refused a single entry as too large (status \(status ?? 0)); it cannot be split further"
                mark(range, .failed(.permanent(message)))
                context.reporter.count { $0.rejectedRequests += 1 }
                context.reporter.report(.rejected, message, statusCode: status)
                return nil
            }
            context.reporter.count { $0.splits += 1 }
            context.reporter.report(
                .split, "splitting a request of \(range.count) entries (\(encodedSize) bytes) in halves", statusCode: status)
            let middle = range.lowerBound + range.count / 2
            if let stop = send(range.lowerBound..<middle, context: context, mayReuse: false) { return stop }
            return send(middle..<range.upperBound, context: context, mayReuse: false)
        case .retry(let retryAfterHeader):
            let retryAfter = retryAfterHeader.flatMap { RetryAfter.parse($0, now: context.clock.wallNow()) }
            let reason = Self.describe(response, redactor: redact)
            retainedBody = (requestKey, data)
            context.reporter.count { $0.retryableFailures += 1 }
            context.reporter.report(.retrying, "push failed, will retry: \(reason)", statusCode: status)
            return .retry(message: "Loki push failed: \(reason)", retryAfter: retryAfter)
        case .cancelled:
            return .retry(message: "the Loki push was cancelled", retryAfter: nil)
        case .structuredMetadataRejected(let message):
            if context.fallBackOnMetadataRejection {
                return .structuredMetadataRejected(message: redact.redact(message))
            }
            return reject(range, status: status, message: message, context: context)
        case .reject(let message):
            return reject(range, status: status, message: message, context: context)
        }
    }

    private func reject(_ range: Range<Int>, status: Int?, message: String, context: SendContext) -> Stop? {
        let text = context.reporter.redactor.redact(message.isEmpty ? "(no message)" : message)
        let description = status.map { "Loki rejected the push (status \($0)): \(text)" } ?? "Loki push not sent: \(text)"
        mark(range, .failed(.permanent(description)))
        context.reporter.count { $0.rejectedRequests += 1 }
        context.reporter.report(.rejected, description, statusCode: status)
        return nil
    }

    private static func describe(_ response: LokiResponse, redactor: Redactor) -> String {
        switch response {
        case .status(let code, let body, _):
            return redactor.redact(body.isEmpty ? "status \(code)" : "status \(code): \(body)")
        case .transportError(let message):
            return redactor.redact("network error: \(message)")
        case .timedOut:
            return "no answer within the request timeout"
        case .cancelled:
            return "cancelled"
        case .closed:
            return "the sink is closed"
        }
    }

    private func mark(_ range: Range<Int>, _ outcome: RecordOutcome) {
        for position in range { outcomes.append((order[position], outcome)) }
    }
}

/// The outcome the sink reports for one record.
enum RecordOutcome: Sendable {
    case written
    case dropped(DropReason)
    case failed(LogSinkError)
}

/// What a shard needs to send its requests; shared read-only by all shards of one write.
struct SendContext {
    let store: EntryStore
    let streams: [LokiStream]
    let encoding: LokiEncoding
    let maxRequestBytes: Int
    let serverBurstBytes: Int
    let fallBackOnMetadataRejection: Bool
    let client: LokiHTTPClient
    let reporter: SinkReporter
    let clock: PipelineClock
    let cancellation: CancellationSignal
}
