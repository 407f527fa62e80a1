import AsyncSinksGzip
import Foundation
import Testing

@Suite("GzipDeflater")
struct GzipDeflaterTests {
    @Test("streamed chunks decompress to the original bytes")
    func roundTripInChunks() throws {
        var original: [UInt8] = []
        for index in 0..<50_000 {
            original.append(contentsOf: Array("line \(index) some repeated text\n".utf8))
        }
        let deflater = try GzipDeflater(level: 6)
        var compressed: [UInt8] = []
        var offset = 0
        while offset < original.count {
            let end = min(offset + 7_777, original.count)
            try deflater.compress(Array(original[offset..<end]), into: &compressed)
            offset = end
        }
        try deflater.finish(into: &compressed)
        #expect(deflater.isFinished)
        #expect(compressed.count < original.count / 4)
        #expect(compressed.prefix(2) == [0x1F, 0x8B])
        #expect(try GzipTestSupport.gunzip(compressed) == original)
    }

    @Test("an empty input gives a valid empty gzip member")
    func emptyInput() throws {
        let compressed = try [UInt8]().withUnsafeBytes { try GzipDeflater.gzip($0) }
        #expect(compressed.prefix(2) == [0x1F, 0x8B])
        #expect(try GzipTestSupport.gunzip(compressed).isEmpty)
    }

    @Test("using a finished stream is an error, not a crash")
    func useAfterFinish() throws {
        let deflater = try GzipDeflater(level: 1)
        var output: [UInt8] = []
        try deflater.finish(into: &output)
        #expect(throws: GzipError.self) { try deflater.compress([1, 2, 3], into: &output) }
        #expect(throws: GzipError.self) { try deflater.finish(into: &output) }
        deflater.end()
    }

    @Test("levels outside 0...9 are clamped")
    func levelClamped() throws {
        let low = try [UInt8](repeating: 65, count: 10_000).withUnsafeBytes { try GzipDeflater.gzip($0, level: -5) }
        let high = try [UInt8](repeating: 65, count: 10_000).withUnsafeBytes { try GzipDeflater.gzip($0, level: 42) }
        #expect(try GzipTestSupport.gunzip(low) == [UInt8](repeating: 65, count: 10_000))
        #expect(try GzipTestSupport.gunzip(high) == [UInt8](repeating: 65, count: 10_000))
        #expect(high.count < low.count)
    }
}

@Suite("GzipFile")
struct GzipFileTests {
    @Test("a file is compressed into <name>.gz that gzip -t accepts")
    func compressFile() throws {
        let directory = try GzipTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source = directory + "/data.log"
        var contents = ""
        for index in 0..<40_000 { contents += "record \(index) value=\(index * 7)\n" }
        try contents.write(toFile: source, atomically: false, encoding: .utf8)

        let result = try GzipFile.compress(sourcePath: source, chunkSize: 10_000)
        #expect(result.bytesRead == contents.utf8.count)
        let gzPath = source + ".gz"
        let compressed = try Data(contentsOf: URL(fileURLWithPath: gzPath))
        #expect(result.bytesWritten == compressed.count)
        #expect(try GzipTestSupport.gzipTest(gzPath) == 0)
        #expect(try GzipTestSupport.gunzip([UInt8](compressed)) == Array(contents.utf8))
        #expect(FileManager.default.fileExists(atPath: source))
    }

    @Test("a missing source gives an error and leaves no destination")
    func missingSource() throws {
        let directory = try GzipTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let error = #expect(throws: GzipError.self) {
            try GzipFile.compress(sourcePath: directory + "/missing.log")
        }
        #expect(error?.message.contains("cannot open") == true)
        #expect(!FileManager.default.fileExists(atPath: directory + "/missing.log.gz"))
    }

    @Test("an unwritable destination gives an error")
    func badDestination() throws {
        let directory = try GzipTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source = directory + "/data.log"
        try "x\n".write(toFile: source, atomically: false, encoding: .utf8)
        let error = #expect(throws: GzipError.self) {
            try GzipFile.compress(sourcePath: source, destinationPath: directory + "/no/such/dir/out.gz")
        }
        #expect(error?.message.contains("cannot create") == true)
    }
}

enum GzipTestSupport {
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "asyncsinks-gzip-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Decompresses with the system `gzip -dc`, an implementation independent of the one tested.
    static func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/in.gz"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileReadCorruptFile) }
        return [UInt8](data)
    }

    /// Runs `gzip -t` on a file and returns its exit status.
    static func gzipTest(_ path: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-t", path]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
