import AsyncSinks
import Foundation
import SinkFile
import Testing

/// The example shown in the README, run against a temporary directory.
@Suite("FileSink README example")
struct ReadmeExampleTests {
    @Test("a pipeline with a rotating, retaining, compressing file sink writes logfmt lines")
    func example() throws {
        let directory = try TemporaryDirectory()
        let logPath = directory.file("myapp/app.log")

        // README example begins
        let fileSink = try FileSink(configuration: FileSinkConfiguration(
            path: logPath,                                   // e.g. "/var/log/myapp/app.log"
            formatter: LogfmtFormatter(),                    // the default; JSONFormatter() for JSON lines
            rotation: FileRotationPolicy(maxBytes: 64 * 1024 * 1024, interval: .daily, timeZone: .utc),
            retention: FileRetentionPolicy(maxFiles: 14, maxAge: .seconds(30 * 86_400), maxTotalBytes: 2 << 30),
            compression: .gzip(level: 6),
            sync: .interval(.seconds(1)),
            hooks: FileSinkHooks(compressionFailed: { path, message in
                print("could not compress \(path): \(message)")
            })
        ))
        let pipeline = try LogPipeline(
            configuration: PipelineConfiguration(workerCount: 2),
            sinks: [SinkRegistration("file", sink: fileSink, configuration: SinkConfiguration(
                backpressure: .block(timeout: .milliseconds(50))
            ))]
        )
        let logger = pipeline.logger(label: "api")
        logger.info("request served", ["status": 200, "path": "/health"])
        // After logrotate moved the file (for example from a SIGHUP handler): try fileSink.reopen()
        let report = pipeline.close(timeout: .seconds(5))
        // README example ends

        #expect(report.completedInTime)
        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        #expect(text.contains("level=info logger=api msg=\"request served\" status=200 path=/health"))
    }
}
