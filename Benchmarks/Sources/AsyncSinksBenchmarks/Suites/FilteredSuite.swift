import AsyncSinks
import Logging

#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Metric 4: a call below the enabled level, against swift-log's own filtered call; the message
/// must never be evaluated.
enum FilteredSuite {
    /// How many times a message autoclosure ran.
    static let evaluations = Atomic<Int>(0)

    static func message() -> String {
        evaluations.add(1, ordering: .relaxed)
        return "expensive message"
    }

    @inline(never)
    static func ours(_ logger: AsyncSinks.Logger, _ index: Int) {
        logger.debug("\(message()) \(index)", ["index": .int(Int64(index))])
    }

    @inline(never)
    static func theirs(_ logger: Logging.Logger, _ index: Int) {
        logger.debug("\(message()) \(index)", metadata: ["index": "\(index)"])
    }

    static func run(_ options: RunOptions) throws -> [Metric] {
        let iterations = options.count(20_000_000, minimum: 2_000_000)
        var oursTimes: [Double] = [], peerTimes: [Double] = []
        let directory = TemporaryDirectory("filtered")
        let files = try FilePipeline(directory: directory)
        let logger = files.pipeline.logger(label: "bench", level: .info)
        let (peerLogger, descriptor) = SwiftLogPeer.fileLogger(path: directory.path + "/peer.log", level: .info)
        defer { close(descriptor) }
        evaluations.store(0, ordering: .relaxed)
        for _ in 0..<options.runs {
            oursTimes.append(timeLoop(iterations: iterations) { ours(logger, $0) })
            peerTimes.append(timeLoop(iterations: iterations) { theirs(peerLogger, $0) })
        }
        files.pipeline.close(timeout: .seconds(5))
        let evaluated = evaluations.load(ordering: .relaxed)
        return [
            Metric("4 call below the enabled level", unit: "ns", ours: oursTimes, peer: peerTimes,
                   peerName: "swift-log filtered call", targetRatio: 1, extraCheck: evaluated == 0,
                   note: "message evaluated \(evaluated) times (must be 0)"),
        ]
    }
}
