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

    @Test func timestampSplitsSecondsAndNanosecondsForNegativeTimes() {
        let timestamp = LogTimestamp(nanosecondsSinceEpoch: -1)
        #expect(timestamp.seconds == -1)
        #expect(timestamp.nanosecondOfSecond == 999_999_999)
    }
}
