#if ServiceLifecycle
import AsyncSinks
import AsyncSinksServiceLifecycle
import ServiceLifecycle
import Logging
import ServiceLifecycleTestKit
import Synchronization
import Testing

private final class CollectingSink: LogSink {
    private let messages = Mutex<[String]>([])
    func write(_ batch: inout LogBatch) throws {
        let new = batch.records.map(\.message)
        messages.withLock { $0.append(contentsOf: new) }
    }
    func flush() throws {}
    func close() throws {}
    var written: [String] { messages.withLock { $0 } }
}

@Suite("PipelineService")
struct PipelineServiceTests {
    @Test("Graceful shutdown closes the pipeline and reports every record written")
    func gracefulShutdownClosesThePipeline() async throws {
        let sink = CollectingSink()
        let pipeline = try LogPipeline(sinks: [
            SinkRegistration("memory", sink: sink, configuration: SinkConfiguration(batching: BatchingPolicy(maxWait: .seconds(3600)))),
        ])
        let reports = Mutex<[CloseReport]>([])
        let service = PipelineService(
            pipeline: pipeline,
            configuration: .init(closeTimeout: .seconds(30), onClose: { report in reports.withLock { $0.append(report) } })
        )
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                let logger = pipeline.logger(label: "test")
                logger.info("before shutdown 1")
                logger.info("before shutdown 2")
                #expect(!pipeline.isClosed)
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(pipeline.isClosed)
        #expect(sink.written == ["before shutdown 1", "before shutdown 2"])
        let report = try #require(reports.withLock { $0.first })
        #expect(reports.withLock { $0.count } == 1)
        #expect(report.completedInTime)
        #expect(report.sinks.map(\.written) == [2])
    }

    @Test("Cancellation also closes the pipeline")
    func cancellationClosesThePipeline() async throws {
        let sink = CollectingSink()
        let pipeline = try LogPipeline(sinks: [SinkRegistration("memory", sink: sink)])
        let service = PipelineService(pipeline: pipeline)
        pipeline.logger(label: "test").info("kept")
        let task = Task { try await service.run() }
        task.cancel()
        try await task.value
        #expect(pipeline.isClosed)
        #expect(sink.written == ["kept"])
    }

    @Test("The service runs in a service group and stops with it")
    func runsInAServiceGroup() async throws {
        let sink = CollectingSink()
        let pipeline = try LogPipeline(sinks: [SinkRegistration("memory", sink: sink)])
        let service = PipelineService(pipeline: pipeline)
        #expect(service.description == "PipelineService(sinks: memory)")
        let group = ServiceGroup(services: [service], logger: Logging.Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            pipeline.logger(label: "test").info("served")
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(pipeline.isClosed)
        #expect(sink.written == ["served"])
    }
}
#endif
