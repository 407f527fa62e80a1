import AsyncSinks
import AsyncSinksGzip
import Foundation
@testable import SinkFile
import Synchronization
import Testing

@Suite("FileSink compression")
struct FileSinkCompressionTests {
    @Test("rotated files are gzipped in the background into valid .gz files that replace them")
    func compressesRotatedFiles() throws {
        let directory = try TemporaryDirectory()
        let recorder = HookRecorder()
        let sink = try FileSink(configuration: .testing(
            path: directory.file("app.log"), rotation: .size(2_000), compression: .gzip(level: 6),
            hooks: recorder.hooks
        ))
        let lines = (0..<600).map { "record \($0) with some text to compress" }
        for start in stride(from: 0, to: lines.count, by: 50) {
            var batch = Records.batch(Array(lines[start..<(start + 50)]))
            try sink.write(&batch)
        }
        try sink.close()

        let rotated = try directory.rotated(of: "app.log")
        #expect(rotated.count > 5)
        #expect(rotated.allSatisfy { $0.state == .compressed })
        for file in rotated {
            #expect(try SystemGzip.test(file: directory.file(file.name)) == 0)
        }
        #expect(recorder.matching("compressed").count == rotated.count)
        #expect(recorder.matching("compressionFailed").isEmpty)
        #expect(try directory.allLines(of: "app.log") == lines)
    }

    @Test("when publishing the .gz fails, the original stays and the failure hook names it")
    func publishFailure() throws {
        let directory = try TemporaryDirectory()
        let recorder = HookRecorder()
        let fileSystem = CompressionRenames(.failing)
        let sink = try FileSink(configuration: .testing(
            path: directory.file("app.log"), rotation: .size(10), compression: .gzip(),
            hooks: recorder.hooks
        ), fileSystem: fileSystem)
        for line in ["line-0001", "line-0002"] {
            var batch = Records.batch([line])
            try sink.write(&batch)
        }
        try sink.close()
        let rotated = try directory.rotated(of: "app.log")
        #expect(rotated.map(\.state) == [.plain])
        #expect(recorder.matching("compressionFailed \(rotated[0].name)").count == 1)
        #expect(try directory.names().allSatisfy { !$0.hasSuffix(".gz.tmp") && !$0.hasSuffix(".gz") })
        #expect(try directory.allLines(of: "app.log") == ["line-0001", "line-0002"])
    }

    @Test("close waits for a compression only up to closeTimeout, and the compression then finishes in the background")
    func closeTimeoutBoundsTheWait() throws {
        let directory = try TemporaryDirectory()
        let recorder = HookRecorder()
        let fileSystem = CompressionRenames(.held)
        var configuration = FileSinkConfiguration.testing(
            path: directory.file("app.log"), rotation: .size(10), compression: .gzip(), hooks: recorder.hooks
        )
        configuration.closeTimeout = .milliseconds(20)
        let sink = try FileSink(configuration: configuration, fileSystem: fileSystem)
        for line in ["line-0001", "line-0002"] {
            var batch = Records.batch([line])
            try sink.write(&batch)
        }
        fileSystem.waitUntilHeld()

        // The compression cannot finish while its rename is held, so close returns by its timeout.
        // (Closing on another thread keeps a close that waits for the compression from hanging the test.)
        let closing = DispatchGroup()
        let closeError = Mutex<(any Error)?>(nil)
        DispatchQueue.global().async(group: closing) {
            do { try sink.close() } catch { closeError.withLock { $0 = error } }
        }
        let closedInTime = closing.wait(timeout: .now() + .seconds(30)) == .success
        defer {
            if !closedInTime {
                fileSystem.release()
                closing.wait()
            }
        }
        try #require(closedInTime, "close returned while the compression was held")
        #expect(closeError.withLock { $0 } == nil)
        // The rotated file and its compression in progress.
        let rotated = try directory.rotated(of: "app.log")
        #expect(rotated.count == 2 && Set(rotated.map(\.state)) == [.plain, .temporary])
        #expect(Set(rotated.map(\.baseName)).count == 1)
        #expect(!sink.waitForBackgroundWork(timeout: .zero))

        fileSystem.release()
        #expect(sink.waitForBackgroundWork(timeout: .seconds(30)))
        #expect(try directory.rotated(of: "app.log").map(\.state) == [.compressed])
        #expect(recorder.matching("compressed \(rotated[0].baseName)").count == 1)
        #expect(try directory.allLines(of: "app.log") == ["line-0001", "line-0002"])
    }
}

/// Fails or holds renames of `.gz.tmp` files only, so rotations work while compressions cannot be
/// published.
final class CompressionRenames: FileSystem {
    enum Mode {
        /// Every such rename fails with `EIO`.
        case failing
        /// Every such rename waits for ``release()``.
        case held
    }

    private let mode: Mode
    private let real = POSIXFileSystem()
    private let reached = DispatchSemaphore(value: 0)
    private let gate = DispatchSemaphore(value: 0)

    init(_ mode: Mode) {
        self.mode = mode
    }

    /// Waits until a held rename has begun (a compression has written and synced its `.gz.tmp`).
    func waitUntilHeld() {
        reached.wait()
    }

    /// Lets one held rename proceed.
    func release() {
        gate.signal()
    }

    func open(_ path: String, flags: Int32, mode: UInt32) throws -> Int32 { try real.open(path, flags: flags, mode: mode) }
    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws -> Int { try real.write(descriptor, bytes) }
    func syncData(_ descriptor: Int32) throws { try real.syncData(descriptor) }
    func truncate(_ descriptor: Int32, to length: Int64) throws { try real.truncate(descriptor, to: length) }
    func reserveSpace(_ descriptor: Int32, offset: Int64, length: Int64) throws {
        try real.reserveSpace(descriptor, offset: offset, length: length)
    }
    func spaceReservationHelps(_ descriptor: Int32) -> Bool { real.spaceReservationHelps(descriptor) }
    func setModificationTime(_ descriptor: Int32, nanosecondsSinceEpoch: Int64) throws {
        try real.setModificationTime(descriptor, nanosecondsSinceEpoch: nanosecondsSinceEpoch)
    }
    func close(_ descriptor: Int32) throws { try real.close(descriptor) }
    func rename(_ source: String, to destination: String) throws {
        if source.hasSuffix(".gz.tmp") {
            switch mode {
            case .failing:
                throw FileSystemError("rename", path: source, code: EIO)
            case .held:
                reached.signal()
                gate.wait()
            }
        }
        try real.rename(source, to: destination)
    }
    func unlink(_ path: String) throws { try real.unlink(path) }
    func status(ofPath path: String) throws -> FileStatus { try real.status(ofPath: path) }
    func status(ofDescriptor descriptor: Int32) throws -> FileStatus { try real.status(ofDescriptor: descriptor) }
    func contentsOfDirectory(_ path: String) throws -> [String] { try real.contentsOfDirectory(path) }
    func makeDirectory(_ path: String, mode: UInt32) throws { try real.makeDirectory(path, mode: mode) }
    func syncDirectory(_ path: String) throws { try real.syncDirectory(path) }
}
