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

    @Test("keeps copies of its own of the label values scanned from records that are gone")
    func scannedValuesOutliveTheirRecords() throws {
        let registry = try Self.registry()
        let hostPosition = try #require(registry.schema.promotedPosition(of: "host"))
        let numberPosition = try #require(registry.schema.promotedPosition(of: "n"))
        // Built at run time and too long for a small string: each value has storage of its own,
        // freed with it, so a stream that kept the scan's borrowed bits would compare freed memory.
        func scannedID(host suffix: Int, n: Int64) -> Int? {
            let host = String(repeating: "web-server-", count: 3) + String(suffix)
            return withExtendedLifetime(host) {
                var scan = registry.startScan()
                scan.offer(hostPosition, .string(host))
                scan.offer(numberPosition, .int(n))
                return registry.resolveScanned(scan, level: .info, logger: nil)
            }
        }
        let first = try #require(scannedID(host: 1, n: 7))
        #expect(scannedID(host: 1, n: 7) == first)
        let second = try #require(scannedID(host: 2, n: 7))
        #expect(second != first)
        #expect(scannedID(host: 1, n: 8) != first)
        #expect(scannedID(host: 2, n: 7) == second)
        #expect(String(decoding: registry.stream(first).labelString, as: UTF8.self) == #"{host="web-server-web-server-web-server-1", level="info", n="7"}"#)
        let host = String(repeating: "web-server-", count: 3) + "1"
        #expect(Self.streamID(registry, ["host": .string(host), "n": 7]) == first)
    }

    @Test("resolves a scan with a repeated promoted key on the full path, not from the scan")
    func repeatedKeyLeavesTheScan() throws {
        let registry = try Self.registry()
        let hostPosition = try #require(registry.schema.promotedPosition(of: "host"))
        var scan = registry.startScan()
        scan.offer(hostPosition, "a")
        scan.offer(hostPosition, "b")
        #expect(!scan.isSimple)
        #expect(registry.resolveScanned(scan, level: .info, logger: nil) == nil)
        #expect(registry.streams.isEmpty)
        var next = registry.startScan()
        #expect(!next.hasValue(at: hostPosition))
        next.offer(hostPosition, "b")
        #expect(next.isSimple)
        #expect(registry.resolveScanned(next, level: .info, logger: nil) != nil)
    }
}
