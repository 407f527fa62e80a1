import AsyncSinks
import AsyncSinksLoadGenerator
import Testing

@Suite("LoadOptions")
struct LoadOptionsTests {
    @Test("No arguments give the documented defaults")
    func defaults() throws {
        let options = try LoadOptions.parse([])
        #expect(options == LoadOptions())
        #expect(options.total == 100_000)
        #expect(options.sinks == [.file])
        #expect(options.backpressure == .block)
        #expect(!options.json)
    }

    @Test("Every option is parsed, with separate or inline values")
    func everyOption() throws {
        let options = try LoadOptions.parse([
            "--total", "1_000", "--rate=500", "--threads", "4", "--sinks", "console,file,loki",
            "--file", "/tmp/x.log", "--file-rotate-bytes", "65536", "--file-gzip", "--loki-url", "http://127.0.0.1:9",
            "--encoding", "json", "--gzip", "--tenant", "team-a", "--labels", "env=test,region=eu",
            "--line-bytes", "300", "--backpressure", "drop-oldest", "--json", "--help",
        ])
        #expect(options.total == 1000)
        #expect(options.rate == 500)
        #expect(options.threads == 4)
        #expect(options.sinks == [.console, .file, .loki])
        #expect(options.filePath == "/tmp/x.log")
        #expect(options.fileRotateBytes == 65536)
        #expect(options.fileGzip)
        #expect(options.lokiURL == "http://127.0.0.1:9")
        #expect(options.encoding == .json)
        #expect(options.gzip)
        #expect(options.tenant == "team-a")
        #expect(options.labels == ["env": "test", "region": "eu"])
        #expect(options.lineBytes == 300)
        #expect(options.backpressure == .dropOldest)
        #expect(options.json)
        #expect(options.help)
    }

    @Test(
        "Bad arguments are refused with a message naming them",
        arguments: [
            (["--frobnicate"], "unknown option \"--frobnicate\""),
            (["--total"], "--total needs a value"),
            (["--total", "many"], "--total needs a whole number of at least 0, not \"many\""),
            (["--threads", "0"], "--threads needs a whole number of at least 1, not \"0\""),
            (["--rate", "-5"], "--rate needs a whole number of at least 0, not \"-5\""),
            (["--sinks", "file,kafka"], "--sinks takes console, file and loki, not \"kafka\""),
            (["--sinks", "file,file"], "--sinks names file twice"),
            (["--encoding", "xml"], "--encoding must be protobuf or json, not \"xml\""),
            (["--gzip"], "--gzip applies to --encoding json (protobuf bodies are always snappy-compressed)"),
            (["--backpressure", "wait"], "--backpressure must be block, drop-newest or drop-oldest, not \"wait\""),
            (["--labels", "env"], "--labels takes k=v pairs separated by commas, not \"env\""),
            (["--json=yes"], "--json takes no value"),
            (["--file", ""], "--file must not be empty"),
        ]
    )
    func badArguments(arguments: [String], message: String) {
        #expect(throws: LoadOptionsError(message)) {
            try LoadOptions.parse(arguments)
        }
    }

    @Test("Each sink has its level: console warnings and up, file everything, Loki info and up")
    func sinkLevels() {
        #expect(LoadOptions.minimumLevel(of: .console) == .warning)
        #expect(LoadOptions.minimumLevel(of: .file) == .trace)
        #expect(LoadOptions.minimumLevel(of: .loki) == .info)
    }
}
