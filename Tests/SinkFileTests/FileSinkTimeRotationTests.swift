import AsyncSinks
import Foundation
@testable import SinkFile
import Testing

@Suite("FileSink time rotation")
struct FileSinkTimeRotationTests {
    @Test("hourly rotation in UTC follows the injected clock and names files by rotation time")
    func hourly() throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()  // 2026-01-01T00:00:00Z
        let sink = try FileSink(configuration: .testing(
            path: directory.file("app.log"), rotation: .time(.hourly), clock: .manual(clock)
        ))
        var batch = Records.batch(["a"])
        try sink.write(&batch)
        clock.advance(by: .seconds(1_800))
        batch = Records.batch(["b"])
        try sink.write(&batch)
        #expect(try directory.rotated(of: "app.log").isEmpty)
        clock.advance(by: .seconds(1_800))  // 01:00:00
        batch = Records.batch(["c"])
        try sink.write(&batch)
        clock.advance(by: .seconds(7_200 + 5))  // 03:00:05, two boundaries later: one rotation
        batch = Records.batch(["d"])
        try sink.write(&batch)
        try sink.close()

        #expect(try directory.names() == [
            "app.20260101T010000Z.000001.log", "app.20260101T030005Z.000002.log", "app.log",
        ])
        #expect(try directory.contents("app.20260101T010000Z.000001.log") == "a\nb\n")
        #expect(try directory.contents("app.20260101T030005Z.000002.log") == "c\n")
        #expect(try directory.contents("app.log") == "d\n")
    }

    @Test("daily rotation at UTC midnight, and an empty file is not rotated")
    func daily() throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let sink = try FileSink(configuration: .testing(
            path: directory.file("app.log"), rotation: .time(.daily), clock: .manual(clock)
        ))
        clock.advance(by: .seconds(86_400 + 60))  // a boundary passes with nothing written
        var batch = Records.batch(["day2"])
        try sink.write(&batch)
        #expect(try directory.rotated(of: "app.log").isEmpty)
        clock.advance(by: .seconds(86_400 - 120))  // 2026-01-02T23:59:00Z
        batch = Records.batch(["day2-late"])
        try sink.write(&batch)
        #expect(try directory.rotated(of: "app.log").isEmpty)
        clock.advance(by: .seconds(60))  // 2026-01-03T00:00:00Z
        batch = Records.batch(["day3"])
        try sink.write(&batch)
        try sink.close()
        #expect(try directory.names() == ["app.20260103T000000Z.000001.log", "app.log"])
        #expect(try directory.contents("app.20260103T000000Z.000001.log") == "day2\nday2-late\n")
        #expect(try directory.contents("app.log") == "day3\n")
    }

    @Test("size and time rotation combine")
    func sizeAndTime() throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let sink = try FileSink(configuration: .testing(
            path: directory.file("app.log"),
            rotation: FileRotationPolicy(maxBytes: 10, interval: .hourly),
            clock: .manual(clock)
        ))
        var batch = Records.batch(["1234", "5678", "abcd"])  // 5 bytes each: the third rotates by size
        try sink.write(&batch)
        clock.advance(by: .seconds(3_600))
        batch = Records.batch(["efgh"])
        try sink.write(&batch)
        try sink.close()
        let contents = try directory.rotated(of: "app.log").map { try directory.contents($0.name) }
        #expect(contents == ["1234\n5678\n", "abcd\n"])
        #expect(try directory.contents("app.log") == "efgh\n")
    }
}

@Suite("FileSink time rotation after a restart")
struct FileSinkTimeRotationRestartTests {
    @Test("a continued file last written in an earlier period is rotated by the first write")
    func continuedFileFromEarlierPeriod() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("app.log")
        try "yesterday\n".write(toFile: path, atomically: false, encoding: .utf8)
        // Last written at 2026-01-01T00:10:00Z; the sink starts at 01:30 the same day.
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: 1_767_225_600 + 600)], ofItemAtPath: path
        )
        let clock = ManualClock(wallTime: LogTimestamp(nanosecondsSinceEpoch: (1_767_225_600 + 5_400) * 1_000_000_000))
        let recorder = HookRecorder()
        let sink = try FileSink(configuration: .testing(
            path: path, rotation: .time(.hourly), clock: .manual(clock), hooks: recorder.hooks
        ))
        var batch = Records.batch(["today"])
        try sink.write(&batch)
        try sink.close()
        #expect(recorder.matching("rotated") == ["rotated app.log -> app.20260101T013000Z.000001.log"])
        #expect(try directory.contents("app.20260101T013000Z.000001.log") == "yesterday\n")
        #expect(try directory.contents("app.log") == "today\n")
    }

    @Test("a continued file from the current period is not rotated early")
    func continuedFileFromCurrentPeriod() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("app.log")
        try "earlier\n".write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: 1_767_225_600 + 4_000)], ofItemAtPath: path
        )
        let clock = ManualClock(wallTime: LogTimestamp(nanosecondsSinceEpoch: (1_767_225_600 + 5_400) * 1_000_000_000))
        let sink = try FileSink(configuration: .testing(path: path, rotation: .time(.hourly), clock: .manual(clock)))
        var batch = Records.batch(["later"])
        try sink.write(&batch)
        try sink.close()
        #expect(try directory.rotated(of: "app.log").isEmpty)
        #expect(try directory.contents("app.log") == "earlier\nlater\n")
    }
}
