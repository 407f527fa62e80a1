import AsyncSinks
import SinkFile

#if canImport(Glibc)
import Glibc
#endif

/// Metric 8: the file sink's write path in bytes per second (batches of 1024 preformatted lines,
/// no formatting work) against raw `write(2)` of the same bytes in 1 MiB chunks.
enum FileBytesSuite {
    /// 1024 lines of 120 bytes (with the newline), varied.
    static func makeRecords() -> [LogRecord] {
        (0..<1024).map { index in
            var text = "time=2026-11-24T09:00:00.\(100_000 + index)Z level=info logger=api msg=\"request served\" path=/api/v1/orders/\(10_000 + index) status=200"
            while text.utf8.count < 119 { text += "." }
            return LogRecord(timestamp: LogTimestamp(nanosecondsSinceEpoch: 0), level: .info, message: String(text.prefix(119)))
        }
    }

    static func run(_ options: RunOptions) throws -> [Metric] {
        let records = makeRecords()
        let batchBytes = records.reduce(0) { $0 + $1.message.utf8.count + 1 }
        let totalBytes = options.count(512 << 20, minimum: 128 << 20)
        let batches = totalBytes / batchBytes
        // The same bytes as one 1 MiB chunk for write(2).
        let chunk = LineBuffer(capacity: 2 << 20)
        while chunk.count < 1 << 20 {
            for record in records where chunk.count < 1 << 20 { MessageLineFormatter().format(record, into: chunk) }
        }
        chunk.truncate(to: 1 << 20)
        var ours: [Double] = [], peer: [Double] = []
        let directory = TemporaryDirectory("filebytes")
        // Rounds of 16 MiB alternate between the sink and write(2), so that both meet the same
        // page-cache and writeback conditions.
        let roundBatches = max(1, (16 << 20) / batchBytes)
        let rounds = max(1, batches / roundBatches)
        let roundChunks = roundBatches * batchBytes / (1 << 20)
        for _ in 0..<options.runs {
            directory.removeFiles()
            let sink = try FileSink(configuration: FileSinkConfiguration(
                path: directory.path + "/sink.log", formatter: MessageLineFormatter(), rotation: .never, retention: .unlimited
            ))
            let descriptor = open(directory.path + "/raw.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            var sinkTime: Int64 = 0, rawTime: Int64 = 0
            for _ in 0..<rounds {
                let start = monotonicNanoseconds()
                for _ in 0..<roundBatches {
                    var batch = LogBatch(records: records)
                    try sink.write(&batch)
                }
                sinkTime += monotonicNanoseconds() - start
                let rawStart = monotonicNanoseconds()
                chunk.withUnsafeReadableBytes { bytes in
                    for _ in 0..<roundChunks { _ = write(descriptor, bytes.baseAddress, bytes.count) }
                }
                rawTime += monotonicNanoseconds() - rawStart
            }
            try sink.close()
            close(descriptor)
            ours.append(Double(rounds * roundBatches * batchBytes) / (Double(sinkTime) / 1e9) / 1e6)
            peer.append(Double(rounds * roundChunks << 20) / (Double(rawTime) / 1e9) / 1e6)
            directory.removeFiles()
        }
        return [
            Metric("8 file sink write path MB/s vs write(2) 1 MiB chunks", unit: "MB/s", ours: ours, peer: peer,
                   peerName: "raw write(2)", targetRatio: 0.8, lowerIsBetter: false,
                   note: "\(totalBytes >> 20) MiB per run, 120-byte preformatted lines, batches of 1024"),
        ]
    }
}
