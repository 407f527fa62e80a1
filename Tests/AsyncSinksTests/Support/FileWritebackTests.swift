import CAsyncSinksSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `asyncsinks_start_writeback`, which the gzip compression of rotated files calls every megabyte.
@Suite struct FileWritebackTests {
    @Test func startingTheWritebackOfWrittenBytesSucceedsAndLeavesThemAsTheyAre() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("writeback-\(UUID().uuidString)").path
        defer { unlink(path) }
        let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let bytes = [UInt8](repeating: 0x61, count: 1 << 20)
        #expect(bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) } == bytes.count)
        #if os(Linux)
        #expect(asyncsinks_start_writeback(descriptor, 0, Int64(bytes.count)) == 0)
        #else
        #expect(asyncsinks_start_writeback(descriptor, 0, Int64(bytes.count)) == EOPNOTSUPP)
        #endif
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(bytes))
    }

    @Test func aFailureIsReturnedAsTheErrorCode() {
        #if os(Linux)
        #expect(asyncsinks_start_writeback(-1, 0, 4096) == EBADF)
        let descriptor = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(descriptor) }
        #expect(asyncsinks_start_writeback(descriptor, -1, 4096) == EINVAL)
        #else
        #expect(asyncsinks_start_writeback(-1, 0, 4096) == EOPNOTSUPP)
        #endif
    }
}
