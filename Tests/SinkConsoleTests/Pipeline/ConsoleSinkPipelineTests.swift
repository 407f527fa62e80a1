import AsyncSinks
import Dispatch
import Foundation
import SinkConsole
import Testing

@Suite("ConsoleSink in a LogPipeline")
struct ConsoleSinkPipelineTests {
    typealias D = DescriptorFixtures

    @Test("concurrent producers: every line once, in order per producer, and the accounting balances")
    func concurrentProducers() throws {
        try D.withTemporaryFile { descriptor, path in
            let console = ConsoleSink(
                configuration: .init(stream: .fileDescriptor(descriptor), formatter: .logfmt, colors: .never),
                environment: [:],
                isTerminal: { _ in false }
            )
            let pipeline = try LogPipeline(
                configuration: PipelineConfiguration(workerCount: 2),
                sinks: [SinkRegistration("console", sink: console, configuration: SinkConfiguration(
                    queue: QueueLimits(maxRecords: 512), backpressure: .block,
                    batching: BatchingPolicy(maxEntries: 128, maxWait: .milliseconds(2))
                ))]
            )
            let producers = 4
            let perProducer = 2_000
            DispatchQueue.concurrentPerform(iterations: producers) { producer in
                let logger = pipeline.logger(label: "producer-\(producer)")
                for index in 0..<perProducer {
                    logger.info("p\(producer)-\(index)", ["index": .int(Int64(index))])
                }
            }
            let report = pipeline.close(timeout: .seconds(60))
            #expect(report.completedInTime)
            let stats = try #require(report.sinks.first { $0.name == "console" })
            #expect(stats.accepted == producers * perProducer)
            #expect(stats.written == producers * perProducer)
            #expect(stats.accepted == stats.written + stats.droppedTotal + stats.failed + stats.pending)

            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == producers * perProducer)
            var nextIndex = [Int](repeating: 0, count: producers)
            for line in lines {
                let message = try #require(line.split(separator: " ").first { $0.hasPrefix("msg=p") })
                let parts = message.dropFirst(5).split(separator: "-")
                let producer = try #require(Int(parts[0]))
                let index = try #require(Int(parts[1]))
                #expect(index == nextIndex[producer])
                nextIndex[producer] = index + 1
            }
            #expect(nextIndex == [Int](repeating: perProducer, count: producers))
        }
    }

    @Test("a descriptor that is not open fails every record for good, with the reason in the stats")
    func closedDescriptorFailsRecords() throws {
        let console = ConsoleSink(
            configuration: .init(stream: .fileDescriptor(D.closedDescriptor)),
            environment: [:],
            isTerminal: { _ in false }
        )
        let pipeline = try LogPipeline(
            configuration: PipelineConfiguration(workerCount: 1),
            sinks: [SinkRegistration("console", sink: console, configuration: SinkConfiguration())]
        )
        let logger = pipeline.logger(label: "closed")
        for index in 0..<100 { logger.error("line \(index)") }
        let report = pipeline.close(timeout: .seconds(30))
        #expect(report.completedInTime)
        let stats = try #require(report.sinks.first { $0.name == "console" })
        #expect(stats.accepted == 100)
        #expect(stats.failed == 100)
        #expect(stats.written == 0)
        #expect(stats.retries == 0)
        #expect(stats.lastError?.contains("EBADF") == true)
        #expect(stats.accepted == stats.written + stats.droppedTotal + stats.failed + stats.pending)
    }

    /// The README's console example, with the stream pointed at a temporary file.
    @Test("README example")
    func readmeExample() throws {
        try D.withTemporaryFile { descriptor, path in
            // README: begin
            let console = ConsoleSink(configuration: .init(
                stream: .splitByLevel(threshold: .warning),   // warning and above to stderr, the rest to stdout
                formatter: .text,                             // or .logfmt, .json, TextFormatter(includeSource: false)
                colors: .automatic                            // FORCE_COLOR, NO_COLOR, TERM=dumb, then isatty
            ))
            // README: end
            #expect(console.configuration.stream == .splitByLevel())

            var configuration = console.configuration
            configuration.stream = .fileDescriptor(descriptor)
            configuration.formatter = LogfmtFormatter(timestamp: TimestampFormat(precision: .milliseconds), includeSource: false)
            let pipeline = try LogPipeline(sinks: [
                SinkRegistration("console", sink: ConsoleSink(configuration: configuration), configuration: SinkConfiguration())
            ])
            var logger = pipeline.logger(label: "api")
            logger.bind(["service": "checkout"])
            logger.info("request served", ["status": 200, "path": "/cart", "ms": 12.5])
            let report = pipeline.close(timeout: .seconds(10))
            #expect(report.completedInTime)
            let line = try String(contentsOfFile: path, encoding: .utf8)
            #expect(line.hasPrefix("time="))
            #expect(line.hasSuffix(" level=info logger=api msg=\"request served\" service=checkout status=200 path=/cart ms=12.5\n"))
        }
    }
}
