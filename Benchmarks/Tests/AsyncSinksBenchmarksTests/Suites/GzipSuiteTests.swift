import CBenchZlib
import Foundation
import Testing

@testable import asyncsinks_benchmarks

/// Metric 10 compares the sink's gzip of a rotated file with zlib's deflate of the same bytes.
@Suite struct GzipSuiteTests {
    @Test(arguments: [1, 6])
    func theSinksGzipHoldsTheSameBytesAsZlibCompresses(level: Int) throws {
        let (records, text) = GzipSuite.makeRecords(bytes: 256 << 10)
        let directory = TemporaryDirectory("gzip-test")
        let (time, size) = try GzipSuite.sinkGzip(records: records, bytes: text.count, level: level, directory: directory)
        #expect(time > 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".gz") }
        try #require(names.count == 1)
        let compressed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory.path + "/" + names[0])))
        #expect(compressed.count == size)
        #expect(try inflate(compressed) == text)
        // Same level, same deflate settings: the same size as zlib's gzip of the text.
        let (_, zlibSize) = GzipSuite.zlibDeflate(text, level: Int32(level))
        #expect(size == zlibSize)
    }

    private struct InflateError: Error {}

    /// The bytes of a gzip member.
    private func inflate(_ compressed: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 31, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw InflateError() }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var input = compressed
        var status = Z_OK
        try input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            while status != Z_STREAM_END {
                let produced = chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    status = CBenchZlib.inflate(&stream, Z_NO_FLUSH)
                    return target.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END else { throw InflateError() }
                output += chunk[0..<produced]
            }
        }
        return output
    }
}
