import AsyncSinksLoadGenerator
import Foundation
import Testing

@Suite("LoadRunner")
struct LoadRunnerTests {
    @Test("A small load through a real file sink and a console sink writing to a file is fully accounted for")
    func smallLoadThroughRealSinks() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let consolePath = directory.appendingPathComponent("console.log").path
        let descriptor = open(consolePath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(descriptor >= 0)
        defer { close(descriptor) }

        var options = LoadOptions()
        options.total = 3000
        options.threads = 3
        options.sinks = [.console, .file]
        options.filePath = directory.appendingPathComponent("load.log").path
        let report = try LoadRunner.run(options: options, consoleDescriptor: descriptor, closeTimeout: .seconds(60))

        #expect(report.problems == [])
        #expect(report.total == 3000)
        let console = try #require(report.sinks.first { $0.name == "console" })
        let file = try #require(report.sinks.first { $0.name == "file" })
        #expect(file.written == 3000)
        #expect(console.written == console.expectedAccepted)
        #expect(console.written > 0 && console.written < 3000)

        let fileLines = try String(contentsOfFile: options.filePath, encoding: .utf8).split(separator: "\n")
        let consoleLines = try String(contentsOfFile: consolePath, encoding: .utf8).split(separator: "\n")
        #expect(fileLines.count == 3000)
        #expect(consoleLines.count == console.written)
        #expect(fileLines.allSatisfy { $0.contains("request_id=") })
    }
}

@Suite("LoadRunner with Loki")
struct LoadRunnerLokiTests {
    @Test("A load pushed to a local Loki keeps request and user ids out of the labels")
    func lokiLabelsStayLowCardinality() throws {
        let receiver = try PushReceiver()
        defer { receiver.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }

        var options = LoadOptions()
        options.total = 2000
        options.sinks = [.file, .loki]
        options.filePath = directory.appendingPathComponent("load.log").path
        options.lokiURL = "http://127.0.0.1:\(receiver.port)"
        options.encoding = .json
        options.labels = ["service_name": "loadgen-test", "env": "ci"]
        let report = try LoadRunner.run(options: options, closeTimeout: .seconds(60))

        #expect(report.problems == [])
        let loki = try #require(report.sinks.first { $0.name == "loki" })
        #expect(loki.written == loki.expectedAccepted)
        #expect(loki.written > 0)

        var entries = 0
        var labelNames = Set<String>()
        for body in receiver.bodies {
            let push = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
            let streams = try #require(push["streams"] as? [[String: Any]])
            for stream in streams {
                let labels = try #require(stream["stream"] as? [String: String])
                labelNames.formUnion(labels.keys)
                #expect(labels["service_name"] == "loadgen-test")
                entries += (stream["values"] as? [Any])?.count ?? 0
            }
        }
        #expect(entries == loki.written)
        #expect(labelNames == ["service_name", "env", "level", "service"])
    }
}
