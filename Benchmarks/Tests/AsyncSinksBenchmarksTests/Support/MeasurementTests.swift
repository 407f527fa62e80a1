import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import asyncsinks_benchmarks

@Suite struct MeasurementTests {
    @Test func theMedianOfAnOddAndAnEvenCount() {
        #expect(median([5, 1, 3]) == 3)
        #expect(median([4, 1, 3, 2]) == 2.5)
        #expect(median([]) == 0)
    }

    @Test func percentilesPickTheSortedSample() {
        let samples = (1...1_000).reversed().map(Double.init)
        let percentiles = Percentiles(samples)
        #expect(percentiles.p50 == 501)
        #expect(percentiles.p90 == 901)
        #expect(percentiles.p99 == 991)
        #expect(percentiles.p999 == 1_000)
        #expect(Percentiles([]).p99 == 0)
    }

    @Test func quickRunsScaleTheWorkDownToTheMinimum() {
        var options = RunOptions()
        #expect(options.count(1_000) == 1_000)
        options.quick = true
        #expect(options.count(1_000) == 200)
        #expect(options.count(1_000, minimum: 500) == 500)
    }

    @Test func countsLinesAndBytesOfARealFile() throws {
        let directory = TemporaryDirectory("measurement-test")
        let path = directory.path + "/lines.txt"
        // Past the 1 MiB read buffer, so that lines are counted across reads.
        let line = String(repeating: "x", count: 99) + "\n"
        let lines = 12_000
        let descriptor = open(path, O_WRONLY | O_CREAT, 0o644)
        try #require(descriptor >= 0)
        let text = Array(String(repeating: line, count: lines).utf8)
        #expect(text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) } == text.count)
        close(descriptor)
        #expect(countLines(path: path) == lines)
        #expect(fileSize(path: path) == lines * 100)
        #expect(countLines(path: directory.path + "/missing") == 0)
        #expect(fileSize(path: directory.path + "/missing") == 0)
    }

    @Test func aTemporaryDirectoryGoesAwayWithItsFiles() {
        var path = ""
        do {
            let directory = TemporaryDirectory("measurement-test")
            path = directory.path
            let descriptor = open(path + "/file.log", O_WRONLY | O_CREAT, 0o644)
            close(descriptor)
            #expect(access(path + "/file.log", F_OK) == 0)
        }
        #expect(!path.isEmpty)
        #expect(access(path, F_OK) != 0)
    }

    @Test func timedBatchesGiveOneValuePerBatchAndNumberTheCalls() {
        var calls: [Int] = []
        let samples = timeBatches(batches: 3, batchSize: 4, pauseNanoseconds: 0) { calls.append($0) }
        #expect(samples.count == 3)
        #expect(samples.allSatisfy { $0 >= 0 })
        #expect(calls == Array(0..<12))
    }
}
