// asyncsinks-example-swift-log: bootstrap swift-log with an AsyncSinks pipeline of several sinks,
// each with its own level. Build with `--traits SwiftLog`.
#if SwiftLog
import AsyncSinks
import AsyncSinksSwiftLog
import Foundation
import Logging
import SinkConsole
import SinkFile

enum Request {
    @TaskLocal static var id: String?
}

struct UpstreamTimeout: Error {}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("asyncsinks-swift-log-\(getpid())")
let logPath = directory.appendingPathComponent("app.log").path
defer { try? FileManager.default.removeItem(at: directory) }

// Warnings and up on the console, debug and up in the file, as JSON lines.
let pipeline = try LogPipeline(sinks: [
    SinkRegistration(
        "console",
        sink: ConsoleSink(configuration: ConsoleSink.Configuration(stream: .standardOutput)),
        configuration: SinkConfiguration(minimumLevel: .warning)
    ),
    SinkRegistration(
        "file",
        sink: try FileSink(configuration: FileSinkConfiguration(path: logPath, formatter: .json)),
        configuration: SinkConfiguration(minimumLevel: .debug)
    ),
])

// One line: every swift-log Logger now logs through the pipeline; the provider adds the request id.
LoggingSystem.bootstrap(
    { label, provider in AsyncSinksLogHandler(label: label, pipeline: pipeline, metadataProvider: provider) },
    metadataProvider: Logger.MetadataProvider { Request.id.map { ["request_id": .string($0)] } ?? [:] }
)

var logger = Logger(label: "checkout")
logger[metadataKey: "region"] = "eu-west-1"
logger.trace("not taken by any sink")                     // below every sink's level: never evaluated
Request.$id.withValue("req-42") {
    logger.debug("cart loaded", metadata: ["items": .stringConvertible(3)])
    logger.info("order placed", metadata: ["order": ["id": "A-1042", "total_cents": .stringConvertible(5990)]])
    logger.warning("payment slow", metadata: ["elapsed_ms": .stringConvertible(1800)])
    logger.error("payment failed", error: UpstreamTimeout(), metadata: ["order.id": "A-1042"])
}

// Before exit: drain, flush and close every sink.
let report = pipeline.close(timeout: .seconds(5))
print(report)

let lines = (try? String(contentsOfFile: logPath, encoding: .utf8))?.split(separator: "\n") ?? []
let console = report.sinks.first { $0.name == "console" }
guard lines.count == 4, console?.written == 2, lines.allSatisfy({ $0.contains("\"request_id\":\"req-42\"") }),
    lines[1].contains("\"order.total_cents\":5990")
else {
    print("unexpected output:\n" + lines.joined(separator: "\n"))
    exit(1)
}
print("file: \(lines.count) JSON lines, console: \(console?.written ?? 0) lines")
#else
print("asyncsinks-example-swift-log needs the SwiftLog trait: swift run --traits SwiftLog asyncsinks-example-swift-log")
#endif
