import AsyncSinks
import Testing

@testable import asyncsinks_benchmarks

/// Metric 8 writes 120-byte lines, all different, which fill the byte budget it names.
@Suite struct FileBytesSuiteTests {
    @Test func linesAre120BytesWithTheNewlineAndAllDifferent() {
        let records = FileBytesSuite.makeRecords(bytes: 1 << 20)
        #expect(records.count == (1 << 20) / 120)
        #expect(records.allSatisfy { $0.message.utf8.count == 119 })
        #expect(Set(records.map(\.message)).count == records.count)
    }
}
