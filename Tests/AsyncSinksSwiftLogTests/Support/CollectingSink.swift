#if SwiftLog
import AsyncSinks
import Synchronization

/// A sink that keeps every record it writes.
final class CollectingSink: LogSink {
    private let stored = Mutex<[LogRecord]>([])

    func write(_ batch: inout LogBatch) throws {
        let records = batch.records
        stored.withLock { $0.append(contentsOf: records) }
    }

    func flush() throws {}

    func close() throws {}

    var records: [LogRecord] { stored.withLock { $0 } }
}

extension LogRecord {
    /// The record's merged, flattened fields as `key=value` strings, in order.
    var renderedFields: [String] {
        var rendered: [String] = []
        forEachFlattenedField { key, value in rendered.append("\(key)=\(value.renderedForTests)") }
        return rendered
    }
}

extension LogValue {
    var renderedForTests: String {
        switch self {
        case .string(let text): "\"\(text)\""
        case .int(let int): String(int)
        case .double(let double): String(double)
        case .bool(let bool): String(bool)
        case .group: "group"
        }
    }
}
#endif
