import AsyncSinks
@_spi(Benchmarks) import SinkLoki
import Testing

@Suite("LokiEncodingBenchmark")
struct LokiEncodingBenchmarkTests {
    static let records: [LogRecord] = (0..<40).map { (index: Int) -> LogRecord in
        var fields = LogFields()
        fields.append("host", .string("web-\(index % 4)"))
        fields.append("region", .string(index % 8 < 4 ? "eu" : "us"))
        fields.append("ms", .int(Int64(index)))
        let message = index % 3 == 0 ? "request served" : "cache lookup"
        return record(message, at: Int64(index), fields: fields, label: "api")
    }

    @Test("encodes to bodies of the size the sink sends, in every encoding", arguments: [
        LokiEncoding.protobufSnappy, .json, .gzippedJSON,
    ])
    func sizeMatchesTheSentBody(encoding: LokiEncoding) throws {
        let server = try TestLokiServer()
        defer { server.stop() }
        let sinkConfiguration = configuration(server) {
            $0.staticLabels = ["service_name": "api"]
            $0.promotedFields = ["host", "region"]
            $0.encoding = encoding
            $0.shardCount = 1
        }
        let sink = try LokiSink(configuration: sinkConfiguration)
        defer { try? sink.close() }
        let (_, error) = write(sink, Self.records)
        #expect(error == nil)
        let requests = server.requests
        try #require(requests.count == 1)

        let benchmark = try LokiEncodingBenchmark(configuration: sinkConfiguration)
        #expect(benchmark.encode(Self.records) == requests[0].body.count)
        // The second call reuses the streams and buffers and gives the same bytes.
        #expect(benchmark.encode(Self.records) == requests[0].body.count)
    }

    @Test("compresses with the sink's Snappy compressor")
    func snappyCompresses() throws {
        let benchmark = try LokiEncodingBenchmark(configuration: LokiSinkConfiguration(url: "http://127.0.0.1:1"))
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 10_000)
        let size = input.withUnsafeBytes { benchmark.snappyCompress($0) }
        #expect(size > 0)
        #expect(size < 1_000)
        let empty = [UInt8]().withUnsafeBytes { benchmark.snappyCompress($0) }
        #expect(empty == 1)
    }
}
