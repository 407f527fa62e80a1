import AsyncSinks
import CMallocCounter
import SinkConsole

#if canImport(Glibc)
import Glibc
#endif

/// The caller-side cost of a log call with the console sink writing to a file, the calling thread's
/// allocations in the same calls, and the sink's own work per record.
enum ConsoleSuite {
    static func run(_ options: RunOptions) throws -> [Metric] {
        var p50: [Double] = [], p99: [Double] = [], allocations: [Double] = []
        for _ in 0..<options.runs {
            let directory = TemporaryDirectory("console")
            let descriptor = open(directory.path + "/console.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
            defer { close(descriptor) }
            let console = ConsoleSink(configuration: ConsoleSink.Configuration(
                stream: .fileDescriptor(descriptor), formatter: TextFormatter(), colors: .never
            ))
            let pipeline = try LogPipeline(sinks: [SinkRegistration("console", sink: console)])
            let logger = pipeline.logger(label: "bench", fields: ["service": "checkout"])
            _ = timeBatches(batches: 1_000, batchSize: CallerSuite.batchSize, pauseNanoseconds: CallerSuite.pauseNanoseconds) {
                logThreeFields(logger, $0)
            }
            pipeline.flush(timeout: .seconds(30))
            let batches = options.count(10_000, minimum: 2_000)
            let before = malloc_counter_thread_allocations()
            let samples = timeBatches(batches: batches, batchSize: CallerSuite.batchSize, pauseNanoseconds: CallerSuite.pauseNanoseconds) {
                logThreeFields(logger, $0)
            }
            let allocated = malloc_counter_thread_allocations() - before
            pipeline.close(timeout: .seconds(30))
            let percentiles = Percentiles(samples)
            p50.append(percentiles.p50)
            p99.append(percentiles.p99)
            // The samples array is allocated once before the calls; the rest is the calls' own.
            allocations.append(Double(allocated) / Double(batches * CallerSuite.batchSize))
        }
        return [
            Metric("caller latency p50 (console sink writing to a file)", unit: "ns", ours: p50),
            Metric("caller latency p99 (console sink writing to a file)", unit: "ns", ours: p99),
            Metric("allocations per call (console sink writing to a file)", unit: "allocs", ours: allocations, bound: 1.001),
            Metric("console sink write path per record (text, batches of 1024)", unit: "ns", ours: try writePath(options),
                   note: "the sink's write of a 1024-record batch to /dev/null, formatting included, on the calling thread"),
        ]
    }

    /// The time per record of the sink's `write` of a batch of the default entry count, with the
    /// record of metric 9, to `/dev/null`: the formatting and the copy the sink's worker does.
    private static func writePath(_ options: RunOptions) throws -> [Double] {
        let descriptor = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(descriptor) }
        let console = ConsoleSink(configuration: ConsoleSink.Configuration(
            stream: .fileDescriptor(descriptor), formatter: TextFormatter(), colors: .never
        ))
        let records = (0..<1024).map(FormattingSuite.record)
        let batches = options.count(2_000, minimum: 200)
        var samples: [Double] = []
        for _ in 0..<options.runs {
            let start = monotonicNanoseconds()
            for _ in 0..<batches {
                var batch = LogBatch(records: records)
                try console.write(&batch)
            }
            samples.append(Double(monotonicNanoseconds() &- start) / Double(batches * records.count))
        }
        return samples
    }
}
