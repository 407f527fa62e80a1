import AsyncSinks
import Foundation
@testable import SinkFile
import Testing

@Suite("FileSink writing and size rotation")
struct FileSinkWritingTests {
    @Test("lines are appended in order with one write per batch, in a file with mode 0640")
    func appendsLines() throws {
        let directory = try TemporaryDirectory()
        let fileSystem = FaultyFileSystem()
        let sink = try FileSink(configuration: .testing(path: directory.file("nested/deeper/app.log")), fileSystem: fileSystem)
        var first = Records.batch(["one", "two", "three"])
        try sink.write(&first)
        var second = Records.batch(["four"])
        try sink.write(&second)
        #expect(first.bytesWritten == 14)
        #expect(fileSystem.calls(.write) == 2)
        try sink.close()
        #expect(try directory.contents("nested/deeper/app.log") == "one\ntwo\nthree\nfour\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.file("nested/deeper/app.log"))
        let mode = try #require((attributes[.posixPermissions] as? NSNumber)?.intValue)
        #expect(mode & ~0o640 == 0)
        #expect(mode & 0o600 == 0o600)
    }

    @Test("a large batch is written in chunks that end between lines")
    func chunkedWrites() throws {
        let directory = try TemporaryDirectory()
        let fileSystem = FaultyFileSystem()
        var configuration = FileSinkConfiguration.testing(path: directory.file("app.log"))
        configuration.maxWriteBytes = 100
        let sink = try FileSink(configuration: configuration, fileSystem: fileSystem)
        let lines = (0..<50).map { String(format: "line-%04d", $0) }  // 10 bytes with the newline
        var batch = Records.batch(lines)
        try sink.write(&batch)
        try sink.close()
        #expect(fileSystem.calls(.write) == 5)
        #expect(try directory.allLines(of: "app.log") == lines)
    }

    @Test("size rotation never lets a file exceed the cap and rotates only when the next line does not fit")
    func sizeRotationExact() throws {
        let directory = try TemporaryDirectory()
        let recorder = HookRecorder()
        let cap = 100
        let sink = try FileSink(configuration: .testing(
            path: directory.file("app.log"), rotation: .size(cap), hooks: recorder.hooks
        ))
        var generator = SystemRandomNumberGenerator()
        var lines: [String] = []
        for index in 0..<400 {
            let padding = String(repeating: "x", count: Int.random(in: 0...30, using: &generator))
            lines.append("\(index)-\(padding)")
        }
        var offset = 0
        while offset < lines.count {
            let count = min(Int.random(in: 1...40, using: &generator), lines.count - offset)
            var batch = Records.batch(Array(lines[offset..<(offset + count)]))
            try sink.write(&batch)
            offset += count
        }
        try sink.close()

        let rotated = try directory.rotated(of: "app.log")
        #expect(rotated.count > 10)
        #expect(rotated.map(\.sequence) == Array(1...rotated.count))
        #expect(recorder.matching("rotated").count == rotated.count)
        let files = rotated.map(\.name) + ["app.log"]
        for (position, name) in files.enumerated() {
            let size = try directory.size(name)
            #expect(size <= cap, "\(name) has \(size) bytes")
            let text = try directory.contents(name)
            #expect(text.hasSuffix("\n"))
            if position + 1 < files.count {
                // The file was rotated because the next file's first line would not fit.
                let nextFirst = try directory.contents(files[position + 1]).split(separator: "\n").first?.utf8.count ?? 0
                #expect(size + nextFirst + 1 > cap)
            }
        }
        #expect(try directory.allLines(of: "app.log") == lines)
    }

    @Test("a line larger than the cap goes alone into its file")
    func oversizeLine() throws {
        let directory = try TemporaryDirectory()
        let sink = try FileSink(configuration: .testing(path: directory.file("app.log"), rotation: .size(50)))
        let huge = String(repeating: "H", count: 120)
        var batch = Records.batch(["small-1", huge, "small-2", huge, huge])
        try sink.write(&batch)
        try sink.close()
        let rotated = try directory.rotated(of: "app.log")
        let contents = try rotated.map { try directory.contents($0.name) } + [directory.contents("app.log")]
        #expect(contents == ["small-1\n", huge + "\n", "small-2\n", huge + "\n", huge + "\n"])
    }

    @Test("writes after close fail permanently, close is idempotent, and an empty batch does nothing")
    func afterClose() throws {
        let directory = try TemporaryDirectory()
        let sink = try FileSink(configuration: .testing(path: directory.file("app.log")))
        var empty = Records.batch([])
        try sink.write(&empty)
        try sink.close()
        try sink.close()
        var batch = Records.batch(["late"])
        let error = try #require(throws: LogSinkError.self) { try sink.write(&batch) }
        #expect(error.kind == .permanent)
        #expect(try directory.contents("app.log").isEmpty)
    }

    @Test("the sync policy syncs per batch or per interval, never per record")
    func syncPolicies() throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let everyBatchFS = FaultyFileSystem()
        var configuration = FileSinkConfiguration.testing(path: directory.file("a.log"), clock: .manual(clock))
        configuration.sync = .everyBatch
        let everyBatch = try FileSink(configuration: configuration, fileSystem: everyBatchFS)
        for _ in 0..<3 {
            var batch = Records.batch(["x", "y", "z"])
            try everyBatch.write(&batch)
        }
        #expect(everyBatchFS.calls(.sync) == 3)
        try everyBatch.flush()
        #expect(everyBatchFS.calls(.sync) == 3)
        try everyBatch.close()

        let intervalFS = FaultyFileSystem()
        configuration.path = directory.file("b.log")
        configuration.sync = .interval(.seconds(10))
        let interval = try FileSink(configuration: configuration, fileSystem: intervalFS)
        var batch = Records.batch(["x"])
        try interval.write(&batch)
        #expect(intervalFS.calls(.sync) == 0)
        clock.advance(by: .seconds(10))
        try interval.write(&batch)
        #expect(intervalFS.calls(.sync) == 1)
        try interval.write(&batch)
        #expect(intervalFS.calls(.sync) == 1)
        try interval.flush()
        #expect(intervalFS.calls(.sync) == 2)
        try interval.close()

        let noneFS = FaultyFileSystem()
        configuration.path = directory.file("c.log")
        configuration.sync = .none
        let none = try FileSink(configuration: configuration, fileSystem: noneFS)
        try none.write(&batch)
        try none.flush()
        try none.close()
        #expect(noneFS.calls(.sync) == 0)
    }

    @Test("after a write of any length, the lines it completed are counted exactly")
    func linesEndedByAnOffset() {
        let lineEnds = [3, 7, 7, 12, 20]
        for offset in 0...22 {
            for start in 0...lineEnds.count {
                let expected = max(start, lineEnds.filter { $0 <= offset }.count)
                #expect(FileSink.linesEnded(by: offset, in: lineEnds, from: start) == expected, "offset \(offset) from \(start)")
            }
        }
    }
}
