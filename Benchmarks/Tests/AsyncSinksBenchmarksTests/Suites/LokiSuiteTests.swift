import Testing

@testable import asyncsinks_benchmarks

/// Metric 11 compares the Loki sink's Snappy compressor with libsnappy on a request body the sink
/// sent to a server on loopback.
@Suite struct LokiSuiteTests {
    @Test func libsnappyReadsTheSinksBodyAndBothCompressItAlike() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        // Throws unless libsnappy decompresses the body the server received.
        let (compressed, raw) = try LokiSuite.capturedProtobuf(server: server)
        #expect(raw.count > compressed.count)
        let (speed, size) = try LokiSuite.sinkSnappy(raw, iterations: 1)
        #expect(speed > 0)
        #expect(size == compressed.count)
        let (_, referenceSize) = LokiSuite.libsnappy(raw, iterations: 1)
        #expect(abs(Double(size) - Double(referenceSize)) < 0.05 * Double(referenceSize))
    }
}
