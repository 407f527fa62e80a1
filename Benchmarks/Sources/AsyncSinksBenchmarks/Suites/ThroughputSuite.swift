import AsyncSinks
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Metric 7: end-to-end lines per second into a file sink (block policy, ~120-byte lines), against
/// `StreamLogHandler` to a file; and two producers against one, with nothing lost.
enum ThroughputSuite {
    /// The producer's call: about 120 bytes of logfmt without the source location.
    @inline(__always)
    static func produce(_ logger: AsyncSinks.Logger, _ index: Int) {
        logger.info("request served", [
            "method": "GET", "path": "/api/v1/orders", "status": 200, "ms": .int(Int64(index & 1023)),
        ])
    }

    struct Result {
        var linesPerSecond: Double
        var lost: Int
        var bytesPerLine: Double
        /// Where the processors sat around the timed part (nil with one processor, and for the peer).
        var placement: ProcessorPlacement? = nil
    }

    /// Logs `lines` records from `producers` threads into one file sink and waits until all are
    /// written; checks the file's line count.
    static func measureOurs(lines: Int, producers: Int) throws -> Result {
        let directory = TemporaryDirectory("throughput")
        let files = try FilePipeline(
            directory: directory, formatter: LogfmtFormatter(includeSource: false),
            configuration: SinkConfiguration(backpressure: .block)
        )
        let logger = files.logger
        for index in 0..<10_000 { produce(logger, index) }
        files.pipeline.flush(timeout: .seconds(30))
        let linesBefore = countLines(path: files.paths[0])
        let perProducer = lines / producers
        let ((flushed, elapsed), placement) = ProcessorPlacement.during {
            let start = monotonicNanoseconds()
            if producers == 1 {
                for index in 0..<perProducer { produce(logger, index) }
            } else {
                let group = DispatchGroup()
                for _ in 0..<producers {
                    group.enter()
                    Thread.detachNewThread {
                        for index in 0..<perProducer { produce(logger, index) }
                        group.leave()
                    }
                }
                group.wait()
            }
            let flushed = files.pipeline.flush(timeout: .seconds(120))
            return (flushed, monotonicNanoseconds() - start)
        }
        files.pipeline.close(timeout: .seconds(30))
        let total = perProducer * producers
        let written = countLines(path: files.paths[0]) - linesBefore
        let lost = (flushed.completed ? 0 : 1) + abs(total - written) + files.lost
        let bytes = Double(fileSize(path: files.paths[0])) / Double(linesBefore + written)
        return Result(
            linesPerSecond: Double(total) / (Double(elapsed) / 1e9), lost: lost, bytesPerLine: bytes, placement: placement
        )
    }

    /// `StreamLogHandler` writing the same call to a file.
    static func measurePeer(lines: Int) -> Result {
        let directory = TemporaryDirectory("throughput-peer")
        let path = directory.path + "/peer.log"
        let (logger, descriptor) = SwiftLogPeer.fileLogger(path: path)
        defer { close(descriptor) }
        let start = monotonicNanoseconds()
        for index in 0..<lines {
            logger.info("request served", metadata: [
                "method": "GET", "path": "/api/v1/orders", "status": "200", "ms": "\(index & 1023)",
            ])
        }
        let elapsed = monotonicNanoseconds() - start
        let written = countLines(path: path)
        return Result(
            linesPerSecond: Double(lines) / (Double(elapsed) / 1e9), lost: abs(lines - written),
            bytesPerLine: Double(fileSize(path: path)) / Double(max(1, written))
        )
    }

    /// Logs 12 million records (4 million with `--quick`) from one producer into one file sink, as
    /// metric 7 does, so that a profiler (`perf record -g`) sees its end-to-end path; reports the rate.
    static func profile(_ options: RunOptions) throws -> [Metric] {
        let result = try measureOurs(lines: options.quick ? 4_000_000 : 12_000_000, producers: 1)
        return [Metric("end-to-end lines/s, 1 producer (profiling aid)", unit: "lines/s", ours: [result.linesPerSecond],
                       note: "\(result.lost) lines lost")]
    }

    static func run(_ options: RunOptions) throws -> [Metric] {
        var one: [Result] = [], two: [Result] = [], peer: [Result] = []
        for _ in 0..<options.runs {
            one.append(try measureOurs(lines: options.count(2_000_000, minimum: 300_000), producers: 1))
            two.append(try measureOurs(lines: options.count(2_000_000, minimum: 300_000), producers: 2))
            peer.append(measurePeer(lines: options.count(100_000, minimum: 30_000)))
        }
        let lostOne = one.reduce(0) { $0 + $1.lost }, lostTwo = two.reduce(0) { $0 + $1.lost }
        let byPlacement = ProcessorPlacement.summary(one.map(\.placement), values: one.map(\.linesPerSecond), unit: " M") {
            String(format: "%.2f", $0 / 1e6)
        }
        let bytes = String(format: "%.0f B/line (peer %.0f B/line)", median(one.map(\.bytesPerLine)), median(peer.map(\.bytesPerLine)))
        return [
            Metric("7 end-to-end lines/s into a file sink, 1 producer", unit: "lines/s",
                   ours: one.map(\.linesPerSecond), peer: peer.map(\.linesPerSecond), peerName: "StreamLogHandler to a file",
                   targetRatio: 20, lowerIsBetter: false, bound: 4_000_000, extraCheck: lostOne == 0,
                   note: Metric.joinedNote("\(lostOne) lines lost", bytes, byPlacement)),
            Metric("7 end-to-end lines/s, 2 producers vs 1", unit: "lines/s",
                   ours: two.map(\.linesPerSecond), peer: one.map(\.linesPerSecond), peerName: "1 producer",
                   targetRatio: 0.75, lowerIsBetter: false, extraCheck: lostTwo == 0, note: "\(lostTwo) lines lost (line count of the file)"),
        ]
    }
}
