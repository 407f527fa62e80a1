import AsyncSinks
import Foundation
@testable import SinkFile
import Testing

@Suite("FileSink retention")
struct FileSinkRetentionTests {
    /// Writes `count` single-line batches of 10 bytes with a 10-byte cap: one rotation per line after the first.
    private func writeLines(_ sink: FileSink, count: Int) throws {
        for index in 0..<count {
            var batch = Records.batch([String(format: "line-%04d", index)])
            try sink.write(&batch)
        }
    }

    @Test("at most N rotated files are kept, the newest ones")
    func byCount() throws {
        let directory = try TemporaryDirectory()
        let recorder = HookRecorder()
        let sink = try FileSink(configuration: .testing(
            path: directory.file("app.log"), rotation: .size(10), retention: FileRetentionPolicy(maxFiles: 3),
            hooks: recorder.hooks
        ))
        try writeLines(sink, count: 10)
        #expect(sink.waitForBackgroundWork(timeout: .seconds(30)))
        let kept = try directory.rotated(of: "app.log")
        #expect(kept.map(\.sequence) == [7, 8, 9])
        #expect(recorder.matching("deleted").count == 6)
        #expect(try directory.contents("app.log") == "line-0009\n")
        try sink.close()
    }

    @Test("files older than the maximum age are removed, by the rotation time in their names")
    func byAge() throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let sink = try FileSink(configuration: .testing(
            path: directory.file("app.log"), rotation: .size(10),
            retention: FileRetentionPolicy(maxFiles: nil, maxAge: .seconds(3_600)), clock: .manual(clock)
        ))
        // Lines at t = 0, 20, ..., 100 minutes: rotations 1...5 at t = 20, 40, 60, 80, 100 minutes.
        for index in 0..<6 {
            if index > 0 { clock.advance(by: .seconds(1_200)) }
            var batch = Records.batch([String(format: "line-%04d", index)])
            try sink.write(&batch)
        }
        #expect(sink.waitForBackgroundWork(timeout: .seconds(30)))
        // At t = 100 minutes the ages are 80, 60, 40, 20 and 0 minutes: only the first is too old.
        let kept = try directory.rotated(of: "app.log")
        #expect(kept.allSatisfy { clock.wallTime.seconds - $0.rotatedAtSeconds <= 3_600 })
        #expect(kept.map(\.sequence) == [2, 3, 4, 5])
        try sink.close()
    }

    @Test("the total size of rotated files stays under the cap, oldest removed first")
    func byTotalSize() throws {
        let directory = try TemporaryDirectory()
        let sink = try FileSink(configuration: .testing(
            path: directory.file("app.log"), rotation: .size(10),
            retention: FileRetentionPolicy(maxFiles: nil, maxTotalBytes: 25)
        ))
        try writeLines(sink, count: 8)
        #expect(sink.waitForBackgroundWork(timeout: .seconds(30)))
        let kept = try directory.rotated(of: "app.log")
        #expect(kept.map(\.sequence) == [6, 7])
        try sink.close()
    }

    @Test("retention never touches foreign files in the same directory")
    func foreignFilesSurvive() throws {
        let directory = try TemporaryDirectory()
        let foreign = [
            "app.log.bak", "app.log.1", "other.log", "app.notes.log", "app.20260101T000000Z.log",
            "other.20260101T000000Z.000001.log", "app.20260101T000000Z.000001.txt", "README",
        ]
        for name in foreign { try "keep me\n".write(toFile: directory.file(name), atomically: false, encoding: .utf8) }
        let sink = try FileSink(configuration: .testing(
            path: directory.file("app.log"), rotation: .size(10),
            retention: FileRetentionPolicy(maxFiles: 0, maxAge: .zero, maxTotalBytes: 0)
        ))
        try writeLines(sink, count: 5)
        #expect(sink.waitForBackgroundWork(timeout: .seconds(30)))
        try sink.close()
        #expect(try directory.rotated(of: "app.log").isEmpty)
        #expect(try directory.names() == (foreign + ["app.log"]).sorted())
        for name in foreign { #expect(try directory.contents(name) == "keep me\n") }
    }
}
