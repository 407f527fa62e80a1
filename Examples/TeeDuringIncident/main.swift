// asyncsinks-example-tee: tee every record to a local file and to Grafana Loki while Loki is down.
//
// Loki's endpoint is 127.0.0.1 on a port nothing listens on. The file sink keeps every line, the
// logging calls never wait for Loki (its queue drops its oldest records when full, and its retries
// give up quickly), and at exit the example reports what Loki dropped and failed. It exits 0 when
// the file holds every record, no logging call stalled, and every record is accounted for.
import AsyncSinks
import Foundation
import SinkFile
import SinkLoki

/// A loopback port with nothing listening: bound once to get a free number, then closed.
func closedLoopbackPort() -> UInt16? {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
            bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
        }
    }
    return bound ? UInt16(bigEndian: address.sin_port) : nil
}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("asyncsinks-tee-\(getpid())")
let logPath = directory.appendingPathComponent("app.log").path
defer { try? FileManager.default.removeItem(at: directory) }
guard let port = closedLoopbackPort() else {
    print("no loopback port available")
    exit(1)
}

// Loki: small queue that evicts its oldest records, short request timeout, few quick retries.
var loki = LokiSinkConfiguration(url: "http://127.0.0.1:\(port)")
loki.staticLabels = ["service_name": "checkout", "env": "incident-drill"]
loki.requestTimeout = .milliseconds(500)
let pipeline = try LogPipeline(sinks: [
    SinkRegistration(
        "file",
        sink: try FileSink(configuration: FileSinkConfiguration(path: logPath)),
        configuration: SinkConfiguration(backpressure: .block)
    ),
    SinkRegistration(
        "loki",
        sink: try LokiSink(configuration: loki),
        configuration: SinkConfiguration(
            queue: QueueLimits(maxRecords: 2_000),
            backpressure: .dropOldest,
            batching: BatchingPolicy(maxEntries: 500, maxWait: .milliseconds(200)),
            retry: RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(50), maxTotalTime: .seconds(2))
        )
    ),
])

// The application keeps serving: 20 000 requests, each logged, timing the slowest logging call.
let total = 20_000
let logger = pipeline.logger(label: "checkout", fields: ["region": "eu-west-1"])
let clock = ContinuousClock()
var slowest = Duration.zero
let started = clock.now
for request in 0..<total {
    let before = clock.now
    logger.info("request served", ["request": .int(Int64(request)), "route": "/orders", "status": 200])
    slowest = max(slowest, before.duration(to: clock.now))
}
let loggingTime = started.duration(to: clock.now)

let report = pipeline.close(timeout: .seconds(10))
let lines = (try? String(contentsOfFile: logPath, encoding: .utf8))?.split(separator: "\n").count ?? 0

print("logged \(total) records in \(loggingTime), slowest call \(slowest)")
print("file: \(lines) lines in \(logPath)")
for sink in report.sinks { print(sink) }
if let lokiStats = report.sinks.first(where: { $0.name == "loki" }) {
    let reasons = lokiStats.dropped.map { "\($0.value) \($0.key)" }.sorted().joined(separator: ", ")
    print("Loki was unreachable: \(lokiStats.written) written, \(lokiStats.droppedTotal) dropped (\(reasons)), \(lokiStats.failed) failed")
}

// Nothing lost silently: every record is written, dropped with a reason, or failed.
let accountedFor = report.sinks.allSatisfy { $0.isBalanced && $0.pending == 0 }
let fileComplete = lines == total && report.sinks.first { $0.name == "file" }?.written == total
// No logging call waited on Loki: the slowest call is far below one request timeout.
let neverStalled = slowest < .milliseconds(250)
guard accountedFor, fileComplete, neverStalled else {
    print("FAILED: accounted=\(accountedFor) fileComplete=\(fileComplete) neverStalled=\(neverStalled)")
    exit(1)
}
print("ok: the file kept every line while Loki was down")
