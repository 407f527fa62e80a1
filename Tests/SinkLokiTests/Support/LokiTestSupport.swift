@testable import AsyncSinks
import Foundation
import SinkLoki
import Synchronization

/// 2026-01-01T00:00:00Z, the manual clock's time in the sink's tests.
let testNow = LogTimestamp(nanosecondsSinceEpoch: 1_767_225_600_000_000_000)

/// A record at `testNow` plus `offset` milliseconds.
func record(
    _ message: String, level: LogLevel = .info, at offset: Int64 = 0, fields: LogFields = [:], label: String = ""
) -> LogRecord {
    LogRecord(
        timestamp: LogTimestamp(nanosecondsSinceEpoch: testNow.nanosecondsSinceEpoch + offset * 1_000_000),
        level: level, message: message, fields: fields, label: label)
}

/// A configuration pointing at `server`, with a manual clock at `testNow`.
func configuration(_ server: TestLokiServer, _ adjust: (inout LokiSinkConfiguration) -> Void = { _ in }) -> LokiSinkConfiguration {
    var configuration = LokiSinkConfiguration(url: server.baseURL)
    configuration.clock = .manual(ManualClock(wallTime: testNow))
    configuration.requestTimeout = .seconds(5)
    adjust(&configuration)
    return configuration
}

/// A readable outcome of one record of a batch.
func outcome(_ batch: LogBatch, _ index: Int) -> String {
    switch batch.outcome(at: index) {
    case .written?: "written"
    case .dropped(let reason)?: "dropped:\(reason.name)"
    case .failed(let error)?: "failed:\(error.message)"
    case nil: "unmarked"
    }
}

/// The outcomes of every record of a batch.
func outcomes(_ batch: LogBatch) -> [String] {
    batch.records.indices.map { outcome(batch, $0) }
}

/// Collects the sink's diagnostics.
final class DiagnosticsCollector: Sendable {
    private let collected = Mutex<[LokiDiagnostic]>([])

    var handler: @Sendable (LokiDiagnostic) -> Void {
        { [self] diagnostic in collected.withLock { $0.append(diagnostic) } }
    }

    var all: [LokiDiagnostic] { collected.withLock { $0 } }

    func count(_ kind: LokiDiagnostic.Kind) -> Int { all.filter { $0.kind == kind }.count }
}

/// Writes `records` to `sink` and returns the batch and the error thrown, if any.
func write(_ sink: LokiSink, _ records: [LogRecord], attempt: Int = 1) -> (batch: LogBatch, error: LogSinkError?) {
    var batch = LogBatch(records: records, attempt: attempt)
    do {
        try sink.write(&batch)
        return (batch, nil)
    } catch {
        return (batch, LogSinkError.classifying(error))
    }
}

/// The records of `batch` left unmarked, as the pipeline would retry them.
func unmarkedRecords(_ batch: LogBatch) -> [LogRecord] {
    batch.records.indices.filter { !batch.isMarked($0) }.map { batch.records[$0] }
}

/// The request at `index` received by `server`, decoded.
func decodedRequest(_ server: TestLokiServer, _ index: Int = 0) throws -> DecodedPush {
    let requests = server.requests
    guard index < requests.count else { throw DecodeFailure("request \(index) not received (\(requests.count) received)") }
    return try PushDecoder.decode(requests[index])
}
