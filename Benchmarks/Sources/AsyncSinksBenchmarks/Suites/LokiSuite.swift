#if canImport(SinkLoki)
import AsyncSinks
import CMallocCounter
import CSnappy
import Foundation
@_spi(Benchmarks) import SinkLoki

/// Metric 11: Loki encoding cost per entry (protobuf+snappy, JSON, gzip+JSON), and the sink's Snappy
/// compressor against libsnappy on the same bytes.
///
/// The encoding cost is measured directly through the sink's benchmark entry point
/// (`LokiEncodingBenchmark`, SPI): one 500-entry batch prepared, grouped, encoded and compressed
/// with no network, its time and calling-thread allocations divided by 500 (fixed per-write costs
/// included). The whole `LokiSink.write` is measured as well, per entry as a difference: the time of
/// a 500-entry write minus a 50-entry write, over 450, against a loopback server that answers 204 at
/// once, so the request's fixed cost cancels out.
enum LokiSuite {
    /// The benchmark shape: `count` records in 8 streams of 3 labels, ~70-byte logfmt lines, stamped
    /// within the second of `now`.
    ///
    /// With `unrepeated`, no record repeats another's message or line keys (same lengths, other
    /// bytes), so the sink's kept line forms (`LineFormCache`) never serve: the cost of a miss.
    static func records(count: Int, now: LogTimestamp, unrepeated: Bool = false) -> [LogRecord] {
        let hosts = ["web-1", "web-2", "web-3", "web-4"]
        let regions = ["eu", "us"]
        let paths = ["/api/v1/orders", "/api/v1/users", "/api/v1/cart", "/health"]
        var result: [LogRecord] = []
        result.reserveCapacity(count)
        // 0.1 s into the current second plus 1 µs per record: the nanoseconds field then always
        // takes the same number of bytes, so every run encodes and compresses the same body size.
        let start = now.seconds * 1_000_000_000 + 100_000_000
        for index in 0..<count {
            let timestamp = LogTimestamp(nanosecondsSinceEpoch: start + Int64(index) * 1_000)
            let tag = unrepeated ? String(format: "%04d", index % 10_000) : ""
            let message = unrepeated ? "request \(tag)" : index % 3 == 0 ? "request served" : "cache lookup"
            var fields = LogFields()
            fields.append("host", .string(hosts[index % 4]))
            fields.append("region", .string(regions[(index / 4) % 2]))
            fields.append(unrepeated ? "p\(tag)" : "path", .string(paths[(index / 8) % 4]))
            fields.append(unrepeated ? "s\(tag)" : "status", 200)
            fields.append(unrepeated ? "m\(tag)" : "ms", .int(Int64(index % 700)))
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

    /// Median time per entry and allocations per entry of encoding a 500-entry batch, without network.
    static func encodeCost(encoding: LokiEncoding, iterations: Int, unrepeated: Bool = false) throws -> (Double, Double) {
        let encoder = try LokiEncodingBenchmark(configuration: configuration(url: "http://127.0.0.1:9/", encoding: encoding))
        let batch = records(count: 500, now: .now(), unrepeated: unrepeated)
        var sink = 0
        for _ in 0..<20 { sink &+= encoder.encode(batch) }
        var times: [Double] = [], allocations: [Double] = []
        for _ in 0..<5 {
            let allocationsBefore = malloc_counter_thread_allocations()
            let time = timeLoop(iterations: iterations) { _ in sink &+= encoder.encode(batch) }
            let allocated = malloc_counter_thread_allocations() - allocationsBefore
            times.append(time / 500)
            allocations.append(Double(allocated) / Double(iterations) / 500)
        }
        guard sink > 0 else { throw BenchmarkError("the encoder produced no bytes") }
        return (median(times), median(allocations))
    }

    /// Metric 11's protobuf+Snappy encoding in a long loop, for `perf record`.
    static func profile(_ options: RunOptions) throws -> [Metric] {
        let iterations = options.quick ? 4_000 : 20_000
        let (time, _) = try encodeCost(encoding: .protobufSnappy, iterations: iterations)
        return [Metric("Loki protobuf+snappy encode per entry (profiling aid)", unit: "ns", ours: [time],
                       note: "500-entry batch, 5 x \(iterations) encodings")]
    }

    /// The sink's Snappy compressor on `input`: MB/s and compressed size.
    static func sinkSnappy(_ input: [UInt8], iterations: Int) throws -> (Double, Int) {
        let encoder = try LokiEncodingBenchmark(configuration: configuration(url: "http://127.0.0.1:9/", encoding: .protobufSnappy))
        var length = 0
        let time = input.withUnsafeBytes { source in
            for _ in 0..<100 { length = encoder.snappyCompress(source) }
            return timeLoop(iterations: iterations) { _ in length = encoder.snappyCompress(source) }
        }
        return (Double(input.count) / time * 1e3, length)
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
        let encodings = [("protobuf+snappy", LokiEncoding.protobufSnappy), ("JSON", .json), ("gzip+JSON", .gzippedJSON)]
        // The runs take turns between the encodings (a round takes ~1.5 s), so that a slow spell of
        // a second or so falls on one run of each rather than on every run of one, and the median
        // passes over it.
        let encodeIterations = options.count(400, minimum: 100)
        var times = Array(repeating: [Double](), count: encodings.count), allocations = times, unrepeatedTimes: [Double] = []
        for _ in 0..<options.runs {
            for (index, (_, encoding)) in encodings.enumerated() {
                let (time, allocation) = try encodeCost(encoding: encoding, iterations: encodeIterations)
                times[index].append(time)
                allocations[index].append(allocation)
            }
            unrepeatedTimes.append(try encodeCost(encoding: .protobufSnappy, iterations: encodeIterations, unrepeated: true).0)
        }
        for (index, (name, encoding)) in encodings.enumerated() {
            let isProtobuf = encoding == .protobufSnappy
            metrics.append(Metric(
                "11 Loki \(name) encode per entry (no network)", unit: "ns", ours: times[index],
                bound: isProtobuf ? 300 : nil,
                note: "\(shape); prepare + group + encode + compress, 500-entry batch / 500"
            ))
            metrics.append(Metric(
                "11 Loki \(name) encode allocations per entry", unit: "allocs", ours: allocations[index],
                bound: isProtobuf ? 1 : nil, note: "calling thread, amortised over 500 entries"
            ))
        }
        metrics.append(Metric(
            "11 Loki protobuf+snappy encode per entry, no message or key repeated", unit: "ns", ours: unrepeatedTimes,
            note: "as above, each record with its own message (`request 0042`) and keys (`p0042`, `s0042`, `m0042`)"
        ))
        for (name, encoding) in encodings {
            var times: [Double] = [], allocations: [Double] = [], whole: [Double] = []
            for _ in 0..<options.runs {
                let (time, allocation, wholeWrite) = try perEntry(server: server, encoding: encoding, iterations: iterations)
                times.append(time)
                allocations.append(allocation)
                whole.append(wholeWrite)
            }
            metrics.append(Metric(
                "11 Loki \(name) whole write per entry (write 500 - write 50, loopback HTTP)", unit: "ns", ours: times,
                note: String(format: "%@; whole write incl. HTTP %.0f ns/entry", shape, median(whole))
            ))
            metrics.append(Metric(
                "11 Loki \(name) whole write allocations per entry", unit: "allocs", ours: allocations,
                note: "calling thread, amortised over 450 entries"
            ))
        }
        let (compressed, raw) = try capturedProtobuf(server: server)
        var ratios: [Double] = [], referenceRatios: [Double] = [], speeds: [Double] = [], ourSpeeds: [Double] = []
        let snappyIterations = options.count(20_000, minimum: 2_000)
        for _ in 0..<options.runs {
            // Alternated, so both compressors meet the same conditions.
            let (ourSpeed, ourSize) = try sinkSnappy(raw, iterations: snappyIterations)
            guard ourSize == compressed.count else {
                throw BenchmarkError("the sink's compressor gave \(ourSize) B, its request body \(compressed.count) B")
            }
            let (speed, size) = libsnappy(raw, iterations: snappyIterations)
            ourSpeeds.append(ourSpeed)
            speeds.append(speed)
            referenceRatios.append(Double(raw.count) / Double(size))
            ratios.append(Double(raw.count) / Double(compressed.count))
        }
        metrics.append(Metric(
            "11 snappy compression ratio on the protobuf body vs libsnappy", unit: "x", ours: ratios, peer: referenceRatios,
            peerName: "libsnappy", targetRatio: 0.95, lowerIsBetter: false,
            note: "\(raw.count) B protobuf -> \(compressed.count) B"
        ))
        metrics.append(Metric(
            "11 snappy compress MB/s vs libsnappy", unit: "MB/s", ours: ourSpeeds, peer: speeds, peerName: "libsnappy",
            targetRatio: 0.5, lowerIsBetter: false,
            note: "the sink's compressor and libsnappy on the same \(raw.count) B protobuf body, alternated"
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

    static func profile(_ options: RunOptions) throws -> [Metric] { try run(options) }
}
#endif
