import AsyncSinksGzip
import Foundation
import Testing

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

    @Test("a .gz of several megabytes, written to disk on the way, holds every byte")
    func compressLargeFileWithWriteback() throws {
        let directory = try GzipTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source = directory + "/noise.log"
        // Pseudo-random bytes barely compress, so the .gz passes the 1 MiB writeback step.
        let contents = GzipTestSupport.noise(count: 2 << 20, seed: 0x2545_F491_4F6C_DD1D)
        try Data(contents).write(to: URL(fileURLWithPath: source))

        let result = try GzipFile.compress(sourcePath: source, level: 1, syncToDisk: true)
        #expect(result.bytesWritten > 2 << 20)
        let compressed = try Data(contentsOf: URL(fileURLWithPath: source + ".gz"))
        #expect(result.bytesWritten == compressed.count)
        #expect(try GzipTestSupport.gunzip([UInt8](compressed)) == contents)
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

    #if os(Linux)
    @Test("a destination whose writes fail gives the write's error, and the failure removes it")
    func failedWrites() throws {
        let directory = try GzipTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source = directory + "/noise.log"
        // Incompressible bytes, so that every 64 KiB chunk produces output to write while the
        // next chunk is deflated.
        let contents = GzipTestSupport.noise(count: 1 << 20, seed: 0x9E37_79B9_7F4A_7C15)
        try Data(contents).write(to: URL(fileURLWithPath: source))
        // /dev/full accepts the open and fails every write with ENOSPC; the link is what a failure removes.
        let destination = directory + "/full.gz"
        try FileManager.default.createSymbolicLink(atPath: destination, withDestinationPath: "/dev/full")

        let error = #expect(throws: GzipError.self) {
            try GzipFile.compress(sourcePath: source, destinationPath: destination, chunkSize: 64 * 1024)
        }
        #expect(error?.message.contains("cannot write \(destination)") == true)
        #expect(error?.code == ENOSPC)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: destination)) == nil)
        #expect(FileManager.default.fileExists(atPath: "/dev/full"))
    }
    #endif

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
