import AsyncSinks
import Synchronization
import Testing

@Suite struct LoggerTests {
    final class CapturingSink: LogSink {
        let records = Mutex<[LogRecord]>([])
        func write(_ batch: inout LogBatch) throws {
            let records = batch.records
            self.records.withLock { $0.append(contentsOf: records) }
        }
    }

    struct Failure: Error, Equatable {}

    @Test func recordsCaptureTheCallSite() throws {
        let sink = CapturingSink()
        let pipeline = try LogPipeline(sinks: [SinkRegistration("capture", sink: sink)])
        var logger = pipeline.logger(label: "billing", fields: ["service": "api"])
        logger.bind(["tenant": "acme"])
        let before = LogTimestamp.now()
        logger.error("charge failed", ["invoice": "INV-43", "tenant": "other"], error: Failure()); let line = #line
        pipeline.close(timeout: .seconds(5))
        let record = try #require(sink.records.withLock { $0.first })
        #expect(record.level == .error && record.message == "charge failed" && record.label == "billing")
        #expect(record.boundFields.map(\.key) == ["service", "tenant"])
        #expect(record.allFields[key: "tenant"] == .string("other"))
        #expect(record.file == #fileID && record.line == UInt(line) && record.function.hasPrefix("recordsCaptureTheCallSite"))
        #expect(record.error as? Failure == Failure())
        #expect(record.timestamp >= before && record.timestamp <= LogTimestamp.now())
    }

    @Test func bindingIsPerCopy() throws {
        let pipeline = try LogPipeline(sinks: [SinkRegistration("capture", sink: CapturingSink())])
        let base = pipeline.logger(label: "a")
        let child = base.with(["request": "r1"])
        #expect(base.fields.isEmpty)
        #expect(child.fields[key: "request"] == .string("r1"))
        pipeline.close(timeout: .seconds(5))
    }

    @Test func isEnabledCombinesTheLoggerAndSinkLevels() throws {
        let pipeline = try LogPipeline(sinks: [
            SinkRegistration("capture", sink: CapturingSink(), configuration: SinkConfiguration(minimumLevel: .info)),
        ])
        var logger = pipeline.logger(label: "a")
        #expect(!logger.isEnabled(.debug) && logger.isEnabled(.info))
        logger.logLevel = .warning
        #expect(!logger.isEnabled(.info) && logger.isEnabled(.critical))
        pipeline.close(timeout: .seconds(5))
    }

    @Test func duplicateSinkNamesAreRejected() {
        #expect(throws: PipelineError.self) {
            _ = try LogPipeline(sinks: [
                SinkRegistration("same", sink: CapturingSink()), SinkRegistration("same", sink: CapturingSink()),
            ])
        }
    }
}
