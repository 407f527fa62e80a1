#if canImport(SinkLoki)
import AsyncSinks
import Foundation
import SinkLoki

/// Metric 13: peak resident memory while the Loki endpoint is unreachable (a closed port on
/// 127.0.0.1) for 60 s at 50 k records/s with drop-oldest: it must stay bounded by the queue limits.
enum MemorySuite {
    static func closedPort() -> Int {
        // Bind an ephemeral port, then close it: nothing listens there afterwards.
        guard let server = try? LoopbackHTTPServer() else { return 9 }
        let port = server.port
        server.stop()
        return port
    }

    /// Set in the environment of the child process that measures in isolation.
    static let isolationVariable = "ASYNCSINKS_BENCHMARK_ISOLATED"

    /// Runs the measurement in a fresh process, so that memory freed by earlier suites cannot hide
    /// growth (the allocator would reuse it without raising the resident size).
    static func run(_ options: RunOptions) throws -> [Metric] {
        if ProcessInfo.processInfo.environment[isolationVariable] != nil { return try measure(options) }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("asyncsinks-memory-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        child.arguments = ["--filter", "memory", "--runs", "1", "--output", output.path] + (options.quick ? ["--quick"] : [])
        var environment = ProcessInfo.processInfo.environment
        environment[isolationVariable] = "1"
        child.environment = environment
        child.standardOutput = FileHandle.nullDevice
        try child.run()
        child.waitUntilExit()
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: output))
        return report.metrics.map { metric in
            var isolated = metric
            isolated.note += "; measured in a fresh process"
            return isolated
        }
    }

    static func measure(_ options: RunOptions) throws -> [Metric] {
        let seconds = options.quick ? 10 : 60
        let rate = 50_000
        let limits = QueueLimits(maxRecords: 20_000, maxBytes: 8 << 20)
        var configuration = LokiSuite.configuration(url: "http://127.0.0.1:\(closedPort())", encoding: .protobufSnappy)
        configuration.requestTimeout = .seconds(2)
        let sink = try LokiSink(configuration: configuration)
        let pipeline = try LogPipeline(sinks: [SinkRegistration(
            "loki", sink: sink, configuration: SinkConfiguration(queue: limits, backpressure: .dropOldest)
        )])
        let logger = pipeline.logger(label: "api")
        // Settle: threads started, the first failures seen.
        for index in 0..<1_000 { MemorySuite.log(logger, index) }
        sleep(nanoseconds: 1_000_000_000)
        let baseline = processMemory("VmRSS")
        resetPeakMemory()
        var samples: [Int] = []
        let start = monotonicNanoseconds()
        var produced = 0
        let tick: Int64 = 10_000_000
        var next = start
        while monotonicNanoseconds() - start < Int64(seconds) * 1_000_000_000 {
            for _ in 0..<(rate / 100) {
                MemorySuite.log(logger, produced)
                produced += 1
            }
            if produced % (rate / 2) == 0 { samples.append(processMemory("VmRSS")) }
            next += tick
            let wait = next - monotonicNanoseconds()
            if wait > 0 { sleep(nanoseconds: wait) }
        }
        let elapsed = Double(monotonicNanoseconds() - start) / 1e9
        let peak = max(processMemory("VmHWM"), samples.max() ?? 0)
        let stats = pipeline.stats(for: "loki")
        pipeline.close(timeout: .seconds(3))
        let firstHalfPeak = samples.prefix(samples.count / 2).max() ?? 0
        let secondHalfPeak = samples.suffix(samples.count - samples.count / 2).max() ?? 0
        // The bound on the growth: the queue's byte limit counted generously (real memory per
        // estimated byte is about 2x, plus a batch in flight), plus 16 MiB for the HTTP stack.
        let bound = 3 * limits.maxBytes + 16 << 20
        let mib = { (bytes: Int) in Double(bytes) / Double(1 << 20) }
        let plateau = secondHalfPeak <= firstHalfPeak + (4 << 20)
        return [
            Metric("13 peak RSS growth, Loki unreachable \(seconds) s at 50k rec/s, drop-oldest", unit: "MiB",
                   ours: [mib(peak - baseline)],
                   bound: mib(bound), extraCheck: plateau,
                   note: String(format: "peak %.1f MiB over a baseline of %.1f MiB; queue limit %d records / %.0f MiB; %.0f rec/s offered; peak 1st half %.1f, 2nd half %.1f MiB; dropped %d, pending %d",
                                mib(peak), mib(baseline), limits.maxRecords, mib(limits.maxBytes), Double(produced) / elapsed,
                                mib(firstHalfPeak), mib(secondHalfPeak), stats?.droppedTotal ?? -1, stats?.pending ?? -1)),
        ]
    }

    static func log(_ logger: AsyncSinks.Logger, _ index: Int) {
        logger.info(index % 3 == 0 ? "request served" : "cache lookup", [
            "host": "web-1", "region": "eu", "path": "/api/v1/orders", "status": 200, "ms": .int(Int64(index % 700)),
        ])
    }
}
#else
/// Metric 13 needs the Loki sink (module `SinkLoki`, product of the main package).
enum MemorySuite {
    static func run(_ options: RunOptions) throws -> [Metric] {
        [.pending("13 peak memory, Loki unreachable", unit: "MiB", note: "the SinkLoki product is not available to this package")]
    }
}
#endif
