import AsyncSinks
import Foundation
@testable import SinkFile
import Testing

@Suite("FileSink space reservation")
struct FileSinkPreallocationTests {
    private static let step = 64 * 1024

    /// A batch of `count` lines of 1000 bytes (with the newline), numbered from `first`.
    private func batch(_ first: Int, count: Int = 40) -> LogBatch {
        Records.batch((first..<(first + count)).map { String(format: "%06d", $0) + String(repeating: "x", count: 993) })
    }

    /// A sink on `app.log` in `directory` reserving in steps of 64 KiB.
    private func makeSink(
        in directory: TemporaryDirectory, fileSystem: FaultyFileSystem, rotation: FileRotationPolicy = .never,
        clock: ManualClock = ManualClock()
    ) throws -> FileSink {
        try FileSink(
            configuration: .testing(
                path: directory.file("app.log"), rotation: rotation, preallocation: .steps(of: Self.step), clock: .manual(clock)
            ),
            fileSystem: fileSystem
        )
    }

    /// Writes batches of 40 lines starting at each of `firsts`.
    private func write(_ sink: FileSink, batchesFrom firsts: [Int]) throws {
        for first in firsts {
            var next = batch(first)
            try sink.write(&next)
        }
    }

    private func allocatedBytes(_ path: String) throws -> Int64 {
        try POSIXFileSystem().status(ofPath: path).allocatedBytes
    }

    private func pairs(_ reservations: [(offset: Int64, length: Int64)]) -> [[Int64]] {
        reservations.map { [$0.offset, $0.length] }
    }

    @Test("space is reserved a step at a time ahead of the end and given back at close")
    func stepsAndRelease() throws {
        let directory = try TemporaryDirectory()
        let fileSystem = FaultyFileSystem()
        let path = directory.file("app.log")
        let sink = try makeSink(in: directory, fileSystem: fileSystem)
        try write(sink, batchesFrom: [0, 40, 80])
        // 40,000 bytes per batch: the first reserves up to 64 KiB, the second up to 128 KiB, and
        // the third fits in what is reserved.
        #expect(pairs(fileSystem.reservations) == [[0, 65_536], [65_536, 65_536]])
        #expect(try allocatedBytes(path) >= 131_072)
        #expect(try directory.size("app.log") == 120_000)

        try sink.close()
        #expect(try directory.size("app.log") == 120_000)
        #expect(try allocatedBytes(path) <= 122_880)
        #expect(try directory.allLines(of: "app.log").map { Int($0.prefix(6)) } == (0..<120).map { $0 })
    }

    @Test("giving the space back keeps the file's modification time, which restarts read")
    func modificationTimeKept() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("app.log")
        let sink = try makeSink(in: directory, fileSystem: FaultyFileSystem())
        try write(sink, batchesFrom: [0])
        // The time of the last line, as if it had been written long before the sink closes.
        let lastLine: Int64 = 1_767_225_600_123_456_789  // 2026-01-01T00:00:00.123456789Z
        let descriptor = try POSIXFileSystem().open(path, flags: O_WRONLY, mode: 0)
        try POSIXFileSystem().setModificationTime(descriptor, nanosecondsSinceEpoch: lastLine)
        try POSIXFileSystem().close(descriptor)
        #expect(try allocatedBytes(path) >= 65_536)

        try sink.close()
        let status = try POSIXFileSystem().status(ofPath: path)
        #expect(status.allocatedBytes <= 40_960)
        #expect(status.modificationTime == lastLine)
    }

    @Test("nothing is reserved past the rotation size limit, and the rotated file keeps no reservation")
    func rotationLimit() throws {
        let directory = try TemporaryDirectory()
        let fileSystem = FaultyFileSystem()
        let path = directory.file("app.log")
        let sink = try makeSink(in: directory, fileSystem: fileSystem, rotation: .size(100_000))
        try write(sink, batchesFrom: [0, 40, 80])
        // The second batch reserves only up to the 100,000-byte limit; the third fills the file to
        // the limit, rotates, and reserves a step in the new file.
        #expect(pairs(fileSystem.reservations) == [[0, 65_536], [65_536, 34_464], [0, 65_536]])
        let rotated = try #require(try directory.rotated(of: "app.log").first)
        #expect(try directory.size(rotated.name) == 100_000)
        #expect(try allocatedBytes(directory.file(rotated.name)) <= 102_400)

        try sink.close()
        #expect(try directory.size("app.log") == 20_000)
        #expect(try allocatedBytes(path) <= 20_480)
        #expect(try directory.allLines(of: "app.log").count == 120)
    }

    @Test("a file rotated by time gives its reservation back; the new file gets its own")
    func rotatedFileReleased() throws {
        let directory = try TemporaryDirectory()
        let fileSystem = FaultyFileSystem()
        let clock = ManualClock()
        let sink = try makeSink(in: directory, fileSystem: fileSystem, rotation: .time(.hourly), clock: clock)
        try write(sink, batchesFrom: [0])
        #expect(try allocatedBytes(directory.file("app.log")) >= 65_536)
        clock.advance(by: .seconds(3_600))
        try write(sink, batchesFrom: [40])
        let rotated = try #require(try directory.rotated(of: "app.log").first)
        #expect(try directory.size(rotated.name) == 40_000)
        #expect(try allocatedBytes(directory.file(rotated.name)) <= 40_960)
        #expect(pairs(fileSystem.reservations) == [[0, 65_536], [0, 65_536]])
        try sink.close()
    }

    @Test("a reservation refused for lack of space is skipped until the next step; every line is written")
    func diskFullReservation() throws {
        let directory = try TemporaryDirectory()
        let fileSystem = FaultyFileSystem()
        let sink = try makeSink(in: directory, fileSystem: fileSystem)
        fileSystem.fail(.reserve, code: ENOSPC)
        try write(sink, batchesFrom: [0, 40, 80])
        try sink.close()
        #expect(pairs(fileSystem.reservations) == [[0, 65_536], [65_536, 65_536]])
        #expect(try directory.allLines(of: "app.log").count == 120)
    }

    @Test("a file system without fallocate is not asked again until the file is reopened")
    func unsupported() throws {
        let directory = try TemporaryDirectory()
        let fileSystem = FaultyFileSystem()
        let sink = try makeSink(in: directory, fileSystem: fileSystem)
        fileSystem.fail(.reserve, code: EOPNOTSUPP)
        try write(sink, batchesFrom: [0, 40, 80])
        #expect(fileSystem.calls(.reserve) == 1)
        try sink.reopen()
        try write(sink, batchesFrom: [120])
        #expect(pairs(fileSystem.reservations) == [[0, 65_536], [120_000, 76_608]])
        try sink.close()
        #expect(try directory.allLines(of: "app.log").count == 160)
    }

    @Test("with reservation off, nothing is reserved")
    func off() throws {
        let directory = try TemporaryDirectory()
        let fileSystem = FaultyFileSystem()
        let sink = try FileSink(
            configuration: .testing(path: directory.file("app.log"), preallocation: .none), fileSystem: fileSystem
        )
        try write(sink, batchesFrom: [0])
        try sink.close()
        #expect(fileSystem.calls(.reserve) == 0)
        #expect(try directory.size("app.log") == 40_000)
    }

    @Test("space a crashed run left reserved is given back when the continued file is closed")
    func leftoverFromCrash() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("app.log")
        let real = POSIXFileSystem()
        let descriptor = try real.open(path, flags: O_WRONLY | O_CREAT | O_APPEND, mode: 0o640)
        _ = try Array("old\n".utf8).withUnsafeBytes { try real.write(descriptor, $0) }
        try real.reserveSpace(descriptor, offset: 4, length: 1 << 20)
        try real.close(descriptor)
        #expect(try allocatedBytes(path) >= 1 << 20)

        let sink = try makeSink(in: directory, fileSystem: FaultyFileSystem())
        var next = Records.batch(["new"])
        try sink.write(&next)
        try sink.close()
        #expect(try directory.contents("app.log") == "old\nnew\n")
        #expect(try allocatedBytes(path) <= 4096)
    }
}
