import AsyncSinks
import Logging
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import asyncsinks_benchmarks

/// Metric 4 holds only while the message of a filtered call is never evaluated, which it counts.
@Suite struct FilteredSuiteTests {
    @Test func aFilteredCallNeverEvaluatesItsMessageAndAnEnabledOneDoes() throws {
        let directory = TemporaryDirectory("filtered-test")
        let files = try FilePipeline(directory: directory)
        defer { files.pipeline.close(timeout: .seconds(5)) }
        let (peer, descriptor) = SwiftLogPeer.fileLogger(path: directory.path + "/peer.log", level: .info)
        defer { close(descriptor) }
        let before = FilteredSuite.evaluations.load(ordering: .relaxed)
        for index in 0..<100 {
            FilteredSuite.ours(files.pipeline.logger(label: "test", level: .info), index)
            FilteredSuite.theirs(peer, index)
        }
        #expect(FilteredSuite.evaluations.load(ordering: .relaxed) == before)

        // The counter sees evaluations: at the debug level both calls build their message.
        var enabledPeer = peer
        enabledPeer.logLevel = .debug
        FilteredSuite.ours(files.pipeline.logger(label: "test", level: .debug), 0)
        FilteredSuite.theirs(enabledPeer, 0)
        #expect(FilteredSuite.evaluations.load(ordering: .relaxed) == before + 2)
    }
}
