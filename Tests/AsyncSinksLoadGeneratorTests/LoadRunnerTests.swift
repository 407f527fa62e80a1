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
