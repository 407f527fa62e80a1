@testable import AsyncSinks
import Synchronization
import Testing

/// Records reach every sink that takes them intact, whether a sink receives a copy or the record
/// itself, and records no sink takes are released.
@Suite struct DistributorTests {
    final class CapturingSink: LogSink {
        let records = Mutex<[LogRecord]>([])
        func write(_ batch: inout LogBatch) throws {
            let records = batch.records
            self.records.withLock { $0.append(contentsOf: records) }
        }

        var lines: [String] {
            records.withLock { records in
                records.map { record in
                    var line = record.message
                    record.forEachField { key, value in line += " \(key)=\(value)" }
                    return line
                }
            }
        }
    }

    final class Marker: Error, @unchecked Sendable {}

    func registration(_ name: String, _ sink: CapturingSink, keep: @escaping @Sendable (Int64) -> Bool) -> SinkRegistration {
        SinkRegistration(name, sink: sink, configuration: SinkConfiguration(filter: { record in
            guard case .int(let index)? = record.fields[key: "i"] else { return false }
            return keep(index)
        }))
    }

    @Test func eachSinkGetsExactlyTheRecordsItTakes() throws {
        let all = CapturingSink(), even = CapturingSink(), multiplesOfThree = CapturingSink()
        // The last sink takes a third of the records: the others are moved into `even` or `all`.
        let pipeline = try LogPipeline(sinks: [
            registration("all", all) { _ in true },
            registration("even", even) { $0 % 2 == 0 },
            registration("three", multiplesOfThree) { $0 % 3 == 0 },
        ])
        let logger = pipeline.logger(label: "t", fields: ["bound": "b"])
        for index in 0..<300 {
            logger.info("r\(index)", ["i": .int(Int64(index)), "s": "value \(index)", "x": 1.5, "y": true, "z": "five"])
        }
        let report = pipeline.close(timeout: .seconds(10))
        #expect(report.completedInTime)
        func expected(_ keep: (Int) -> Bool) -> [String] {
            (0..<300).filter(keep).map { "r\($0) bound=b i=\($0) s=value \($0) x=1.5 y=true z=five" }
        }
        #expect(all.lines == expected { _ in true })
        #expect(even.lines == expected { $0 % 2 == 0 })
        #expect(multiplesOfThree.lines == expected { $0 % 3 == 0 })
        for stats in report.sinks {
            #expect(stats.accepted == stats.written + stats.droppedTotal + stats.failed + stats.pending)
            #expect(stats.pending == 0)
        }
    }

    @Test func recordsNoSinkTakesAreReleased() throws {
        weak var marker: Marker?
        let sink = CapturingSink()
        let pipeline = try LogPipeline(sinks: [registration("none", sink) { _ in false }])
        let logger = pipeline.logger(label: "t")
        do {
            let error = Marker()
            marker = error
            for index in 0..<50 { logger.error("dropped", ["i": .int(Int64(index))], error: error) }
        }
        pipeline.flush(timeout: .seconds(10))
        #expect(marker == nil)
        #expect(sink.lines.isEmpty)
        pipeline.close(timeout: .seconds(10))
    }

    @Test func aShardGetsBackItsStorageOnlyAfterEverySpare() throws {
        var configuration = PipelineConfiguration()
        configuration.intakeShards = 1
        let sink = CapturingSink()
        let pipeline = try LogPipeline(configuration: configuration, sinks: [SinkRegistration("all", sink: sink)])
        defer { pipeline.close(timeout: .seconds(10)) }
        let logger = pipeline.logger(label: "t")
        var addresses: [UnsafeRawPointer] = []
        // Each record leads to exactly one step that finds the shard non-empty and swaps its storage.
        for index in 0..<(2 * (Distributor.spareStorageCount + 1)) {
            logger.info("r\(index)")
            #expect(pipeline.flush(timeout: .seconds(10)).completed)
            addresses.append(pipeline.intakeStorageAddress(shard: 0))
        }
        let cycle = Distributor.spareStorageCount + 1
        #expect(Set(addresses[0..<cycle]).count == cycle)
        #expect(Array(addresses[cycle...]) == Array(addresses[0..<cycle]))
        #expect(sink.lines.count == 2 * cycle)
    }
}
