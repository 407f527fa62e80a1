import AsyncSinks
@testable import SinkLoki
import Testing

@Suite("StreamRegistry")
struct StreamRegistryTests {
    static func registry(maxStreams: Int = 10_000) throws -> StreamRegistry {
        var configuration = LokiSinkConfiguration(url: "http://127.0.0.1:1")
        configuration.promotedFields = ["host", "n"]
        configuration.levelLabel = "level"
        let schema = try LabelSchema(configuration: configuration)
        return StreamRegistry(schema: schema, maxStreams: maxStreams, shardCount: 4, limitPolicy: .overflowStream)
    }

    static func streamID(_ registry: StreamRegistry, _ fields: LogFields, level: LogLevel = .info) -> Int? {
        let record = LogRecord(timestamp: LogTimestamp(nanosecondsSinceEpoch: 0), level: level, message: "m", fields: fields)
        guard case .stream(let id) = registry.resolve(record) else { return nil }
        return id
    }

    @Test("finds every stream again after the table grew")
    func findsStreamsAfterGrowth() throws {
        let registry = try Self.registry()
        var first: [Int] = []
        for index in 0..<300 {
            var fields = LogFields()
            fields.append("host", .string("host-\(index % 150)"))
            fields.append("n", .int(Int64(index / 150)))
            first.append(try #require(Self.streamID(registry, fields)))
        }
        #expect(Set(first).count == 300)
        #expect(registry.streams.count == 300)
        for index in 0..<300 {
            var fields = LogFields()
            fields.append("host", .string("host-\(index % 150)"))
            fields.append("n", .int(Int64(index / 150)))
            #expect(Self.streamID(registry, fields) == first[index])
        }
        var error = LogFields()
        error.append("host", "host-0")
        error.append("n", 0)
        #expect(Self.streamID(registry, error, level: .error) != first[0])
    }

    @Test("puts canonically equivalent values and both zeros in one stream")
    func equalValuesShareAStream() throws {
        let registry = try Self.registry()
        let composed = Self.streamID(registry, ["host": "caf\u{E9}"])
        let decomposed = Self.streamID(registry, ["host": "cafe\u{301}"])
        #expect(composed != nil)
        #expect(composed == decomposed)
        let zero = Self.streamID(registry, ["n": .double(0.0)])
        let negativeZero = Self.streamID(registry, ["n": .double(-0.0)])
        #expect(zero != nil)
        #expect(zero == negativeZero)
        #expect(registry.streams.count == 2)
    }
}
