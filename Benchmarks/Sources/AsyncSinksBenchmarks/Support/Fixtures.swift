import AsyncSinks
import SinkFile

/// A pipeline whose sinks are file sinks in `directory` (`file0.log`, `file1.log`...).
struct FilePipeline {
    let pipeline: LogPipeline
    let paths: [String]
    let logger: AsyncSinks.Logger

    /// Creates the pipeline.
    ///
    /// - Parameters:
    ///   - directory: Where the files go.
    ///   - sinkCount: How many file sinks.
    ///   - formatter: The sinks' formatter.
    ///   - configuration: Each sink's pipeline configuration.
    init(
        directory: TemporaryDirectory, sinkCount: Int = 1, formatter: any LogFormatter = LogfmtFormatter(),
        configuration: SinkConfiguration = SinkConfiguration()
    ) throws {
        var registrations: [SinkRegistration] = []
        var paths: [String] = []
        for index in 0..<sinkCount {
            let path = directory.path + "/file\(index).log"
            let sink = try FileSink(configuration: FileSinkConfiguration(
                path: path, formatter: formatter, rotation: .never, retention: .unlimited
            ))
            registrations.append(SinkRegistration("file\(index)", sink: sink, configuration: configuration))
            paths.append(path)
        }
        pipeline = try LogPipeline(sinks: registrations)
        logger = pipeline.logger(label: "bench")
        self.paths = paths
    }

    /// Records dropped or failed in all sinks.
    var lost: Int {
        pipeline.stats().reduce(0) { $0 + $1.droppedTotal + $1.failed }
    }

    /// Records written by all sinks.
    var written: Int {
        pipeline.stats().reduce(0) { $0 + $1.written }
    }
}

/// The native call the caller-latency benchmarks time: a message and three fields.
@inline(__always)
func logThreeFields(_ logger: AsyncSinks.Logger, _ index: Int) {
    logger.info("request served", ["status": 200, "path": "/api/v1/orders", "ms": .int(Int64(index & 1023))])
}
