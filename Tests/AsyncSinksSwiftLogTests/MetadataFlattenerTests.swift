#if SwiftLog
import AsyncSinks
import AsyncSinksSwiftLog
import Logging
import Testing

@Suite("Metadata flattening")
struct MetadataFlattenerTests {
    /// Logs one record with `metadata` through a handler and returns its rendered fields.
    private func flattened(_ metadata: Logging.Logger.Metadata) throws -> [String] {
        let sink = CollectingSink()
        let pipeline = try LogPipeline(sinks: [SinkRegistration("memory", sink: sink)])
        let logger = Logging.Logger(label: "test") {
            AsyncSinksLogHandler(label: $0, pipeline: pipeline, metadataProvider: nil)
        }
        logger.info("event", metadata: metadata)
        #expect(pipeline.close(timeout: .seconds(30)).completedInTime)
        return try #require(sink.records.first).renderedFields
    }

    @Test("Arrays of dictionaries flatten to index then key, in sorted key order")
    func nestedArraysAndDictionaries() throws {
        let fields = try flattened([
            "items": [["sku": "A", "qty": .stringConvertible(2)], ["sku": "B", "qty": .stringConvertible(1)]],
            "b": "second",
            "a": "first",
        ])
        #expect(fields == [
            "a=\"first\"", "b=\"second\"",
            "items.0.qty=2", "items.0.sku=\"A\"", "items.1.qty=1", "items.1.sku=\"B\"",
        ])
    }

    @Test(
        "Any number of keys come out sorted: past the four kept inline, and past the sixteen sorted in place",
        arguments: [1, 3, 4, 5, 9, 16, 17, 40]
    )
    func sortedAtEveryCount(count: Int) throws {
        // Two-digit keys, so that their sorted order is their numeric order.
        let key = { (index: Int) in index < 10 ? "k0\(index)" : "k\(index)" }
        var metadata: Logging.Logger.Metadata = [:]
        for index in (0..<count).reversed() { metadata[key(index)] = .string("v\(index)") }
        #expect(try flattened(metadata) == (0..<count).map { "\(key($0))=\"v\($0)\"" })
        #expect(try flattened(["nested": .dictionary(metadata)]) == (0..<count).map { "nested.\(key($0))=\"v\($0)\"" })
    }

    @Test("Empty dictionaries and arrays contribute no field")
    func emptyContainers() throws {
        #expect(try flattened(["empty": [:], "none": [], "kept": "yes"]) == ["kept=\"yes\""])
    }

    @Test("Numbers and Booleans keep their type; other values become their description")
    func scalarTypes() throws {
        struct Version: CustomStringConvertible, Sendable {
            var description: String { "1.4.2" }
        }
        let fields = try flattened([
            "a_int": .stringConvertible(-7),
            "b_int64": .stringConvertible(Int64(1) << 40),
            "c_double": .stringConvertible(2.5),
            "d_bool": .stringConvertible(false),
            "e_huge": .stringConvertible(UInt64.max),
            "f_version": .stringConvertible(Version()),
        ])
        #expect(fields == [
            "a_int=-7", "b_int64=1099511627776", "c_double=2.5", "d_bool=false",
            "e_huge=\"18446744073709551615\"", "f_version=\"1.4.2\"",
        ])
    }
}
#endif
