import AsyncSinks

/// Metric 12: CPU used by an idle pipeline with three sinks (getrusage over 10 s, 2 s in quick mode).
enum IdleSuite {
    static func run(_ options: RunOptions) throws -> [Metric] {
        let seconds: Int64 = options.quick ? 2 : 10
        let directory = TemporaryDirectory("idle")
        let files = try FilePipeline(directory: directory, sinkCount: 3)
        for index in 0..<1_000 { logThreeFields(files.logger, index) }
        files.pipeline.flush(timeout: .seconds(10))
        sleep(nanoseconds: 1_000_000_000)
        let cpuBefore = processCPUNanoseconds(), wallBefore = monotonicNanoseconds()
        sleep(nanoseconds: seconds * 1_000_000_000)
        let cpu = processCPUNanoseconds() - cpuBefore, wall = monotonicNanoseconds() - wallBefore
        let threads = files.pipeline.workerThreadCount
        files.pipeline.close(timeout: .seconds(5))
        return [
            Metric("12 idle CPU, pipeline with three file sinks", unit: "% core", ours: [Double(cpu) / Double(wall) * 100],
                   bound: 1, note: "\(seconds) s window after 1 s settle; \(threads) worker threads alive; whole process measured"),
        ]
    }
}
