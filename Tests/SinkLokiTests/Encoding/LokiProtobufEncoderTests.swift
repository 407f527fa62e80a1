import AsyncSinks
import Foundation
@testable import SinkLoki
import Testing

@Suite("LokiProtobufEncoder")
struct LokiProtobufEncoderTests {
    /// Prepares `records` with a sink's machinery and encodes them as one request.
    static func encode(_ records: [LogRecord], metadata: LokiStructuredMetadata = .off, promoted: [String] = []) throws -> [UInt8] {
        var configuration = LokiSinkConfiguration(url: "http://127.0.0.1:1")
        configuration.staticLabels = ["service_name": "api", "quote": "a\"b\\c\nd"]
        configuration.structuredMetadata = metadata
        configuration.promotedFields = promoted
        configuration.maxEntryAge = nil
        configuration.maxFutureSkew = nil
        let schema = try LabelSchema(configuration: configuration)
        let registry = StreamRegistry(schema: schema, maxStreams: 100, shardCount: 1, limitPolicy: .overflowStream)
        let preparer = EntryPreparer(configuration: configuration, schema: schema, metadataEnabled: !metadata.isOff)
        let store = EntryStore()
        for (index, record) in records.enumerated() {
            guard case .stream(let id) = registry.resolve(record) else { throw DecodeFailure("no stream") }
            _ = preparer.prepare(record, index: index, stream: registry.stream(id), into: store)
        }
        let order = store.entries.indices.sorted {
            (store.entries[$0].stream, store.entries[$0].timestamp, $0) < (store.entries[$1].stream, store.entries[$1].timestamp, $1)
        }
        let body = LineBuffer()
        LokiProtobufEncoder.encode(order[...], store: store, streams: registry.streams, into: body)
        return body.bytes
    }

    static let records: [LogRecord] = [
        LogRecord(timestamp: LogTimestamp(nanosecondsSinceEpoch: 1_767_225_600_123_456_789), level: .info, message: "héllo \"w\"",
                  fields: ["trace_id": "abc", "n": 42]),
        LogRecord(timestamp: LogTimestamp(nanosecondsSinceEpoch: 1_767_225_601_000_000_000), level: .error, message: "boom",
                  fields: ["region": "eu-west"]),
        LogRecord(timestamp: LogTimestamp(nanosecondsSinceEpoch: 1_767_225_600_000_000_000), level: .info, message: "",
                  fields: ["trace_id": "def"]),
    ]

    @Test("the independent decoder reads streams, labels, timestamps, lines and metadata")
    func decodes() throws {
        let bytes = try Self.encode(Self.records, metadata: .fields(["trace_id"]), promoted: ["region"])
        let push = try PushDecoder.decodeProtobuf(bytes)
        #expect(push.streams.count == 2)
        #expect(push.streams[0].labels == ["service_name": "api", "quote": "a\"b\\c\nd", "level": "info"])
        #expect(push.streams[0].entries == [
            DecodedPush.Entry(timestamp: 1_767_225_600_000_000_000, line: "msg=\"\"", metadata: ["trace_id": "def"]),
            DecodedPush.Entry(timestamp: 1_767_225_600_123_456_789, line: "msg=\"héllo \\\"w\\\"\" n=42", metadata: ["trace_id": "abc"]),
        ])
        #expect(push.streams[1].labels["region"] == "eu-west")
        #expect(push.streams[1].entries.map(\.line) == ["msg=boom"])
    }

    @Test("protoc decodes the bytes with a schema written from Loki's field table")
    func protocCrossCheck() throws {
        let protoc = try ReferenceTools.protoc()
        let directory = try ReferenceTools.writeProtoSchema()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bytes = try Self.encode(Self.records, metadata: .fields(["trace_id"]), promoted: ["region"])
        let output = try ReferenceTools.run(
            protoc, ["--proto_path=\(directory.path)", "--decode=logproto.PushRequest", "push.proto"], input: bytes)
        #expect(output.status == 0, "protoc failed: \(output.stderr)")
        let text = String(decoding: output.stdout, as: UTF8.self)
        let expected = #"""
            streams {
              labels: "{level=\"info\", quote=\"a\\\"b\\\\c\\nd\", service_name=\"api\"}"
              entries {
                timestamp {
                  seconds: 1767225600
                }
                line: "msg=\"\""
                structuredMetadata {
                  name: "trace_id"
                  value: "def"
                }
              }
              entries {
                timestamp {
                  seconds: 1767225600
                  nanos: 123456789
                }
                line: "msg=\"h\303\251llo \\\"w\\\"\" n=42"
                structuredMetadata {
                  name: "trace_id"
                  value: "abc"
                }
              }
            }
            streams {
              labels: "{level=\"error\", quote=\"a\\\"b\\\\c\\nd\", region=\"eu-west\", service_name=\"api\"}"
              entries {
                timestamp {
                  seconds: 1767225601
                }
                line: "msg=boom"
              }
            }

            """#
        #expect(text == expected)
    }

    @Test("the encoded size computed up front matches the bytes written")
    func sizesMatch() throws {
        let records = (0..<200).map {
            LogRecord(timestamp: LogTimestamp(nanosecondsSinceEpoch: Int64($0) * 1_000_000_007), level: .info,
                      message: String(repeating: "m", count: $0 * 3), fields: ["trace_id": .string(String(repeating: "t", count: $0))])
        }
        let bytes = try Self.encode(records, metadata: .allFields)
        let push = try PushDecoder.decodeProtobuf(bytes)
        #expect(push.entries.count == 200)
        #expect(push.entries.last?.metadata["trace_id"]?.count == 199)
    }
}
