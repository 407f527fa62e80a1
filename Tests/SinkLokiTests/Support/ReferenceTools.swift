import Foundation

/// Runs the independent reference implementations the encoders are checked against: `protoc`
/// (package protobuf-compiler) and the reference Snappy library through Python (python3-snappy).
enum ReferenceTools {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    /// The result of a tool run.
    struct Output {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
    }

    /// The `protoc` executable, or an error naming the package to install.
    static func protoc() throws -> String {
        for path in ["/usr/bin/protoc", "/usr/local/bin/protoc"] where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw Missing(description: "protoc not found: install the apt package protobuf-compiler")
    }

    /// A Python interpreter that can `import snappy`, or an error naming the package to install.
    static func pythonWithSnappy() throws -> String {
        for path in ["/usr/bin/python3", "/usr/local/bin/python3"] where FileManager.default.isExecutableFile(atPath: path) {
            if let output = try? run(path, ["-c", "import snappy"], input: []), output.status == 0 { return path }
        }
        throw Missing(description: "no python3 with the snappy module: install the apt package python3-snappy (libsnappy1v5)")
    }

    /// Runs `executable` with `arguments`, feeding `input` to its standard input.
    static func run(_ executable: String, _ arguments: [String], input: [UInt8]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let writer = Thread {
            stdin.fileHandleForWriting.write(Data(input))
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let errorReader = ErrorCollector(handle: stderr.fileHandleForReading)
        errorReader.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: Array(output), stderr: errorReader.finish())
    }

    /// Writes the `logproto` schema, written from Loki's field table, to a temporary directory.
    static func writeProtoSchema() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loki-proto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let schema = """
            syntax = "proto3";
            package logproto;
            message PushRequest { repeated StreamAdapter streams = 1; }
            message StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3; }
            message EntryAdapter { Timestamp timestamp = 1; string line = 2; repeated LabelPairAdapter structuredMetadata = 3; }
            message LabelPairAdapter { string name = 1; string value = 2; }
            message Timestamp { int64 seconds = 1; int32 nanos = 2; }
            """
        try schema.write(to: directory.appendingPathComponent("push.proto"), atomically: true, encoding: .utf8)
        return directory
    }
}

/// Reads a pipe to its end on a thread.
private final class ErrorCollector: @unchecked Sendable {
    private let handle: FileHandle
    private let done = NSCondition()
    private var data = Data()
    private var finished = false

    init(handle: FileHandle) {
        self.handle = handle
    }

    func start() {
        Thread { [self] in
            let read = handle.readDataToEndOfFile()
            done.lock()
            data = read
            finished = true
            done.broadcast()
            done.unlock()
        }.start()
    }

    func finish() -> String {
        done.lock()
        defer { done.unlock() }
        while !finished { done.wait() }
        return String(decoding: data, as: UTF8.self)
    }
}
