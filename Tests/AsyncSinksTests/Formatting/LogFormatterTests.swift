import AsyncSinks
import Testing

@Suite struct LogFormatterTests {
    typealias F = FormattingFixtures

    /// A formatter that only implements the per-record entry point, so batches use the default.
    private struct MessageOnly: LogFormatter {
        func format(_ record: LogRecord, into buffer: LineBuffer) {
            buffer.append(record.message)
            buffer.append(UInt8(ascii: "\n"))
        }
    }

    private let records: [LogRecord] = [
        F.record("first", fields: ["status": 200, "msg": "shadowed"]),
        F.record("second line\nwith a break", level: .error, bound: ["request": "r-1"], fields: ["http": .group(["method": "GET"])]),
        F.record("", level: .trace, label: ""),
    ]

    /// Formats `records` with the batch entry point through an existential, as a sink does.
    private func batchOutput(_ formatter: any LogFormatter) -> (text: String, lineEnds: [Int]) {
        let buffer = LineBuffer(capacity: 16)
        var lineEnds: [Int] = [7]
        records.withUnsafeBufferPointer { formatter.format($0, into: buffer, lineEnds: &lineEnds) }
        return (buffer.string, lineEnds)
    }

    /// Formats `records` one at a time, with the line ends that gives.
    private func perRecordOutput(_ formatter: any LogFormatter) -> (text: String, lineEnds: [Int]) {
        let buffer = LineBuffer(capacity: 16)
        var lineEnds: [Int] = [7]
        for record in records {
            formatter.format(record, into: buffer)
            lineEnds.append(buffer.count)
        }
        return (buffer.string, lineEnds)
    }

    @Test(arguments: [
        ("text", TextFormatter() as any LogFormatter),
        ("colorized text", TextFormatter().colorized()),
        ("logfmt", LogfmtFormatter()),
        ("json", JSONFormatter()),
        ("message", MessageFormatter()),
        ("default implementation", MessageOnly()),
    ])
    func batchFormattingMatchesFormattingEachRecord(name: String, formatter: any LogFormatter) {
        let batch = batchOutput(formatter)
        let single = perRecordOutput(formatter)
        #expect(batch.text == single.text, "\(name)")
        #expect(batch.lineEnds == single.lineEnds, "\(name)")
        #expect(batch.lineEnds.count == 1 + records.count, "\(name): existing entries are kept, one is added per record")
        #expect(batch.text.utf8.count == batch.lineEnds.last, "\(name)")
    }

    @Test func emptyBatchWritesNothing() {
        let buffer = LineBuffer(capacity: 16)
        var lineEnds: [Int] = []
        let none: [LogRecord] = []
        none.withUnsafeBufferPointer { LogfmtFormatter().format($0, into: buffer, lineEnds: &lineEnds) }
        #expect(buffer.count == 0)
        #expect(lineEnds.isEmpty)
    }
}
