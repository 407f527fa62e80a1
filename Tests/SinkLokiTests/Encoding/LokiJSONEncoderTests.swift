import AsyncSinks
import Foundation
@testable import SinkLoki
import Testing

@Suite("LokiJSONEncoder")
struct LokiJSONEncoderTests {
    static let nasty = "q\"b\\s\u{8}\u{C}\n\t\u{1B}\u{7F}\u{85}\u{9F}\u{A0}\u{FEFF}é日🚀"

    static let records: [LogRecord] = [
        LogRecord(timestamp: LogTimestamp(nanosecondsSinceEpoch: 1_767_225_600_123_456_789), level: .info, message: nasty,
                  fields: ["trace_id": .string(nasty), "n": 42, "plain": "value"]),
        LogRecord(timestamp: LogTimestamp(nanosecondsSinceEpoch: 1_767_225_601_000_000_000), level: .error, message: "plain",
                  fields: ["trace_id": "abc"]),
        LogRecord(timestamp: LogTimestamp(nanosecondsSinceEpoch: 1_767_225_602_000_000_000), level: .info, message: "",
                  fields: [:]),
    ]

    /// Prepares `records` as JSON entries and returns the store and the streams.
    static func prepare(_ lineFormat: LokiLineFormat) throws -> (EntryStore, [LokiStream]) {
        var configuration = LokiSinkConfiguration(url: "http://127.0.0.1:1")
        configuration.staticLabels = ["service_name": "api", "quote": "a\"b\\c\nd\u{85}"]
        configuration.structuredMetadata = .fields(["trace_id"])
        configuration.encoding = .json
        configuration.lineFormat = lineFormat
        configuration.maxEntryAge = nil
        configuration.maxFutureSkew = nil
        let schema = try LabelSchema(configuration: configuration)
        let registry = StreamRegistry(schema: schema, maxStreams: 100, shardCount: 1, limitPolicy: .overflowStream)
        let preparer = EntryPreparer(configuration: configuration, schema: schema, metadataEnabled: true)
        let store = EntryStore()
        for (index, record) in records.enumerated() {
            guard case .stream(let id) = registry.resolve(record) else { throw DecodeFailure("no stream") }
            _ = preparer.prepare(record, index: index, stream: registry.stream(id), into: store)
        }
        return (store, registry.streams)
    }

    @Test("each entry's precomputed size is the size the encoder writes", arguments: [LokiLineFormat.logfmt, .json, .messageOnly])
    func entrySizesAreExact(lineFormat: LokiLineFormat) throws {
        let (store, streams) = try Self.prepare(lineFormat)
        #expect(store.entries.count == Self.records.count)
        for index in store.entries.indices {
            let entry = store.entries[index]
            let body = LineBuffer()
            LokiJSONEncoder.encode([index][...], store: store, streams: streams, into: body)
            // {"streams":[{"stream":<labels>,"values":[<entry>]}]}
            let fixed = 12 + 10 + streams[entry.stream].jsonObject.count + 11 + 2 + 2
            #expect(body.count - fixed == entry.encodedSize, "entry \(index) in \(lineFormat)")
        }
    }

    @Test("the body is JSON that reads back the lines, labels and metadata exactly")
    func bodyReadsBack() throws {
        let (store, streams) = try Self.prepare(.messageOnly)
        let body = LineBuffer()
        LokiJSONEncoder.encode(Array(store.entries.indices)[...], store: store, streams: streams, into: body)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(body.bytes)) as? [String: Any])
        let streamObjects = try #require(root["streams"] as? [[String: Any]])
        let stream = try #require(streamObjects.first)
        let labels = try #require(stream["stream"] as? [String: String])
        #expect(labels["quote"] == "a\"b\\c\nd\u{85}")
        #expect(streamObjects.map { ($0["values"] as? [[Any]])?.count ?? 0 }.reduce(0, +) == Self.records.count)
        let values = try #require(stream["values"] as? [[Any]])
        #expect(values.first?[1] as? String == Self.nasty)
        #expect((values.first?[2] as? [String: String])?["trace_id"] == Self.nasty)
    }
}
