import AsyncSinks
import AsyncSinksGzip
import Foundation
@testable import SinkFile
import Testing

@Suite("FileSink restart and crash recovery")
struct FileSinkRecoveryTests {
    @Test("a new sink on the same path appends, counts the existing size and continues the numbering")
    func continuesAfterRestart() throws {
        let directory = try TemporaryDirectory()
        let configuration = FileSinkConfiguration.testing(path: directory.file("app.log"), rotation: .size(30))
        let first = try FileSink(configuration: configuration)
        for line in ["line-0001", "line-0002", "line-0003", "line-0004"] {  // 10 bytes each
            var batch = Records.batch([line])
            try first.write(&batch)
        }
        try first.close()
        #expect(try directory.rotated(of: "app.log").map(\.sequence) == [1])
        #expect(try directory.size("app.log") == 10)

        let second = try FileSink(configuration: configuration)
        var batch = Records.batch(["line-0005", "line-0006"])  // fills the active file to 30 bytes
        try second.write(&batch)
        #expect(try directory.rotated(of: "app.log").count == 1)
        batch = Records.batch(["line-0007"])  // would make 40 bytes: rotates as sequence 2
        try second.write(&batch)
        try second.close()
        #expect(try directory.rotated(of: "app.log").map(\.sequence) == [1, 2])
        #expect(try directory.allLines(of: "app.log") == (1...7).map { String(format: "line-%04d", $0) })
    }

    @Test("leftovers of a crash during compression are cleaned and originals compressed again")
    func crashLeftovers() throws {
        let directory = try TemporaryDirectory()
        let scheme = FileNamingScheme(path: directory.file("app.log"))
        let done = scheme.rotatedName(secondsSinceEpoch: 1_767_225_600, sequence: 1)
        let interrupted = scheme.rotatedName(secondsSinceEpoch: 1_767_225_700, sequence: 2)
        let neverStarted = scheme.rotatedName(secondsSinceEpoch: 1_767_225_800, sequence: 3)
        // 1: compressed and published, but the original was not yet removed.
        try "one\n".write(toFile: directory.file(done), atomically: false, encoding: .utf8)
        try GzipFile.compress(sourcePath: directory.file(done))
        // 2: the crash hit while writing the temporary file.
        try "two\n".write(toFile: directory.file(interrupted), atomically: false, encoding: .utf8)
        try Data([0x1F, 0x8B, 0x08]).write(to: URL(fileURLWithPath: directory.file(interrupted + ".gz.tmp")))
        // 3: rotated, compression never started.
        try "three\n".write(toFile: directory.file(neverStarted), atomically: false, encoding: .utf8)

        let sink = try FileSink(configuration: .testing(
            path: directory.file("app.log"), rotation: .size(5), compression: .gzip()
        ))
        #expect(sink.waitForBackgroundWork(timeout: .seconds(30)))
        #expect(try directory.names() == [done + ".gz", interrupted + ".gz", neverStarted + ".gz", "app.log"].sorted())
        var batch = Records.batch(["four", "five"])
        try sink.write(&batch)
        try sink.close()
        #expect(try directory.rotated(of: "app.log").map(\.sequence) == [1, 2, 3, 4])
        for file in try directory.rotated(of: "app.log") {
            #expect(try SystemGzip.test(file: directory.file(file.name)) == 0)
        }
        #expect(try directory.allLines(of: "app.log") == ["one", "two", "three", "four", "five"])
    }

    @Test("a leftover temporary file is removed even when compression is off")
    func temporaryRemovedWithoutCompression() throws {
        let directory = try TemporaryDirectory()
        let scheme = FileNamingScheme(path: directory.file("app.log"))
        let name = scheme.rotatedName(secondsSinceEpoch: 1_767_225_600, sequence: 7)
        try "x\n".write(toFile: directory.file(name), atomically: false, encoding: .utf8)
        try "partial".write(toFile: directory.file(name + ".gz.tmp"), atomically: false, encoding: .utf8)
        let sink = try FileSink(configuration: .testing(path: directory.file("app.log"), rotation: .size(1)))
        var batch = Records.batch(["a", "b"])
        try sink.write(&batch)
        try sink.close()
        let rotated = try directory.rotated(of: "app.log")
        #expect(rotated.map(\.sequence) == [7, 8])
        #expect(rotated.allSatisfy { $0.state == .plain })
    }
}
