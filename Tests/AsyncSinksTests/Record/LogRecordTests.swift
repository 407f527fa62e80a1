import AsyncSinks
import Testing

@Suite struct LogRecordTests {
    /// The pipeline passes every record between threads twice; its stored properties are ordered so
    /// that it takes 264 bytes. A new stored property that changes this should be a decision.
    @Test func recordTakes264Bytes() {
        #expect(MemoryLayout<LogRecord>.size == 264)
        #expect(MemoryLayout<LogRecord>.stride == 264)
    }

    @Test func everyPropertyRoundTrips() {
        var record = LogRecord(
            timestamp: LogTimestamp(nanosecondsSinceEpoch: 42), level: .warning, message: "m",
            fields: ["a": 1], label: "api", file: "App/Orders.swift", function: "serve()", line: 120
        )
        #expect(record.timestamp == LogTimestamp(nanosecondsSinceEpoch: 42))
        #expect(record.level == .warning)
        #expect(record.message == "m")
        #expect(record.fields == ["a": 1])
        #expect(record.label == "api")
        #expect(record.file == "App/Orders.swift")
        #expect(record.function == "serve()")
        #expect(record.line == 120)
        record.level = .error
        record.line = 7
        record.fields.append("b", true)
        #expect(record.level == .error)
        #expect(record.line == 7)
        #expect(record.fields == ["a": 1, "b": true])
    }
}
