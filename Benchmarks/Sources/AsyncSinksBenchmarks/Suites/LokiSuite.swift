#if canImport(SinkLoki)
import AsyncSinks
import CMallocCounter
import CSnappy
import Foundation
import SinkLoki

/// Metric 11: Loki encoding cost per entry (protobuf+snappy, JSON, gzip+JSON) through the sink's
/// public API, and its Snappy output against libsnappy's on the same bytes.
///
/// The encoders are internal to `SinkLoki`, so the cost per entry is taken as a difference: the time
/// of `LokiSink.write` with 500 entries minus the time with 50 entries, over 450, against a loopback
/// server that answers 204 at once. The request's fixed cost (URLSession, HTTP, the server) cancels
/// out; what remains is the per-entry work (grouping, formatting the line, encoding, compressing)
/// plus carrying the larger body over loopback, so it is an upper bound of the encoding cost.
enum LokiSuite {
    /// The benchmark shape: `count` records in 8 streams of 3 labels, ~70-byte logfmt lines.
    static func records(count: Int, now: LogTimestamp) -> [LogRecord] {
        let hosts = ["web-1", "web-2", "web-3", "web-4"]
        let regions = ["eu", "us"]
        let paths = ["/api/v1/orders", "/api/v1/users", "/api/v1/cart", "/health"]
        var result: [LogRecord] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            let timestamp = LogTimestamp(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch + Int64(index) * 1_000)
            let message = index % 3 == 0 ? "request served" : "cache lookup"
            var fields = LogFields()
            fields.append("host", .string(hosts[index % 4]))
            fields.append("region", .string(regions[(index / 4) % 2]))
            fields.append("path", .string(paths[(index / 8) % 4]))
            fields.append("status", 200)
            fields.append("ms", .int(Int64(index % 700)))
            result.append(LogRecord(timestamp: timestamp, level: .info, message: message, fields: fields, label: "api"))
        }
        return result
    }

    static func configuration(url: String, encoding: LokiEncoding) -> LokiSinkConfiguration {
        var configuration = LokiSinkConfiguration(url: url)
        configuration.staticLabels = ["service_name": "api"]
        configuration.promotedFields = ["host", "region"]
        configuration.levelLabel = nil
        configuration.encoding = encoding
        return configuration
    }

    struct WriteCost {
        var nanoseconds: Double
        var allocations: Double
    }

    /// Median time and calling-thread allocations of `write` for a batch of `records`.
    static func writeCost(_ sink: LokiSink, records: [LogRecord], iterations: Int) throws -> WriteCost {
        var times: [Double] = [], allocations: [Double] = []
        for _ in 0..<iterations {
            var batch = LogBatch(records: records)
            let allocationsBefore = malloc_counter_thread_allocations()
            let start = monotonicNanoseconds()
            try sink.write(&batch)
            times.append(Double(monotonicNanoseconds() - start))
            allocations.append(Double(malloc_counter_thread_allocations() - allocationsBefore))
        }
        return WriteCost(nanoseconds: median(times), allocations: median(allocations))
    }

    /// Per-entry time and allocations for one encoding (difference of 500- and 50-entry writes).
    static func perEntry(server: LoopbackHTTPServer, encoding: LokiEncoding, iterations: Int) throws -> (Double, Double, Double) {
        let sink = try LokiSink(configuration: configuration(url: server.url, encoding: encoding))
        defer { try? sink.close() }
        let now = LogTimestamp.now()
        let large = records(count: 500, now: now), small = records(count: 50, now: now)
        _ = try writeCost(sink, records: large, iterations: 20)
        _ = try writeCost(sink, records: small, iterations: 20)
        var largeCosts: [WriteCost] = [], smallCosts: [WriteCost] = []
        // Interleaved, so both sizes meet the same conditions.
        for _ in 0..<5 {
            largeCosts.append(try writeCost(sink, records: large, iterations: iterations))
            smallCosts.append(try writeCost(sink, records: small, iterations: iterations))
        }
        let largeTime = median(largeCosts.map(\.nanoseconds)), smallTime = median(smallCosts.map(\.nanoseconds))
        let largeAllocations = median(largeCosts.map(\.allocations)), smallAllocations = median(smallCosts.map(\.allocations))
        return ((largeTime - smallTime) / 450, (largeAllocations - smallAllocations) / 450, largeTime / 500)
    }

    /// The protobuf body and the sink's Snappy block of one 500-entry request.
    static func capturedProtobuf(server: LoopbackHTTPServer) throws -> (compressed: [UInt8], raw: [UInt8]) {
        let sink = try LokiSink(configuration: configuration(url: server.url, encoding: .protobufSnappy))
        defer { try? sink.close() }
        var batch = LogBatch(records: records(count: 500, now: .now()))
        try sink.write(&batch)
        let compressed = server.received.lastBody
        var length = 0
        guard snappy_uncompressed_length(compressed, compressed.count, &length) == SNAPPY_OK else {
            throw BenchmarkError("the protobuf body is not a Snappy block")
        }
        var raw = [UInt8](repeating: 0, count: length)
        guard snappy_uncompress(compressed, compressed.count, &raw, &length) == SNAPPY_OK else {
            throw BenchmarkError("libsnappy cannot decompress the sink's body")
        }
        return (compressed, Array(raw[0..<length]))
    }

    /// The average line length of a JSON push body.
    static func averageLineLength(server: LoopbackHTTPServer) throws -> Double {
        let sink = try LokiSink(configuration: configuration(url: server.url, encoding: .json))
        defer { try? sink.close() }
        var batch = LogBatch(records: records(count: 500, now: .now()))
        try sink.write(&batch)
        let body = Data(server.received.lastBody)
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any],
              let streams = object["streams"] as? [[String: Any]] else { return 0 }
        var lines = 0, bytes = 0
        for stream in streams {
            for value in stream["values"] as? [[Any]] ?? [] {
                if let line = value.count > 1 ? value[1] as? String : nil {
                    lines += 1
                    bytes += line.utf8.count
                }
            }
        }
        return lines > 0 ? Double(bytes) / Double(lines) : 0
    }

    /// libsnappy's compression of `input`: MB/s and compressed size.
    static func libsnappy(_ input: [UInt8], iterations: Int) -> (Double, Int) {
        var output = [UInt8](repeating: 0, count: snappy_max_compressed_length(input.count))
        var length = output.count
        let time = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { target in
                let sourceText = source.bindMemory(to: CChar.self), targetText = target.bindMemory(to: CChar.self)
                return timeLoop(iterations: iterations) { _ in
                    length = targetText.count
                    _ = snappy_compress(sourceText.baseAddress, sourceText.count, targetText.baseAddress, &length)
                }
            }
        }
        return (Double(input.count) / time * 1e3, length)
    }

    static func run(_ options: RunOptions) throws -> [Metric] {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let iterations = options.count(100, minimum: 30)
        var metrics: [Metric] = []
        let lineLength = try averageLineLength(server: server)
        let shape = String(format: "500 entries, 8 streams of 3 labels, %.0f-byte lines", lineLength)
        for (name, encoding) in [("protobuf+snappy", LokiEncoding.protobufSnappy), ("JSON", .json), ("gzip+JSON", .gzippedJSON)] {
            var times: [Double] = [], allocations: [Double] = [], whole: [Double] = []
            for _ in 0..<options.runs {
                let (time, allocation, wholeWrite) = try perEntry(server: server, encoding: encoding, iterations: iterations)
                times.append(time)
                allocations.append(allocation)
                whole.append(wholeWrite)
            }
            let isProtobuf = encoding == .protobufSnappy
            metrics.append(Metric(
                "11 Loki \(name) encode per entry (write 500 - write 50)", unit: "ns", ours: times,
                bound: isProtobuf ? 300 : nil,
                note: String(format: "%@; whole write incl. HTTP %.0f ns/entry", shape, median(whole))
            ))
            metrics.append(Metric(
                "11 Loki \(name) allocations per entry", unit: "allocs", ours: allocations, bound: isProtobuf ? 1 : nil,
                note: "calling thread, amortised over 450 entries"
            ))
        }
        let (compressed, raw) = try capturedProtobuf(server: server)
        var ratios: [Double] = [], referenceRatios: [Double] = [], speeds: [Double] = []
        for _ in 0..<options.runs {
            let (speed, size) = libsnappy(raw, iterations: options.count(20_000, minimum: 2_000))
            speeds.append(speed)
            referenceRatios.append(Double(raw.count) / Double(size))
            ratios.append(Double(raw.count) / Double(compressed.count))
        }
        metrics.append(Metric(
            "11 snappy compression ratio on the protobuf body vs libsnappy", unit: "x", ours: ratios, peer: referenceRatios,
            peerName: "libsnappy", targetRatio: 0.95, lowerIsBetter: false,
            note: "\(raw.count) B protobuf -> \(compressed.count) B; libsnappy \(median(speeds).formatted(.number.precision(.fractionLength(0)))) MB/s on it"
        ))
        metrics.append(.pending(
            "11 snappy compress MB/s vs libsnappy", unit: "MB/s", peerName: "libsnappy", targetRatio: 0.5,
            note: String(format: "libsnappy %.0f MB/s here; SinkLoki's compressor is internal: needs a public (SPI) entry point", median(speeds))
        ))
        return metrics
    }
}
#else
/// Metric 11 needs the Loki sink (module `SinkLoki`, product of the main package).
enum LokiSuite {
    static func run(_ options: RunOptions) throws -> [Metric] {
        [.pending("11 Loki encoding per entry", unit: "ns", note: "the SinkLoki product is not available to this package")]
    }
}
#endif
