public import AsyncSinks

/// Entry points into the sink's encoders, for benchmarks only.
///
/// Not part of the sink's API: available through `@_spi(Benchmarks) import SinkLoki`, with no
/// stability promise. It runs the sink's own code for one write (age checks, stream resolution,
/// line writing, grouping per stream and shard, request planning, encoding and compression) without
/// any network, so the encoding cost per entry can be measured on its own.
///
/// An instance keeps its state between calls as the sink does (streams, arenas, encode buffers),
/// so repeated calls measure the steady state. Used by one thread at a time.
@_spi(Benchmarks)
public final class LokiEncodingBenchmark {
    private let writer: LokiWriter
    private let snappy = SnappyCompressor()
    private let snappyOutput = LineBuffer(capacity: 1 << 16)

    /// Creates the encoding machinery of a sink with `configuration`.
    ///
    /// - Parameter configuration: The sink's configuration; its URL must be valid but is never used.
    /// - Throws: ``LokiConfigurationError`` as ``LokiSink/init(configuration:)`` does.
    public init(configuration: LokiSinkConfiguration) throws(LokiConfigurationError) {
        let url = try LokiEndpoint.pushURL(from: configuration.url)
        let schema = try LabelSchema(configuration: configuration)
        let reporter = SinkReporter(handler: nil, redactor: Redactor(secrets: configuration.secrets))
        let client = LokiHTTPClient(url: url, configuration: configuration)
        self.writer = LokiWriter(configuration: configuration, schema: schema, client: client, reporter: reporter)
    }

    /// Prepares, groups and encodes `records` into request bodies in the configured encoding
    /// (protobuf+Snappy, JSON or gzip+JSON), as one write of the sink would, without sending them.
    ///
    /// - Parameter records: The records of one batch.
    /// - Returns: The total size in bytes of the request bodies.
    public func encode(_ records: [LogRecord]) -> Int {
        writer.encodeWithoutSending(records)
    }

    /// Compresses `input` into one Snappy block with the sink's compressor.
    ///
    /// - Parameter input: The bytes to compress.
    /// - Returns: The size of the compressed block.
    public func snappyCompress(_ input: UnsafeRawBufferPointer) -> Int {
        snappyOutput.removeAll()
        snappy.compress(input, into: snappyOutput)
        return snappyOutput.count
    }
}
