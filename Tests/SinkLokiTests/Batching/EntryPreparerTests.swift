import AsyncSinks
@testable import SinkLoki
import Testing

@Suite("EntryPreparer")
struct EntryPreparerTests {
    /// The line and the metadata names of one record prepared in one walk, with the level not a label.
    static func prepare(
        level: LogLevel, lineFormat: LokiLineFormat, metadata: LokiStructuredMetadata, label: String = "",
        error: (any Error)? = nil
    ) throws -> (line: String, metadataNames: [String]) {
        var configuration = LokiSinkConfiguration(url: "http://127.0.0.1:1")
        configuration.levelLabel = nil
        configuration.lineFormat = lineFormat
        configuration.structuredMetadata = metadata
        let schema = try LabelSchema(configuration: configuration)
        let registry = StreamRegistry(schema: schema, maxStreams: 10, shardCount: 1, limitPolicy: .overflowStream)
        let preparer = EntryPreparer(configuration: configuration, schema: schema, metadataEnabled: true)
        let store = EntryStore()
        var writer = preparer.makeWriter(for: store)
        var record = LogRecord(
            timestamp: LogTimestamp(nanosecondsSinceEpoch: 1), level: level, message: "m", fields: ["k": "v"], label: label,
            error: error)
        let outcome = preparer.prepareInOneWalk(&record, index: 0, registry: registry, writer: &writer, into: store)
        #expect(outcome == .prepared(truncated: false))
        let entry = try #require(store.entries.first)
        let line = String(
            decoding: UnsafeBufferPointer(start: store.lines.base + entry.lineStart, count: entry.lineLength), as: UTF8.self)
        let text = store.metadataText
        let names = store.metadata.map { pair in
            String(decoding: UnsafeBufferPointer(start: text.base + pair.nameStart, count: pair.nameLength), as: UTF8.self)
        }
        return (line, names)
    }

    @Test("writes the level into the line as any field would be written", arguments: LogLevel.allCases)
    func levelInTheLine(level: LogLevel) throws {
        let logfmt = try Self.prepare(level: level, lineFormat: .logfmt, metadata: .off)
        #expect(logfmt.line == "msg=m level=\(level.name) k=v")
        let json = try Self.prepare(level: level, lineFormat: .json, metadata: .off)
        #expect(json.line == #"{"msg":"m","level":"\#(level.name)","k":"v"}"#)
    }

    @Test("writes the logger into the line as any field would be written")
    func loggerInTheLine() throws {
        let logfmt = try Self.prepare(level: .info, lineFormat: .logfmt, metadata: .off, label: "db pool")
        #expect(logfmt.line == #"msg=m level=info logger="db pool" k=v"#)
        let json = try Self.prepare(level: .info, lineFormat: .json, metadata: .off, label: "db \"pool\"")
        #expect(json.line == #"{"msg":"m","level":"info","logger":"db \"pool\"","k":"v"}"#)
        let metadata = try Self.prepare(level: .info, lineFormat: .logfmt, metadata: .fields(["logger"]), label: "db")
        #expect(metadata.line == "msg=m level=info k=v")
        #expect(metadata.metadataNames == ["logger"])
    }

    @Test("sends the level as structured metadata when all fields are")
    func levelAsMetadata() throws {
        let prepared = try Self.prepare(level: .warning, lineFormat: .logfmt, metadata: .allFields)
        #expect(prepared.line == "msg=m")
        #expect(prepared.metadataNames == ["level", "k"])
    }

    struct DiskFull: Error, CustomStringConvertible {
        var description: String { "disk \"full\"\nretry" }
    }

    @Test("writes an attached error as the last field of the line, escaped")
    func attachedErrorInTheLine() throws {
        let logfmt = try Self.prepare(level: .error, lineFormat: .logfmt, metadata: .off, error: DiskFull())
        #expect(logfmt.line == #"msg=m level=error k=v error="disk \"full\"\nretry""#)
        let json = try Self.prepare(level: .error, lineFormat: .json, metadata: .off, error: DiskFull())
        #expect(json.line == #"{"msg":"m","level":"error","k":"v","error":"disk \"full\"\nretry"}"#)
        let none = try Self.prepare(level: .error, lineFormat: .logfmt, metadata: .off)
        #expect(none.line == "msg=m level=error k=v")
    }
}
