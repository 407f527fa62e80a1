import AsyncSinks
import CMallocCounter
import Foundation

/// The caller-side cost of a log call (a message and three fields) while sinks drain concurrently.
enum CallerLatency {
    struct Result {
        var percentiles: Percentiles
        var allocationsPerCall: Double
    }

    /// Times batches of `batchSize` calls, with short pauses between batches, and counts the calling
    /// thread's allocations.
    ///
    /// - Parameters:
    ///   - sinks: The sinks to attach.
    ///   - batches: How many timed batches.
    ///   - batchSize: Calls per timed batch.
    static func run(sinks: [SinkRegistration], variant: Int = 0, batches: Int = 20_000, batchSize: Int = 20) throws -> Result {
        let pipeline = try LogPipeline(sinks: sinks)
        let logger = pipeline.logger(label: "bench", fields: ["service": "checkout"])
        let plain = pipeline.logger(label: "bench")
        // Warm up: threads started, shard storage and sink queues grown.
        for index in 0..<50_000 {
            logger.info("request served", ["status": 200, "path": "/api/v1/orders", "ms": .int(Int64(index & 1023))])
        }
        pipeline.flush(timeout: .seconds(30))

        var samples: [Double] = []
        samples.reserveCapacity(batches)
        var calls = 0
        let allocationsBefore = malloc_counter_thread_allocations()
        for batch in 0..<batches {
            let start = monotonicNanoseconds()
            switch variant {
            case 1:
                for _ in 0..<batchSize { logger.info("request served") }
            case 2:
                for _ in 0..<batchSize { plain.info("request served") }
            case 3:
                for _ in 0..<batchSize { logger.debug("request served") }
            default:
                for index in 0..<batchSize {
                    logger.info("request served", ["status": 200, "path": "/api/v1/orders", "ms": .int(Int64(index))])
                }
            }
            let elapsed = monotonicNanoseconds() - start
            samples.append(Double(elapsed) / Double(batchSize))
            calls += batchSize
            if batch % 64 == 63 { pause(nanoseconds: 20_000) }
        }
        let allocations = malloc_counter_thread_allocations() - allocationsBefore
        pipeline.close(timeout: .seconds(30))
        return Result(percentiles: Percentiles(samples), allocationsPerCall: Double(allocations) / Double(calls))
    }
}
