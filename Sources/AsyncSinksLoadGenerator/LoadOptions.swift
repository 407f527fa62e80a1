public import AsyncSinks

/// What `asyncsinks-loadgen` does, as given on its command line.
public struct LoadOptions: Sendable, Equatable {
    /// A sink the load generator can feed.
    public enum SinkKind: String, Sendable, CaseIterable {
        /// ``SinkConsole`` lines, warnings and above, to standard output (standard error with `--json`).
        case console
        /// A rotating file with every record.
        case file
        /// Grafana Loki, info and above.
        case loki
    }

    /// The Loki request body format.
    public enum Encoding: String, Sendable {
        /// Protobuf compressed with snappy.
        case protobuf
        /// JSON, optionally gzip-compressed (`--gzip`).
        case json
    }

    /// The backpressure policy given to every sink.
    public enum Backpressure: String, Sendable {
        /// Logging calls wait for room; nothing may be dropped.
        case block
        /// A full queue drops the incoming record.
        case dropNewest = "drop-newest"
        /// A full queue evicts its oldest record.
        case dropOldest = "drop-oldest"

        /// The pipeline's policy.
        public var policy: BackpressurePolicy {
            switch self {
            case .block: .block
            case .dropNewest: .dropNewest
            case .dropOldest: .dropOldest
            }
        }
    }

    /// `--total`: how many records to log. Default: 100 000.
    public var total: Int = 100_000
    /// `--rate`: records per second over all threads, 0 for as fast as possible. Default: 0.
    public var rate: Int = 0
    /// `--threads`: logging threads. Default: 2.
    public var threads: Int = 2
    /// `--sinks`: the sinks to feed, in order. Default: file.
    public var sinks: [SinkKind] = [.file]
    /// `--file`: the file sink's path. Default: `logs/loadgen.log`.
    public var filePath: String = "logs/loadgen.log"
    /// `--file-rotate-bytes`: rotate the file at this size, or `nil` for the sink's default (64 MiB).
    public var fileRotateBytes: Int?
    /// `--file-gzip`: compress rotated files.
    public var fileGzip: Bool = false
    /// `--loki-url`: Loki's base or push URL. Default: `http://127.0.0.1:3100`.
    public var lokiURL: String = "http://127.0.0.1:3100"
    /// `--encoding`: the Loki body format. Default: protobuf.
    public var encoding: Encoding = .protobuf
    /// `--gzip`: gzip JSON bodies (only with `--encoding json`).
    public var gzip: Bool = false
    /// `--tenant`: the Loki tenant, or `nil`.
    public var tenant: String?
    /// `--labels`: static Loki labels. Default: `service_name=asyncsinks-loadgen`.
    public var labels: [String: String] = ["service_name": "asyncsinks-loadgen"]
    /// `--line-bytes`: pad messages so each record is about this many bytes, or `nil` for natural sizes.
    public var lineBytes: Int?
    /// `--backpressure`: every sink's policy. Default: block.
    public var backpressure: Backpressure = .block
    /// `--json`: print the report as one JSON object.
    public var json: Bool = false
    /// `--help`: print the usage and exit.
    public var help: Bool = false

    /// The defaults documented on each property.
    public init() {}

    /// The lowest level each sink accepts.
    ///
    /// - Parameter sink: The sink.
    /// - Returns: Its minimum level.
    public static func minimumLevel(of sink: SinkKind) -> LogLevel {
        switch sink {
        case .console: .warning
        case .file: .trace
        case .loki: .info
        }
    }

    /// The usage text printed by `--help` and after a bad flag.
    public static let usage = """
        usage: asyncsinks-loadgen [options]

        Logs a realistic mix of records through an AsyncSinks pipeline, closes it, and prints what
        every sink accepted, wrote, dropped (by reason) and failed. Exits 1 when a record is
        unaccounted for or a sink failed in a way the options did not allow, 2 on a bad option.

        options:
          --total N                records to log (default 100000)
          --rate R                 records per second over all threads, 0 = as fast as possible (default 0)
          --threads T              logging threads (default 2)
          --sinks LIST             comma-separated sinks among console,file,loki (default file)
                                   console takes warning and up, file everything, loki info and up
          --file PATH              the file sink's path (default logs/loadgen.log)
          --file-rotate-bytes B    rotate the file at B bytes (default 64 MiB)
          --file-gzip              gzip rotated files
          --loki-url URL           Loki's base or push URL (default http://127.0.0.1:3100)
          --encoding E             protobuf or json (default protobuf)
          --gzip                   gzip JSON request bodies (with --encoding json)
          --tenant ID              the Loki tenant (X-Scope-OrgID)
          --labels k=v,...         static Loki labels (default service_name=asyncsinks-loadgen)
          --line-bytes B           pad messages so records are about B bytes
          --backpressure P         block, drop-newest or drop-oldest (default block)
          --json                   print the report as one JSON object
          --help                   print this text
        """

    /// Parses command-line arguments (without the program name).
    ///
    /// - Parameter arguments: The arguments.
    /// - Returns: The options.
    /// - Throws: ``LoadOptionsError`` naming the bad argument.
    public static func parse(_ arguments: [String]) throws(LoadOptionsError) -> LoadOptions {
        var options = LoadOptions()
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            var name = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func value() throws(LoadOptionsError) -> String {
                if let inlineValue { return inlineValue }
                guard let next = remaining.popFirst() else { throw LoadOptionsError("\(name) needs a value") }
                return next
            }
            func flag() throws(LoadOptionsError) {
                if inlineValue != nil { throw LoadOptionsError("\(name) takes no value") }
            }
            switch name {
            case "--total": options.total = try count(value(), for: name, minimum: 0)
            case "--rate": options.rate = try count(value(), for: name, minimum: 0)
            case "--threads": options.threads = try count(value(), for: name, minimum: 1)
            case "--sinks": options.sinks = try sinkList(value())
            case "--file": options.filePath = try nonEmpty(value(), for: name)
            case "--file-rotate-bytes": options.fileRotateBytes = try count(value(), for: name, minimum: 1)
            case "--file-gzip":
                try flag()
                options.fileGzip = true
            case "--loki-url": options.lokiURL = try nonEmpty(value(), for: name)
            case "--encoding":
                let text = try value()
                guard let encoding = Encoding(rawValue: text) else {
                    throw LoadOptionsError("--encoding must be protobuf or json, not \"\(text)\"")
                }
                options.encoding = encoding
            case "--gzip":
                try flag()
                options.gzip = true
            case "--tenant": options.tenant = try nonEmpty(value(), for: name)
            case "--labels": options.labels = try labelList(value())
            case "--line-bytes": options.lineBytes = try count(value(), for: name, minimum: 1)
            case "--backpressure":
                let text = try value()
                guard let policy = Backpressure(rawValue: text) else {
                    throw LoadOptionsError("--backpressure must be block, drop-newest or drop-oldest, not \"\(text)\"")
                }
                options.backpressure = policy
            case "--json":
                try flag()
                options.json = true
            case "--help", "-h":
                try flag()
                options.help = true
            default:
                throw LoadOptionsError("unknown option \"\(argument)\"")
            }
        }
        if options.gzip, options.encoding != .json {
            throw LoadOptionsError("--gzip applies to --encoding json (protobuf bodies are always snappy-compressed)")
        }
        return options
    }

    private static func count(_ text: String, for name: String, minimum: Int) throws(LoadOptionsError) -> Int {
        let digits = text.replacingUnderscores()
        guard let number = Int(digits), number >= minimum else {
            throw LoadOptionsError("\(name) needs a whole number of at least \(minimum), not \"\(text)\"")
        }
        return number
    }

    private static func nonEmpty(_ text: String, for name: String) throws(LoadOptionsError) -> String {
        guard !text.isEmpty else { throw LoadOptionsError("\(name) must not be empty") }
        return text
    }

    private static func sinkList(_ text: String) throws(LoadOptionsError) -> [SinkKind] {
        var sinks: [SinkKind] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let sink = SinkKind(rawValue: String(part)) else {
                throw LoadOptionsError("--sinks takes console, file and loki, not \"\(part)\"")
            }
            guard !sinks.contains(sink) else { throw LoadOptionsError("--sinks names \(sink.rawValue) twice") }
            sinks.append(sink)
        }
        return sinks
    }

    private static func labelList(_ text: String) throws(LoadOptionsError) -> [String: String] {
        var labels: [String: String] = [:]
        for part in text.split(separator: ",") {
            guard let equals = part.firstIndex(of: "="), equals != part.startIndex else {
                throw LoadOptionsError("--labels takes k=v pairs separated by commas, not \"\(part)\"")
            }
            labels[String(part[..<equals])] = String(part[part.index(after: equals)...])
        }
        guard !labels.isEmpty else { throw LoadOptionsError("--labels needs at least one k=v pair") }
        return labels
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        String(filter { $0 != "_" })
    }
}
