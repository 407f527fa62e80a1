import AsyncSinks
import Testing

@Suite struct LogFieldsTests {
    @Test func literalKeepsOrderAndTypes() {
        let fields: LogFields = ["user": "alice", "attempt": 3, "ratio": 0.5, "ok": true]
        #expect(fields.map(\.key) == ["user", "attempt", "ratio", "ok"])
        #expect(fields[key: "attempt"] == .int(3))
        #expect(fields[key: "ratio"] == .double(0.5))
        #expect(fields[key: "ok"] == .bool(true))
        #expect(fields[key: "missing"] == nil)
    }

    @Test func mergingLetsTheOtherSideWin() {
        let bound: LogFields = ["service": "api", "region": "eu"]
        let merged = bound.merging(["region": "us", "pod": "a"])
        #expect(merged.map(\.key) == ["service", "region", "pod"])
        #expect(merged[key: "region"] == .string("us"))
    }

    @Test func groupsFlattenWithDots() {
        let fields: LogFields = ["http": ["method": "GET", "response": ["status": 200]], "ok": true]
        var flattened: [String] = []
        fields.forEachFlattened { key, value in flattened.append("\(key)=\(value)") }
        #expect(flattened == ["http.method=GET", "http.response.status=200", "ok=true"])
    }

    @Test func recordCallSiteFieldsOverrideBoundOnes() {
        let record = LogRecord(
            timestamp: LogTimestamp(nanosecondsSinceEpoch: 0),
            level: .info,
            message: "m",
            boundFields: ["a": 1, "b": 2],
            fields: ["b": 3, "c": 4]
        )
        var seen: [String] = []
        record.forEachField { key, value in seen.append("\(key)=\(value)") }
        #expect(seen == ["a=1", "b=3", "c=4"])
        #expect(record.allFields.count == 3)
    }

    @Test func valuesKeptFromAWalkOutliveTheRecord() {
        // Strings too long to be stored inline, in bound fields and in more than four call-site
        // fields (kept in an array): the walk passes them on without retaining them, so what the
        // body keeps must be retained as usual and stay valid once the record is gone.
        func text(_ index: Int) -> String { String(repeating: "value \(index) ", count: 8) }
        var kept: [(String, LogValue)] = []
        do {
            let fields = LogFields((0..<6).map { ("key-\($0)-" + String(repeating: "k", count: 24), .string(text($0))) })
            let record = LogRecord(
                timestamp: LogTimestamp(nanosecondsSinceEpoch: 0), level: .info, message: "m",
                boundFields: LogFields([("bound-" + String(repeating: "b", count: 24), .string(text(9)))]), fields: fields)
            record.forEachField { key, value in kept.append((key, value)) }
            record.forEachField { key, value in #expect(kept.contains { $0.0 == key && $0.1 == value }) }
        }
        #expect(kept.map(\.0) == ["bound-" + String(repeating: "b", count: 24)]
            + (0..<6).map { "key-\($0)-" + String(repeating: "k", count: 24) })
        #expect(kept.map(\.1) == [.string(text(9))] + (0..<6).map { .string(text($0)) })
    }

    @Test(arguments: 0...9)
    func inlineAndArrayStorageBehaveTheSame(count: Int) {
        let pairs: [(String, LogValue)] = (0..<count).map { ("k\($0)", .int(Int64($0))) }
        // Appending keeps up to four fields inline and moves to an array on the fifth; `init(_:)`
        // keeps the given array.
        var appended = LogFields()
        for (key, value) in pairs { appended.append(key, value) }
        let fromArray = LogFields(pairs)
        #expect(appended == fromArray)
        #expect(appended.hashValue == fromArray.hashValue)
        #expect(appended.count == count)
        #expect(appended.isEmpty == (count == 0))
        #expect(appended.map(\.key) == pairs.map(\.0))
        #expect(appended.map(\.value) == pairs.map(\.1))
        for (key, value) in pairs { #expect(appended[key: key] == value) }
        #expect(appended != LogFields(pairs + [("extra", true)]))
    }

    @Test func literalsOfEveryLengthKeepTheirFields() {
        let four: LogFields = ["a": 1, "b": "two", "c": 3.5, "d": false]
        let five: LogFields = ["a": 1, "b": "two", "c": 3.5, "d": false, "e": ["x": 1]]
        #expect(four.map(\.key) == ["a", "b", "c", "d"])
        #expect(five.map(\.key) == ["a", "b", "c", "d", "e"])
        #expect(five[key: "e"] == .group(["x": 1]))
        var grown = four
        grown.append("e", ["x": 1])
        #expect(grown == five)
    }

    @Test func recordBoundFieldsAndErrorRoundTrip() {
        struct Failure: Error, Equatable { let code: Int }
        var record = LogRecord(timestamp: LogTimestamp(nanosecondsSinceEpoch: 0), level: .info, message: "m")
        #expect(record.boundFields.isEmpty)
        #expect(record.error == nil)
        record.boundFields = ["tenant": "acme", "zone": "b"]
        record.error = Failure(code: 7)
        #expect(record.boundFields == ["tenant": "acme", "zone": "b"])
        #expect(record.error as? Failure == Failure(code: 7))
        var seen: [String] = []
        record.forEachField { key, _ in seen.append(key) }
        #expect(seen == ["tenant", "zone"])
    }

    @Test func timestampSplitsSecondsAndNanosecondsForNegativeTimes() {
        let timestamp = LogTimestamp(nanosecondsSinceEpoch: -1)
        #expect(timestamp.seconds == -1)
        #expect(timestamp.nanosecondOfSecond == 999_999_999)
    }
}
