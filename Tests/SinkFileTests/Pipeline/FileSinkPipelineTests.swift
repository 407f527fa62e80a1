import AsyncSinks
import Dispatch
import Foundation
@testable import SinkFile
import Testing

@Suite("FileSink in a LogPipeline")
struct FileSinkPipelineTests {
    /// The `msg` value of a logfmt line (the test messages need no quoting).
    private func message(ofLogfmtLine line: String) -> String? {
        line.split(separator: " ").first { $0.hasPrefix("msg=") }.map { String($0.dropFirst(4)) }
    }

    @Test("four producer threads with a blocking queue: every line once, in order per producer, across rotated and gzipped files")
    func concurrentProducers() throws {
        let directory = try TemporaryDirectory()
        let sink = try FileSink(configuration: FileSinkConfiguration(
            path: directory.file("app.log"),
            rotation: .size(16 * 1024),
            retention: .unlimited,
            compression: .gzip(level: 1)
        ))
        let pipeline = try LogPipeline(
            configuration: PipelineConfiguration(workerCount: 2),
            sinks: [SinkRegistration("file", sink: sink, configuration: SinkConfiguration(
                queue: QueueLimits(maxRecords: 256), backpressure: .block,
                batching: BatchingPolicy(maxEntries: 128, maxWait: .milliseconds(5))
            ))]
        )
        let producers = 4
        let perProducer = 2_000
        DispatchQueue.concurrentPerform(iterations: producers) { producer in
            let logger = pipeline.logger(label: "producer-\(producer)")
            for index in 0..<perProducer {
                logger.info("p\(producer)-\(index)", ["producer": .int(Int64(producer)), "index": .int(Int64(index))])
            }
        }
        let report = pipeline.close(timeout: .seconds(60))
        #expect(report.completedInTime)
        let stats = try #require(report.sinks.first { $0.name == "file" })
        #expect(stats.accepted == producers * perProducer)
        #expect(stats.written == producers * perProducer)
        #expect(stats.pending == 0)

        let rotated = try directory.rotated(of: "app.log")
        #expect(rotated.count > 3)
        #expect(rotated.allSatisfy { $0.state == .compressed })
        var nextIndex = [Int](repeating: 0, count: producers)
        var total = 0
        for line in try directory.allLines(of: "app.log") {
            let text = try #require(message(ofLogfmtLine: line))
            let parts = text.dropFirst().split(separator: "-")
            let producer = try #require(Int(parts[0]))
            let index = try #require(Int(parts[1]))
            #expect(index == nextIndex[producer], "producer \(producer): expected \(nextIndex[producer]), found \(index)")
            nextIndex[producer] = index + 1
            total += 1
        }
        #expect(total == producers * perProducer)
        #expect(nextIndex == [Int](repeating: perProducer, count: producers))
    }

    @Test("with injected write failures, accepted = written + dropped + failed + pending, nothing pending after close, and the file holds exactly the written lines")
    func accountingWithFailures() throws {
        let directory = try TemporaryDirectory()
        let fileSystem = FaultyFileSystem()
        // Two failures in a row every seven writes: with two attempts, some batches fail for good and
        // others succeed on their retry.
        fileSystem.failWrites(period: 7, burst: 2, code: ENOSPC)
        let sink = try FileSink(
            configuration: FileSinkConfiguration(
                path: directory.file("app.log"), formatter: MessageLineFormatter(), rotation: .size(4 * 1024)
            ),
            fileSystem: fileSystem
        )
        let pipeline = try LogPipeline(
            configuration: PipelineConfiguration(workerCount: 2),
            sinks: [SinkRegistration("file", sink: sink, configuration: SinkConfiguration(
                queue: QueueLimits(maxRecords: 512), backpressure: .block,
                batching: BatchingPolicy(maxEntries: 16, maxWait: .milliseconds(1)),
                retry: RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(2))
            ))]
        )
        let logger = pipeline.logger(label: "accounting")
        let count = 2_000
        for index in 0..<count { logger.info("line-\(index)") }
        let report = pipeline.close(timeout: .seconds(60))
        #expect(report.completedInTime)
        let stats = try #require(report.sinks.first { $0.name == "file" })
        #expect(stats.accepted == count)
        #expect(stats.pending == 0)
        #expect(stats.accepted == stats.written + stats.droppedTotal + stats.failed + stats.pending)
        #expect(stats.failed > 0)
        #expect(stats.retries > 0)
        #expect(stats.lastError?.contains("ENOSPC") == true)

        let lines = try directory.allLines(of: "app.log")
        #expect(lines.count == stats.written)
        #expect(Set(lines).count == lines.count)
        let indices = lines.compactMap { Int($0.dropFirst(5)) }
        #expect(indices == indices.sorted())
    }
}
