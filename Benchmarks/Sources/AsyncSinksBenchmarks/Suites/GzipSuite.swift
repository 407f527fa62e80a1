import AsyncSinks
import CBenchZlib
import SinkFile
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Metric 10: the file sink's background gzip of a rotated file, against raw zlib deflate (gzip
/// wrapper, same level) of the same bytes in memory.
enum GzipSuite {
    /// Varied logfmt lines (~120 bytes each), as records whose message is the line.
    static func makeRecords(bytes: Int) -> (records: [LogRecord], text: [UInt8]) {
        let formatter = LogfmtFormatter(includeSource: false)
        let buffer = LineBuffer(capacity: bytes + 4096)
        var records: [LogRecord] = []
        let paths = ["/api/v1/orders", "/api/v1/users", "/api/v1/cart", "/health", "/api/v1/payments"]
        let messages = ["request served", "cache miss", "slow query", "request served", "upstream retry"]
        var index = 0
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        while buffer.count < bytes {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let random = Int(truncatingIfNeeded: state >> 33)
            let record = LogRecord(
                timestamp: LogTimestamp(nanosecondsSinceEpoch: 1_795_510_800_000_000_000 + Int64(index) * 137_000),
                level: random % 10 == 0 ? .warning : .info, message: messages[random % 5],
                fields: ["path": .string(paths[(random >> 4) % 5]), "status": random % 17 == 0 ? 500 : 200,
                         "ms": .int(Int64((random >> 8) % 900)), "user": .string("u\(10_000 + (random >> 12) % 5_000)")],
                label: "api"
            )
            let start = buffer.count
            formatter.appendEntry(record, into: buffer)
            let line = buffer.withUnsafeReadableBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[start...]), as: UTF8.self) }
            buffer.append(UInt8(ascii: "\n"))
            records.append(LogRecord(timestamp: record.timestamp, level: .info, message: line))
            index += 1
        }
        return (records, buffer.bytes)
    }

    /// Compresses `text` with zlib's deflate (gzip wrapper) at `level`; returns the time in
    /// nanoseconds and the compressed size.
    static func zlibDeflate(_ text: [UInt8], level: Int32) -> (Int64, Int) {
        var stream = z_stream()
        let start = monotonicNanoseconds()
        guard deflateInit2_(&stream, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return (0, 0) }
        let capacity = Int(deflateBound(&stream, uLong(text.count)))
        let output = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { output.deallocate() }
        var produced = 0
        text.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            stream.next_out = output
            stream.avail_out = uInt(capacity)
            _ = deflate(&stream, Z_FINISH)
            produced = Int(stream.total_out)
        }
        deflateEnd(&stream)
        return (monotonicNanoseconds() - start, produced)
    }

    /// Writes the records through a file sink that rotates after `bytes` and gzips the rotated file;
    /// returns the nanoseconds from the rotation to the end of the compression, and the .gz size.
    static func sinkGzip(records: [LogRecord], bytes: Int, level: Int, directory: TemporaryDirectory) throws -> (Int64, Int) {
        directory.removeFiles()
        let rotatedAt = Atomic<Int64>(0), compressedAt = Atomic<Int64>(0)
        let compressedPath = Mutex<String>("")
        let hooks = FileSinkHooks(
            rotated: { _, _ in rotatedAt.store(monotonicNanoseconds(), ordering: .sequentiallyConsistent) },
            compressed: { _, path in
                compressedPath.withLock { $0 = path }
                compressedAt.store(monotonicNanoseconds(), ordering: .sequentiallyConsistent)
            }
        )
        let sink = try FileSink(configuration: FileSinkConfiguration(
            path: directory.path + "/gzip.log", formatter: .message, rotation: .size(bytes),
            retention: .unlimited, compression: .gzip(level: level), hooks: hooks
        ))
        var offset = 0
        while offset < records.count {
            var batch = LogBatch(records: Array(records[offset..<min(records.count, offset + 1024)]))
            try sink.write(&batch)
            offset += 1024
        }
        // One more line starts the rotation of the full file.
        var last = LogBatch(records: [records[0]])
        try sink.write(&last)
        _ = sink.waitForBackgroundWork(timeout: .seconds(120))
        try sink.close()
        let path = compressedPath.withLock { $0 }
        let start = rotatedAt.load(ordering: .sequentiallyConsistent), end = compressedAt.load(ordering: .sequentiallyConsistent)
        return (start > 0 && end > start ? end - start : 0, fileSize(path: path))
    }

    static func run(_ options: RunOptions) throws -> [Metric] {
        let bytes = options.count(48 << 20, minimum: 16 << 20)
        let (records, text) = makeRecords(bytes: bytes)
        let directory = TemporaryDirectory("gzip")
        var metrics: [Metric] = []
        for level in [1, 6] {
            var ours: [Double] = [], peer: [Double] = [], sizes: [Double] = [], peerSizes: [Double] = []
            // Each run's ratio with where the processors sat during the sink's job, which runs on two
            // threads where zlib's deflate runs on one.
            var placements: [ProcessorPlacement?] = [], ratios: [Double] = []
            for _ in 0..<options.runs {
                let ((time, size), placement) = try ProcessorPlacement.during {
                    try sinkGzip(records: records, bytes: text.count, level: level, directory: directory)
                }
                sizes.append(Double(size))
                let (zlibTime, zlibSize) = zlibDeflate(text, level: Int32(level))
                peer.append(Double(text.count) / (Double(zlibTime) / 1e9) / 1e6)
                peerSizes.append(Double(zlibSize))
                if time > 0 {
                    ours.append(Double(text.count) / (Double(time) / 1e9) / 1e6)
                    placements.append(placement)
                    ratios.append(Double(zlibTime) / Double(time))
                }
            }
            let sizesNote = String(format: "%d MiB of logfmt; gz ratio ours %.2f, zlib %.2f (includes reading, writing, fsync, rename)",
                                   text.count >> 20, Double(text.count) / median(sizes), Double(text.count) / median(peerSizes))
            let byPlacement = ProcessorPlacement.summary(placements, values: ratios, unit: "x") { String(format: "%.2f", $0) }
            let note = Metric.joinedNote(sizesNote, byPlacement)
            metrics.append(Metric("10 file sink gzip level \(level) MB/s vs zlib deflate", unit: "MB/s", ours: ours, peer: peer,
                                  peerName: "zlib level \(level)", targetRatio: 0.9, lowerIsBetter: false,
                                  extraCheck: ours.count == options.runs, note: note))
        }
        return metrics
    }
}
