import AsyncSinks
import Foundation
@testable import SinkFile
import Testing

@Suite("FileSink write failures")
struct FileSinkFailureTests {
    private func retry(_ batch: LogBatch) -> LogBatch {
        let remaining = batch.records.indices.filter { !batch.isMarked($0) }.map { batch.records[$0] }
        return LogBatch(records: remaining, attempt: batch.attempt + 1)
    }

    @Test("a full disk is a retryable error and writing resumes when space returns")
    func diskFull() throws {
        let directory = try TemporaryDirectory()
        let fileSystem = FaultyFileSystem()
        let sink = try FileSink(configuration: .testing(path: directory.file("app.log")), fileSystem: fileSystem)
        var batch = Records.batch(["a", "b", "c"])
        fileSystem.fail(.write, code: ENOSPC)
        let error = try #require(throws: LogSinkError.self) { try sink.write(&batch) }
        #expect(error.kind == .retryable)
        #expect(error.message.contains("ENOSPC"))
        #expect(error.message.contains("app.log"))
        #expect(!(0..<3).contains { batch.isMarked($0) })

        // Still full: the retry reopens the file and fails again.
        var second = retry(batch)
        #expect(throws: LogSinkError.self) { try sink.write(&second) }
        fileSystem.clear(.write)
        var third = retry(second)
        try sink.write(&third)
        try sink.close()
        #expect(try directory.contents("app.log") == "a\nb\nc\n")
        #expect(fileSystem.calls(.open) >= 2)
    }

    @Test("a write that stops inside a line removes the partial line; the retry writes every line once")
    func partialWrite() throws {
        let directory = try TemporaryDirectory()
        let fileSystem = FaultyFileSystem()
        let sink = try FileSink(configuration: .testing(path: directory.file("app.log")), fileSystem: fileSystem)
        var warmup = Records.batch(["line-0000"])
        try sink.write(&warmup)
        fileSystem.failWrites(after: 25, code: ENOSPC)  // two lines and half of the third
        var batch = Records.batch(["line-0001", "line-0002", "line-0003", "line-0004"])
        let error = try #require(throws: LogSinkError.self) { try sink.write(&batch) }
        #expect(error.kind == .retryable)
        #expect(batch.isMarked(0) && batch.isMarked(1))
        #expect(!batch.isMarked(2) && !batch.isMarked(3))
        #expect(try directory.contents("app.log") == "line-0000\nline-0001\nline-0002\n")
        fileSystem.clear(.write)
        var retried = retry(batch)
        try sink.write(&retried)
        try sink.close()
        #expect(try directory.allLines(of: "app.log") == (0...4).map { String(format: "line-%04d", $0) })
    }

    @Test("when the partial line cannot be cut off, its rest is written first and the line counts once")
    func partialWriteWithoutTruncate() throws {
        let directory = try TemporaryDirectory()
        let fileSystem = FaultyFileSystem()
        let sink = try FileSink(configuration: .testing(path: directory.file("app.log")), fileSystem: fileSystem)
        fileSystem.failWrites(after: 15, code: EIO)
        fileSystem.fail(.truncate, code: EIO)
        var batch = Records.batch(["line-0001", "line-0002", "line-0003"])
        #expect(throws: LogSinkError.self) { try sink.write(&batch) }
        #expect(batch.isMarked(0) && batch.isMarked(1))
        #expect(!batch.isMarked(2))
        fileSystem.clear(.write)
        fileSystem.clear(.truncate)
        var retried = retry(batch)
        try sink.write(&retried)
        try sink.close()
        #expect(try directory.contents("app.log") == "line-0001\nline-0002\nline-0003\n")
    }

    @Test("a revoked permission is retryable; the sink reopens the file once it is allowed again")
    func permissionRevoked() throws {
        let directory = try TemporaryDirectory()
        let fileSystem = FaultyFileSystem()
        let recorder = HookRecorder()
        let sink = try FileSink(
            configuration: .testing(path: directory.file("app.log"), hooks: recorder.hooks), fileSystem: fileSystem
        )
        fileSystem.fail(.write, code: EACCES, times: 1)
        fileSystem.fail(.open, code: EACCES)
        var batch = Records.batch(["a"])
        #expect(throws: LogSinkError.self) { try sink.write(&batch) }
        var second = retry(batch)
        let error = try #require(throws: LogSinkError.self) { try sink.write(&second) }
        #expect(error.kind == .retryable)
        #expect(error.message.contains("EACCES"))
        fileSystem.clear(.open)
        var third = retry(second)
        try sink.write(&third)
        try sink.close()
        #expect(try directory.contents("app.log") == "a\n")
        #expect(recorder.matching("reopened app.log").count == 1)
    }

    @Test("a path that can no longer work is a permanent error")
    func permanentError() throws {
        let directory = try TemporaryDirectory()
        let fileSystem = FaultyFileSystem()
        let sink = try FileSink(configuration: .testing(path: directory.file("app.log")), fileSystem: fileSystem)
        fileSystem.fail(.write, code: EROFS)
        var batch = Records.batch(["a"])
        let error = try #require(throws: LogSinkError.self) { try sink.write(&batch) }
        #expect(error.kind == .permanent)
        try sink.close()
    }

    @Test("a failing rotation is retryable, keeps the cap, and the retry rotates and writes the rest")
    func rotationFailure() throws {
        let directory = try TemporaryDirectory()
        let fileSystem = FaultyFileSystem()
        let sink = try FileSink(
            configuration: .testing(path: directory.file("app.log"), rotation: .size(20)), fileSystem: fileSystem
        )
        fileSystem.fail(.rename, code: EACCES, times: 1)
        var batch = Records.batch(["line-0001", "line-0002", "line-0003"])
        let error = try #require(throws: LogSinkError.self) { try sink.write(&batch) }
        #expect(error.kind == .retryable)
        #expect(batch.isMarked(0) && batch.isMarked(1) && !batch.isMarked(2))
        #expect(try directory.size("app.log") == 20)
        var retried = retry(batch)
        try sink.write(&retried)
        try sink.close()
        #expect(try directory.rotated(of: "app.log").count == 1)
        #expect(try directory.allLines(of: "app.log") == ["line-0001", "line-0002", "line-0003"])
    }

    @Test("a failed sync after writing reports the error but marks the lines written")
    func syncFailure() throws {
        let directory = try TemporaryDirectory()
        let fileSystem = FaultyFileSystem()
        var configuration = FileSinkConfiguration.testing(path: directory.file("app.log"))
        configuration.sync = .everyBatch
        let sink = try FileSink(configuration: configuration, fileSystem: fileSystem)
        fileSystem.fail(.sync, code: EIO, times: 1)
        var batch = Records.batch(["a", "b"])
        #expect(throws: LogSinkError.self) { try sink.write(&batch) }
        #expect(batch.isMarked(0) && batch.isMarked(1))
        try sink.close()
        #expect(try directory.contents("app.log") == "a\nb\n")
    }
}
