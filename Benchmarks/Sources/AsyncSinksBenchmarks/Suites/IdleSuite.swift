import AsyncSinks
import SinkConsole
import SinkFile
import SinkLoki

#if canImport(Glibc)
import Glibc
#endif

/// Metric 12: CPU used by an idle pipeline with three sinks (a file sink, a console sink writing to
/// a file descriptor, a Loki sink pushing to a loopback server), by getrusage over 10 s (2 s in
/// quick mode).
enum IdleSuite {
    static func run(_ options: RunOptions) throws -> [Metric] {
        let seconds: Int64 = options.quick ? 2 : 10
        let settleSeconds: Int64 = 6
        let directory = TemporaryDirectory("idle")
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let consoleDescriptor = open(directory.path + "/console.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        defer { close(consoleDescriptor) }
        let pipeline = try LogPipeline(sinks: [
            SinkRegistration("file", sink: try FileSink(configuration: FileSinkConfiguration(path: directory.path + "/file.log"))),
            SinkRegistration("console", sink: ConsoleSink(configuration: ConsoleSink.Configuration(
                stream: .fileDescriptor(consoleDescriptor), formatter: LogfmtFormatter(), colors: .never
            ))),
            SinkRegistration("loki", sink: try LokiSink(configuration: LokiSuite.configuration(url: server.url, encoding: .protobufSnappy))),
        ])
        let logger = pipeline.logger(label: "bench")
        for index in 0..<1_000 { logThreeFields(logger, index) }
        pipeline.flush(timeout: .seconds(10))
        // libdispatch ends a worker thread after 5 s without work. Waiting longer than that keeps
        // the ends of the threads that earlier suites (and this one's setup) used out of the window:
        // a thread's end frees its caches and can cost several milliseconds, which the whole-process
        // figure would otherwise count as the idle pipeline's.
        sleep(nanoseconds: settleSeconds * 1_000_000_000)
        let cpuBefore = processCPUNanoseconds(), wallBefore = monotonicNanoseconds()
        sleep(nanoseconds: seconds * 1_000_000_000)
        let cpu = processCPUNanoseconds() - cpuBefore, wall = monotonicNanoseconds() - wallBefore
        let threads = pipeline.workerThreadCount
        let written = pipeline.stats().map { "\($0.name) \($0.written)" }.joined(separator: ", ")
        pipeline.close(timeout: .seconds(5))
        return [
            Metric("12 idle CPU, pipeline with file, console and Loki sinks", unit: "% core", ours: [Double(cpu) / Double(wall) * 100],
                   bound: 1, note: "\(seconds) s window after \(settleSeconds) s settle; \(threads) pipeline threads alive; written: \(written); whole process measured"),
        ]
    }
}
