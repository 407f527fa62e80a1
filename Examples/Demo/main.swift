// asyncsinks-demo: a small simulated service logging to the console and to a rotating file under
// ./logs, and to Grafana Loki when LOKI_URL is set (LOKI_TENANT, LOKI_USER and LOKI_PASSWORD are
// optional). It prints every sink's counters at exit and fails when any record is unaccounted for.
import AsyncSinks
import Foundation
import SinkConsole
import SinkFile
import SinkLoki

let environment = ProcessInfo.processInfo.environment
var sinks: [SinkRegistration] = []

// The console shows warnings and errors for humans, in colour on a terminal.
sinks.append(SinkRegistration(
    "console",
    sink: ConsoleSink(configuration: ConsoleSink.Configuration(stream: .splitByLevel(threshold: .error))),
    configuration: SinkConfiguration(minimumLevel: .warning, batching: .immediate)
))

// The file keeps everything, as logfmt, rotated at 1 MiB, gzip-compressed, five files kept.
sinks.append(SinkRegistration(
    "file",
    sink: try FileSink(configuration: FileSinkConfiguration(
        path: "logs/demo.log",
        rotation: .size(1 << 20),
        retention: FileRetentionPolicy(maxFiles: 5),
        compression: .gzip(level: 6)
    )),
    configuration: SinkConfiguration(backpressure: .block(timeout: .milliseconds(100)))
))

// Loki, when configured: the level and service become labels; request ids stay in the line.
if let url = environment["LOKI_URL"], !url.isEmpty {
    var loki = LokiSinkConfiguration(url: url)
    loki.tenant = environment["LOKI_TENANT"]
    if let user = environment["LOKI_USER"], let password = environment["LOKI_PASSWORD"] {
        loki.authentication = .basic(username: user, password: password)
    }
    loki.staticLabels = ["service_name": "asyncsinks-demo", "env": "demo"]
    loki.promotedFields = ["route"]
    sinks.append(SinkRegistration(
        "loki",
        sink: try LokiSink(configuration: loki),
        configuration: SinkConfiguration(backpressure: .dropOldest, batching: BatchingPolicy(maxWait: .seconds(1)))
    ))
}

let pipeline = try LogPipeline(sinks: sinks)
let logger = pipeline.logger(label: "demo", fields: ["service": "shop", "version": "1.4.2"])
logger.notice("service starting", ["sinks": .string(pipeline.sinkNames.joined(separator: ","))])

let started = ContinuousClock.now
DemoService(logger: logger, requests: 2_000, workers: 4).run()
logger.notice("service stopping", ["elapsed_ms": .int(Int64((ContinuousClock.now - started) / .milliseconds(1)))])

let report = pipeline.close(timeout: .seconds(10))
print("\n\(report)")
exit(report.sinks.allSatisfy { $0.isBalanced && $0.pending == 0 && $0.failed == 0 } ? 0 : 1)
