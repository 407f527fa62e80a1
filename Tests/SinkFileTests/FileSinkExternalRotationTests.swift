import AsyncSinks
import Foundation
@testable import SinkFile
import Testing

@Suite("FileSink external rotation")
struct FileSinkExternalRotationTests {
    @Test("a file moved away is detected and a new file is created at the path")
    func movedAway() throws {
        let directory = try TemporaryDirectory()
        let recorder = HookRecorder()
        let sink = try FileSink(configuration: .testing(
            path: directory.file("app.log"), externalChangeCheckInterval: .zero, hooks: recorder.hooks
        ))
        var batch = Records.batch(["before"])
        try sink.write(&batch)
        try FileManager.default.moveItem(atPath: directory.file("app.log"), toPath: directory.file("app.log.1"))
        batch = Records.batch(["after"])
        try sink.write(&batch)
        try sink.close()
        #expect(try directory.contents("app.log.1") == "before\n")
        #expect(try directory.contents("app.log") == "after\n")
        #expect(recorder.matching("reopened app.log: the file was moved or deleted").count == 1)
    }

    @Test("a file replaced by another one at the same path is detected by its inode")
    func replaced() throws {
        let directory = try TemporaryDirectory()
        let sink = try FileSink(configuration: .testing(path: directory.file("app.log"), externalChangeCheckInterval: .zero))
        var batch = Records.batch(["old"])
        try sink.write(&batch)
        try FileManager.default.moveItem(atPath: directory.file("app.log"), toPath: directory.file("app.log.1"))
        try "fresh\n".write(toFile: directory.file("app.log"), atomically: false, encoding: .utf8)
        batch = Records.batch(["new"])
        try sink.write(&batch)
        try sink.close()
        #expect(try directory.contents("app.log") == "fresh\nnew\n")
        #expect(try directory.contents("app.log.1") == "old\n")
    }

    @Test("the check runs at most once per interval of the sink's clock")
    func checkInterval() throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let sink = try FileSink(configuration: .testing(
            path: directory.file("app.log"), clock: .manual(clock), externalChangeCheckInterval: .seconds(5)
        ))
        var batch = Records.batch(["one"])
        try sink.write(&batch)
        try FileManager.default.moveItem(atPath: directory.file("app.log"), toPath: directory.file("moved.log"))
        batch = Records.batch(["two"])
        try sink.write(&batch)  // not yet checked: still goes to the moved file
        clock.advance(by: .seconds(5))
        batch = Records.batch(["three"])
        try sink.write(&batch)
        try sink.close()
        #expect(try directory.contents("moved.log") == "one\ntwo\n")
        #expect(try directory.contents("app.log") == "three\n")
    }

    @Test("a truncated file is continued at its new size, so rotation is not triggered early")
    func truncated() throws {
        let directory = try TemporaryDirectory()
        let sink = try FileSink(configuration: .testing(
            path: directory.file("app.log"), rotation: .size(100), externalChangeCheckInterval: .zero
        ))
        var batch = Records.batch([String(repeating: "a", count: 79)])
        try sink.write(&batch)
        let handle = try #require(FileHandle(forWritingAtPath: directory.file("app.log")))
        try handle.truncate(atOffset: 0)
        try handle.close()
        batch = Records.batch([String(repeating: "b", count: 49)])
        try sink.write(&batch)
        try sink.close()
        #expect(try directory.rotated(of: "app.log").isEmpty)
        #expect(try directory.contents("app.log") == String(repeating: "b", count: 49) + "\n")
    }

    @Test("reopen() switches to a new file without any automatic check")
    func explicitReopen() throws {
        let directory = try TemporaryDirectory()
        let sink = try FileSink(configuration: .testing(path: directory.file("app.log"), externalChangeCheckInterval: nil))
        var batch = Records.batch(["one"])
        try sink.write(&batch)
        try FileManager.default.moveItem(atPath: directory.file("app.log"), toPath: directory.file("app.log.1"))
        batch = Records.batch(["two"])
        try sink.write(&batch)
        try sink.reopen()
        batch = Records.batch(["three"])
        try sink.write(&batch)
        try sink.close()
        #expect(try directory.contents("app.log.1") == "one\ntwo\n")
        #expect(try directory.contents("app.log") == "three\n")
    }

    @Test("a deleted directory is created again on the next write")
    func directoryRemoved() throws {
        let directory = try TemporaryDirectory()
        let sink = try FileSink(configuration: .testing(path: directory.file("logs/app.log"), externalChangeCheckInterval: .zero))
        var batch = Records.batch(["one"])
        try sink.write(&batch)
        try FileManager.default.removeItem(atPath: directory.file("logs"))
        batch = Records.batch(["two"])
        try sink.write(&batch)
        try sink.close()
        #expect(try directory.contents("logs/app.log") == "two\n")
    }
}

@Suite("FileSink path replaced while running")
struct FileSinkPathReplacedTests {
    @Test("a directory put in place of the file is a permanent error naming it; writing resumes once it is gone")
    func replacedByDirectory() throws {
        let directory = try TemporaryDirectory()
        let sink = try FileSink(configuration: .testing(path: directory.file("app.log"), externalChangeCheckInterval: .zero))
        var batch = Records.batch(["one"])
        try sink.write(&batch)
        try FileManager.default.moveItem(atPath: directory.file("app.log"), toPath: directory.file("app.log.1"))
        try FileManager.default.createDirectory(atPath: directory.file("app.log"), withIntermediateDirectories: false)
        batch = Records.batch(["two"])
        let error = try #require(throws: LogSinkError.self) { try sink.write(&batch) }
        #expect(error.kind == .permanent)
        #expect(error.message.contains("EISDIR"))
        #expect(error.message.contains("app.log"))
        try FileManager.default.removeItem(atPath: directory.file("app.log"))
        try sink.write(&batch)
        try sink.close()
        #expect(try directory.contents("app.log") == "two\n")
        #expect(try directory.contents("app.log.1") == "one\n")
    }
}
