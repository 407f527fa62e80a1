import Testing

@testable import asyncsinks_benchmarks

/// Metric 7 counts a run only when the file holds every line.
@Suite struct ThroughputSuiteTests {
    @Test(arguments: [1, 2])
    func everyLineReachesTheFile(producers: Int) throws {
        let result = try ThroughputSuite.measureOurs(lines: 20_000, producers: producers)
        #expect(result.lost == 0)
        #expect(result.linesPerSecond > 0)
        // The metric's lines are about 120 bytes.
        #expect(abs(result.bytesPerLine - 120) < 15)
    }
}
