import AsyncSinks
import CAsyncSinksSupport
import SinkFile

#if canImport(Glibc)
import Glibc
#endif

/// Metric 8: the file sink's write path in bytes per second (preformatted 120-byte lines through
/// `MessageFormatter`, so the formatting work is one copy per line) against raw `write(2)` of the
/// same bytes in 1 MiB chunks.
///
/// The sink reserves disk space ahead of the file's end (`FilePreallocation`, 8 MiB steps), which
/// plain `write(2)` does not; a last line times `write(2)` into space reserved the same way, so the
/// two effects can be told apart.
enum FileBytesSuite {
    /// Distinct lines of 120 bytes (with the newline) filling `bytes`.
    static func makeRecords(bytes: Int) -> [LogRecord] {
        (0..<(bytes / 120)).map { index in
            var text = "time=2026-11-24T09:00:00.\(100_000 + index)Z level=info logger=api msg=\"request served\" path=/api/v1/orders/\(10_000 + index) status=200"
            while text.utf8.count < 119 { text += "." }
            return LogRecord(timestamp: LogTimestamp(nanosecondsSinceEpoch: 0), level: .info, message: String(text.prefix(119)))
        }
    }

    static func run(_ options: RunOptions) throws -> [Metric] {
        // 128 MiB per writer and run. With 512 MiB, the VM reported freed memory to its host several
        // times per invocation, and a pass that then refilled the page cache faulted on the host
        // for every page and ran at a third of its speed (see FINDINGS.md, metric 8).
        let totalBytes = options.count(128 << 20, minimum: 64 << 20)
        // Batches as large as the default byte budget (`BatchingPolicy.maxBytes`, 1 MiB): the size
        // the sink receives when the byte limit, not the entry count, closes batches.
        let large = try measure(records: makeRecords(bytes: BatchingPolicy.default.maxBytes), totalBytes: totalBytes, options: options)
        // Batches of the default entry count (1024 lines, 120 KiB).
        let small = try measure(records: makeRecords(bytes: 1024 * 120), totalBytes: totalBytes, options: options)
        return [
            Metric("8 file sink write path MB/s vs write(2) 1 MiB chunks", unit: "MB/s", ours: large.ours, peer: large.peer,
                   peerName: "raw write(2)", targetRatio: 0.8, lowerIsBetter: false,
                   note: "\(totalBytes >> 20) MiB per run, 120-byte lines, 1 MiB batches (8,738 lines); \(large.slowest.description)"),
            Metric("8 file sink write path MB/s, batches of 1024 lines", unit: "MB/s", ours: small.ours, peer: small.peer,
                   peerName: "raw write(2)", lowerIsBetter: false,
                   note: "the default maxEntries; write(2) of 120 KiB alone reaches ~0.8 of 1 MiB writes"),
            Metric("8 file sink write path MB/s vs write(2) from a malloc'd buffer", unit: "MB/s", ours: large.ours,
                   peer: large.peerUnaligned, peerName: "raw write(2), source 16 bytes past a cache line", lowerIsBetter: false,
                   note: "1 MiB batches; the peer's buffer where glibc's malloc places a block of 1 MiB"),
            Metric("8 file sink write path MB/s vs write(2) into reserved space", unit: "MB/s", ours: large.ours,
                   peer: large.peerReserved, peerName: "raw write(2), space reserved in 8 MiB steps", lowerIsBetter: false,
                   note: "1 MiB batches; the peer reserves disk space as the sink does (fallocate, keeping the size)"),
        ]
    }

    /// Writes `records` as one batch again and again, alternating with `write(2)` of the same bytes
    /// in 1 MiB chunks in rounds of 16 MiB (so that both meet the same page-cache and writeback
    /// conditions), and returns the rates of each run in MB/s.
    ///
    /// The peer writes from a buffer on a cache-line boundary, as the sink's own buffer is: the
    /// kernel's copy into the page cache is fastest when source and destination share their offset
    /// within a cache line, which the file's offset (a multiple of 1 MiB) and the buffer then do.
    ///
    /// Two more peers are timed in a pass of their own after the sink's, alternating in the same
    /// rounds: the same bytes from 16 bytes past a cache line, where glibc's `malloc` places a block
    /// of 1 MiB, and from the line buffer into a file whose space is reserved 8 MiB at a time as
    /// the sink's is. In the sink's pass they would make the sink follow a different writer than the
    /// peer does, and double the page cache that a pass fills and frees.
    private static func measure(
        records: [LogRecord], totalBytes: Int, options: RunOptions
    ) throws -> (ours: [Double], peer: [Double], peerUnaligned: [Double], peerReserved: [Double], slowest: SlowestWrites) {
        let batchBytes = records.reduce(0) { $0 + $1.message.utf8.count + 1 }
        let chunk = LineBuffer(capacity: 2 << 20)
        while chunk.count < 1 << 20 {
            for record in records where chunk.count < 1 << 20 { MessageFormatter().format(record, into: chunk) }
        }
        chunk.truncate(to: 1 << 20)
        let unalignedStorage = UnsafeMutableRawPointer.allocate(byteCount: (1 << 20) + 64, alignment: 64)
        defer { unalignedStorage.deallocate() }
        let unaligned = UnsafeMutableRawBufferPointer(start: unalignedStorage + 16, count: 1 << 20)
        chunk.withUnsafeReadableBytes { bytes in unaligned.copyMemory(from: bytes) }
        let roundBatches = max(1, (16 << 20) / batchBytes)
        let rounds = max(1, totalBytes / (roundBatches * batchBytes))
        let roundChunks = roundBatches * batchBytes / (1 << 20)
        let chunkBytes = Double(rounds * roundChunks << 20)
        var ours: [Double] = [], peer: [Double] = [], peerUnaligned: [Double] = [], peerReserved: [Double] = []
        var slowest = SlowestWrites()
        let directory = TemporaryDirectory("filebytes")
        // One run more than asked, discarded: the first run of a process pays for the kernel's
        // first allocation of page-cache memory, for the sink and write(2) unevenly.
        for run in 0...options.runs {
            directory.removeFiles()
            let sink = try FileSink(configuration: FileSinkConfiguration(
                path: directory.path + "/sink.log", formatter: .message, rotation: .never, retention: .unlimited
            ))
            let raw = ChunkWriter(path: directory.path + "/raw.log", reservationStep: nil)
            var sinkTime: Int64 = 0, rawTime: Int64 = 0, slowestBatch: Int64 = 0
            let readBefore = systemDiskReadKiB()
            for _ in 0..<rounds {
                for _ in 0..<roundBatches {
                    let start = monotonicNanoseconds()
                    var batch = LogBatch(records: records)
                    try sink.write(&batch)
                    let elapsed = monotonicNanoseconds() - start
                    sinkTime += elapsed
                    slowestBatch = max(slowestBatch, elapsed)
                }
                rawTime += chunk.withUnsafeReadableBytes { raw.timeWriting($0, times: roundChunks) }
            }
            let readAfter = systemDiskReadKiB()
            try sink.close()
            raw.closeFile()
            directory.removeFiles()

            let unalignedWriter = ChunkWriter(path: directory.path + "/unaligned.log", reservationStep: nil)
            let reservedWriter = ChunkWriter(path: directory.path + "/reserved.log", reservationStep: 8 << 20)
            var unalignedTime: Int64 = 0, reservedTime: Int64 = 0
            for _ in 0..<rounds {
                unalignedTime += unalignedWriter.timeWriting(UnsafeRawBufferPointer(unaligned), times: roundChunks)
                reservedTime += chunk.withUnsafeReadableBytes { reservedWriter.timeWriting($0, times: roundChunks) }
            }
            unalignedWriter.closeFile()
            reservedWriter.closeFile()
            directory.removeFiles()
            guard run > 0 else { continue }
            slowest.batches.append(slowestBatch)
            slowest.chunks.append(raw.slowestWrite)
            if let readBefore, let readAfter { slowest.diskReadKiB.append(readAfter - readBefore) }
            ours.append(Double(rounds * roundBatches * batchBytes) / (Double(sinkTime) / 1e9) / 1e6)
            peer.append(chunkBytes / (Double(rawTime) / 1e9) / 1e6)
            peerUnaligned.append(chunkBytes / (Double(unalignedTime) / 1e9) / 1e6)
            peerReserved.append(chunkBytes / (Double(reservedTime) / 1e9) / 1e6)
        }
        return (ours, peer, peerUnaligned, peerReserved, slowest)
    }
}

/// The slowest single write of each run, a batch through the sink and a chunk through `write(2)`,
/// and what the system read from disk meanwhile. A run far under the others with one slow batch
/// was held up once; when the system read from disk during it, the sink's reservation of disk
/// space was most likely waiting for the file system's block bitmaps (see FINDINGS.md, metric 8).
private struct SlowestWrites {
    var batches: [Int64] = []
    var chunks: [Int64] = []
    var diskReadKiB: [Int] = []

    var description: String {
        func list(_ values: [some BinaryInteger]) -> String { values.map { String($0) }.joined(separator: ", ") }
        let reads = diskReadKiB.isEmpty ? "" : "; read from disk meanwhile \(list(diskReadKiB)) KiB"
        return "slowest batch per run \(list(batches.map { $0 / 1000 })) µs, slowest write(2) chunk \(list(chunks.map { $0 / 1000 })) µs\(reads)"
    }
}

/// Appends chunks to a file with plain `write(2)`, optionally reserving disk space ahead of the
/// file's end as the file sink does (`fallocate`, keeping the size).
private final class ChunkWriter {
    private let descriptor: Int32
    private let reservationStep: Int?
    private var written = 0
    private var reservedEnd = 0
    /// The longest single `write(2)` so far, in nanoseconds.
    private(set) var slowestWrite: Int64 = 0

    init(path: String, reservationStep: Int?) {
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        self.reservationStep = reservationStep
    }

    /// Writes `bytes` `times` times and returns the nanoseconds it took.
    func timeWriting(_ bytes: UnsafeRawBufferPointer, times: Int) -> Int64 {
        var total: Int64 = 0
        for _ in 0..<times {
            let start = monotonicNanoseconds()
            if let reservationStep, written + bytes.count > reservedEnd {
                _ = asyncsinks_reserve_file_space(descriptor, Int64(reservedEnd), Int64(reservationStep))
                reservedEnd += reservationStep
            }
            written += write(descriptor, bytes.baseAddress, bytes.count)
            let elapsed = monotonicNanoseconds() - start
            total += elapsed
            slowestWrite = max(slowestWrite, elapsed)
        }
        return total
    }

    func closeFile() {
        close(descriptor)
    }
}
