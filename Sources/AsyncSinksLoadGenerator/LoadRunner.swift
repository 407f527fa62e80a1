import AsyncSinks
import Foundation
import SinkConsole
import SinkFile
import SinkLoki
import Synchronization

/// Runs a load: builds the sinks and the pipeline from ``LoadOptions``, logs from several threads
/// at the requested rate, closes the pipeline, and judges the outcome with ``LoadVerdict``.
public enum LoadRunner {
    /// Something that kept the load from starting, such as a sink that could not be created.
    public struct SetupError: Error, CustomStringConvertible {
        /// What went wrong.
        public var description: String
    }

    /// Runs the load.
    ///
    /// - Parameters:
    ///   - options: What to run.
    ///   - consoleDescriptor: Where the console sink writes; `nil` for standard output (standard
    ///     error with `--json`, so the report stays parseable).
    ///   - progress: Receives the number of records logged so far, about twice a second, or `nil`.
    ///   - closeTimeout: The longest time closing may take. Default: 60 seconds.
    /// - Returns: The report.
    /// - Throws: ``SetupError`` when a sink or the pipeline cannot be created.
    public static func run(
        options: LoadOptions,
        consoleDescriptor: Int32? = nil,
        progress: (@Sendable (Int) -> Void)? = nil,
        closeTimeout: Duration = .seconds(60)
    ) throws(SetupError) -> LoadReport {
        let registrations = try makeSinks(options: options, consoleDescriptor: consoleDescriptor)
        let pipeline: LogPipeline
        do {
            pipeline = try LogPipeline(sinks: registrations)
        } catch {
            throw SetupError(description: "cannot create the pipeline: \(error)")
        }

        let threads = min(options.threads, max(1, options.total))
        let logged = Counter()
        let levelCounts = Mutex<[Int]>(Array(repeating: 0, count: LogLevel.allCases.count))
        let group = DispatchGroup()
        let start = ContinuousClock.now
        for thread in 0..<threads {
            let share = options.total / threads + (thread < options.total % threads ? 1 : 0)
            group.enter()
            let worker = Thread {
                let counts = produce(
                    count: share, thread: thread, threads: threads, options: options, pipeline: pipeline, logged: logged
                )
                levelCounts.withLock { totals in
                    for index in totals.indices { totals[index] += counts[index] }
                }
                group.leave()
            }
            worker.start()
        }
        if let progress {
            while group.wait(timeout: .now() + .milliseconds(500)) == .timedOut {
                progress(logged.value)
            }
        } else {
            group.wait()
        }
        let report = pipeline.close(timeout: closeTimeout)
        let elapsed = start.duration(to: .now)

        let counts = levelCounts.withLock { $0 }
        let outcomes = zip(options.sinks, report.sinks).map { kind, stats in
            let minimum = LoadOptions.minimumLevel(of: kind)
            let expected = LogLevel.allCases.filter { $0 >= minimum }.reduce(0) { $0 + counts[Int($1.rawValue)] }
            return SinkOutcome(stats: stats, expectedAccepted: expected)
        }
        return LoadReport(
            total: counts.reduce(0, +),
            elapsedSeconds: seconds(elapsed),
            sinks: outcomes,
            problems: LoadVerdict.problems(outcomes: outcomes, backpressure: options.backpressure)
        )
    }

    /// A duration in seconds.
    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Logs `count` records from the current thread; returns how many were logged at each level.
    private static func produce(
        count: Int, thread: Int, threads: Int, options: LoadOptions, pipeline: LogPipeline, logged: Counter
    ) -> [Int] {
        var mix = RecordMix(seed: UInt64(thread) &* 7919 &+ 1, lineBytes: options.lineBytes)
        let loggers = Dictionary(uniqueKeysWithValues: RecordMix.services.map { ($0, pipeline.logger(label: $0)) })
        var counts = Array(repeating: 0, count: LogLevel.allCases.count)
        let interval: Double? = options.rate > 0 ? Double(threads) / Double(options.rate) : nil
        let start = ContinuousClock.now
        var unreported = 0
        for index in 0..<count {
            if let interval {
                let due = start + .nanoseconds(Int64(Double(index) * interval * 1e9))
                let now = ContinuousClock.now
                if now < due { Thread.sleep(forTimeInterval: seconds(now.duration(to: due))) }
            }
            let call = mix.next()
            loggers[call.service]?.log(level: call.level, call.message, call.fields)
            counts[Int(call.level.rawValue)] += 1
            unreported += 1
            if unreported == 256 {
                logged.add(unreported)
                unreported = 0
            }
        }
        logged.add(unreported)
        return counts
    }

    /// Records logged so far, shared by the logging threads and the progress reporter.
    private final class Counter: Sendable {
        private let count = Atomic<Int>(0)

        func add(_ amount: Int) {
            count.add(amount, ordering: .relaxed)
        }

        var value: Int { count.load(ordering: .relaxed) }
    }

    private static func makeSinks(options: LoadOptions, consoleDescriptor: Int32?) throws(SetupError) -> [SinkRegistration] {
        var registrations: [SinkRegistration] = []
        for kind in options.sinks {
            let configuration = SinkConfiguration(
                minimumLevel: LoadOptions.minimumLevel(of: kind), backpressure: options.backpressure.policy
            )
            let sink: any LogSink
            switch kind {
            case .console:
                let descriptor = consoleDescriptor ?? (options.json ? STDERR_FILENO : STDOUT_FILENO)
                sink = ConsoleSink(configuration: ConsoleSink.Configuration(stream: .fileDescriptor(descriptor)))
            case .file:
                var file = FileSinkConfiguration(path: options.filePath)
                if let bytes = options.fileRotateBytes { file.rotation = .size(bytes) }
                if options.fileGzip { file.compression = .gzip() }
                do {
                    sink = try FileSink(configuration: file)
                } catch {
                    throw SetupError(description: "cannot open \(options.filePath): \(error)")
                }
            case .loki:
                var loki = LokiSinkConfiguration(url: options.lokiURL)
                loki.tenant = options.tenant
                loki.staticLabels = options.labels
                loki.promotedFields = ["service"]
                loki.excludedFields = ["request_id", "user_id"]
                switch options.encoding {
                case .protobuf: loki.encoding = .protobufSnappy
                case .json: loki.encoding = options.gzip ? .gzippedJSON : .json
                }
                do {
                    sink = try LokiSink(configuration: loki)
                } catch {
                    throw SetupError(description: "cannot use the Loki URL: \(error)")
                }
            }
            registrations.append(SinkRegistration(kind.rawValue, sink: sink, configuration: configuration))
        }
        return registrations
    }
}
