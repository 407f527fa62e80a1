import AsyncSinks
import CMallocCounter
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Metric 3: heap allocations on the calling thread per native log call with a message and up to
/// eight scalar or string fields, counted by the interposed malloc counter.
enum AllocationSuite {
    /// A short string made at run time (fits the small-string form: no allocation to make it).
    static let dynamicText = "u" + String(Int.random(in: 100_000..<999_999))

    static func run(_ options: RunOptions) throws -> [Metric] {
        // The counter must see allocations, or every result below would read zero.
        let before = malloc_counter_thread_allocations()
        let probe = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 8)
        probe.deallocate()
        let counterWorks = malloc_counter_thread_allocations() > before

        let variants: [(String, (AsyncSinks.Logger, Int) -> Void)] = [
            ("message only", { logger, _ in logger.info("request served") }),
            ("message + 1 int field", { logger, index in logger.info("request served", ["ms": .int(Int64(index & 1023))]) }),
            ("message + 3 fields (int, string, int)", { logger, index in
                logger.info("request served", ["status": 200, "path": "/api/v1/orders", "ms": .int(Int64(index & 1023))])
            }),
            ("message + 8 fields (ints, strings, double, bool)", { logger, index in
                logger.info("request served", [
                    "status": 200, "path": "/api/v1/orders", "ms": .int(Int64(index & 1023)), "method": "GET",
                    "user": .string(dynamicText), "ratio": .double(Double(index & 7) * 0.5), "cached": .bool(index & 1 == 0),
                    "bytes": .int(Int64(index)),
                ])
            }),
        ]
        var metrics: [Metric] = []
        let calls = options.count(200_000, minimum: 50_000)
        for (name, body) in variants {
            var perCall: [Double] = []
            var peerPerCall: [Double] = []
            var lost = 0
            for _ in 0..<options.runs {
                let directory = TemporaryDirectory("allocations")
                let files = try FilePipeline(directory: directory)
                let logger = files.logger
                _ = timeBatches(batches: 1_000, batchSize: 20, pauseNanoseconds: 40_000) { body(logger, $0) }
                files.pipeline.flush(timeout: .seconds(30))
                let start = malloc_counter_thread_allocations()
                if options.traceAllocations > 0 { malloc_counter_trace_next(Int32(options.traceAllocations)) }
                var index = 0
                while index < calls {
                    for _ in 0..<20 {
                        body(logger, index)
                        index += 1
                    }
                    pause(nanoseconds: 40_000)
                }
                let allocations = malloc_counter_thread_allocations() - start
                malloc_counter_trace_next(0)
                // Rounded to thousandths: the intake's amortised buffer growth (about one allocation
                // in 100 000 calls) is not an allocation of the call, and against a value of a few
                // millionths the peer's count would give a meaningless ratio.
                perCall.append((Double(allocations) / Double(calls) * 1000).rounded() / 1000)
                files.pipeline.close(timeout: .seconds(30))
                lost += files.lost
                if name.hasPrefix("message + 3") {
                    peerPerCall.append(swiftLogAllocations(calls: options.count(20_000, minimum: 5_000)))
                }
            }
            metrics.append(Metric(
                "3 allocations per call, \(name)", unit: "allocs", ours: perCall, peer: peerPerCall,
                peerName: peerPerCall.isEmpty ? "" : "swift-log StreamLogHandler", bound: 1.001,
                extraCheck: counterWorks && lost == 0,
                note: (counterWorks ? "" : "malloc counter saw nothing; ") + "\(lost) records lost"
            ))
        }
        return metrics
    }

    /// Allocations per call of swift-log's `StreamLogHandler` for the same call.
    static func swiftLogAllocations(calls: Int) -> Double {
        let directory = TemporaryDirectory("allocations-peer")
        let (logger, descriptor) = SwiftLogPeer.fileLogger(path: directory.path + "/peer.log")
        defer { close(descriptor) }
        for index in 0..<1_000 { SwiftLogPeer.logThreeFields(logger, index) }
        let start = malloc_counter_thread_allocations()
        for index in 0..<calls { SwiftLogPeer.logThreeFields(logger, index) }
        return Double(malloc_counter_thread_allocations() - start) / Double(calls)
    }
}
