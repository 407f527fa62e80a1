import Foundation

/// A named group of metrics measured together.
struct Suite: Sendable {
    let name: String
    let summary: String
    /// Runs only when named exactly by `--filter` (profiling aids, not metrics).
    var manual = false
    let run: @Sendable (RunOptions) throws -> [Metric]
}

/// Parses the arguments, runs the selected suites and writes the report.
enum BenchmarkMain {
    static let suites: [Suite] = [
        Suite(name: "caller", summary: "1: caller latency vs StreamLogHandler", run: CallerSuite.latency),
        Suite(name: "console", summary: "caller cost and allocations with the console sink writing to a file; its write path per record", run: ConsoleSuite.run),
        Suite(name: "bridge", summary: "2: the swift-log bridge vs StreamLogHandler", run: BridgeSuite.run),
        Suite(name: "allocations", summary: "3: allocations per native log call", run: AllocationSuite.run),
        Suite(name: "filtered", summary: "4: a call below the level vs swift-log's", run: FilteredSuite.run),
        Suite(name: "handoff", summary: "5: caller cost vs DispatchQueue.async / AsyncStream.yield", run: CallerSuite.handOff),
        Suite(name: "fanout", summary: "6: three sinks vs one", run: CallerSuite.fanOut),
        Suite(name: "throughput", summary: "7: end-to-end lines/s into a file sink", run: ThroughputSuite.run),
        Suite(name: "filebytes", summary: "8: file sink bytes/s vs write(2)", run: FileBytesSuite.run),
        Suite(name: "formatting", summary: "9: logfmt/JSON vs C reference and JSONEncoder", run: FormattingSuite.run),
        Suite(name: "gzip", summary: "10: file sink gzip vs zlib", run: GzipSuite.run),
        Suite(name: "loki", summary: "11: Loki encoding per entry, snappy vs libsnappy", run: LokiSuite.run),
        Suite(name: "idle", summary: "12: idle CPU of a three-sink pipeline", run: IdleSuite.run),
        Suite(name: "memory", summary: "13: peak memory with Loki unreachable", run: MemorySuite.run),
        Suite(name: "profile-caller", summary: "the native call in a long loop, for perf record", manual: true,
              run: CallerSuite.profile),
        Suite(name: "profile-throughput", summary: "metric 7's end-to-end path in a long loop, for perf record",
              manual: true, run: ThroughputSuite.profile),
        Suite(name: "profile-loki", summary: "metric 11's protobuf+Snappy encoding in a long loop, for perf record",
              manual: true, run: LokiSuite.profile),
    ]

    static func run(arguments: [String]) {
        let parsed: BenchmarkArguments
        let selected: [Suite]
        do {
            parsed = try BenchmarkArguments(parsing: arguments)
            selected = try parsed.selected(from: suites)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(2)
        }
        switch parsed.action {
        case .help:
            print(BenchmarkArguments.usage)
            return
        case .list:
            for suite in suites { print("\(suite.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(suite.summary)") }
            return
        case .run:
            break
        }
        let options = parsed.options
        // Benchmarks/results.json from the repository root, results.json from the package directory.
        let output = parsed.output
            ?? (FileManager.default.fileExists(atPath: "Benchmarks/Package.swift") ? "Benchmarks/results.json" : "results.json")
        let machine = machineDescription()
        let loadBefore = loadAverage()
        print("machine: \(machine)")
        print("load average before: \(loadBefore)\(options.quick ? "  (quick mode: short runs, not for results)" : "")")
        print("runs per metric: \(options.runs); values are medians over the runs; ratio = median of per-run advantages (>1 = ours better)")
        var metrics: [Metric] = []
        for suite in selected {
            print("== \(suite.name): \(suite.summary)")
            do {
                let results = try suite.run(options)
                for metric in results { print(metric.line) }
                metrics += results
            } catch {
                print("   failed: \(error)")
                metrics.append(.pending(suite.name, unit: "", note: "failed: \(error)"))
            }
        }
        let loadAfter = loadAverage()
        print("load average after: \(loadAfter)")
        let missed = metrics.filter { $0.met == false }.map(\.name)
        print("targets met: \(metrics.filter { $0.met == true }.count), missed: \(missed.count)\(missed.isEmpty ? "" : " (\(missed.joined(separator: "; ")))")")
        let report = Report(
            machine: machine, load: "\(loadBefore) before, \(loadAfter) after", date: ISO8601DateFormatter().string(from: Date()),
            quick: options.quick, metrics: metrics
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(report).write(to: URL(fileURLWithPath: output))
            print("wrote \(output)")
        } catch {
            print("cannot write \(output): \(error)")
        }
    }
}
