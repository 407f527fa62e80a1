#if canImport(AsyncSinksSwiftLog)
import AsyncSinks
import AsyncSinksSwiftLog
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Metric 2: the same call through swift-log with the AsyncSinks bridge (`AsyncSinksLogHandler`
/// over a pipeline with a file sink) against swift-log with `StreamLogHandler` writing to a file.
enum BridgeSuite {
    static func measureBridge(batches: Int) throws -> (Percentiles, lost: Int) {
        let directory = TemporaryDirectory("bridge")
        let files = try FilePipeline(directory: directory)
        let pipeline = files.pipeline
        let logger = Logging.Logger(label: "bench") { label in AsyncSinksLogHandler(label: label, pipeline: pipeline) }
        _ = timeBatches(batches: 1_000, batchSize: CallerSuite.batchSize, pauseNanoseconds: CallerSuite.pauseNanoseconds) {
            SwiftLogPeer.logThreeFields(logger, $0)
        }
        pipeline.flush(timeout: .seconds(30))
        let samples = timeBatches(batches: batches, batchSize: CallerSuite.batchSize, pauseNanoseconds: CallerSuite.pauseNanoseconds) {
            SwiftLogPeer.logThreeFields(logger, $0)
        }
        pipeline.close(timeout: .seconds(30))
        return (Percentiles(samples), files.lost)
    }

    static func run(_ options: RunOptions) throws -> [Metric] {
        var ours: [Percentiles] = [], peer: [Percentiles] = [], lost = 0
        for _ in 0..<options.runs {
            let (percentiles, runLost) = try measureBridge(batches: options.count(10_000, minimum: 2_000))
            ours.append(percentiles)
            lost += runLost
            peer.append(CallerSuite.measureStreamLogHandler(batches: options.count(2_000, minimum: 1_000)))
        }
        let peerName = "swift-log StreamLogHandler"
        return [
            Metric("2 swift-log bridge caller latency p50", unit: "ns", ours: ours.map(\.p50), peer: peer.map(\.p50),
                   peerName: peerName, targetRatio: 5, extraCheck: lost == 0, note: "\(lost) records lost"),
            Metric("2 swift-log bridge caller latency p99", unit: "ns", ours: ours.map(\.p99), peer: peer.map(\.p99),
                   peerName: peerName),
        ]
    }
}
#else
/// Metric 2 needs the swift-log bridge (module `AsyncSinksSwiftLog`, trait `SwiftLog` of the main package).
enum BridgeSuite {
    static func run(_ options: RunOptions) throws -> [Metric] {
        [.pending("2 swift-log bridge caller latency p50", unit: "ns", peerName: "swift-log StreamLogHandler", targetRatio: 5,
                  note: "the bridge module AsyncSinksSwiftLog is not available to this package")]
    }
}
#endif
