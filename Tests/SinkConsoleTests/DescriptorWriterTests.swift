import AsyncSinks
@testable import SinkConsole
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct DescriptorWriterTests {
    @Test func descriptorsThatCannotTakeWritesArePermanent() {
        for code in [EBADF, EPIPE, EINVAL, EISDIR, EFBIG, EPERM, EACCES, EROFS] {
            let error = DescriptorWriter.error(for: code, destination: "standard error")
            #expect(error.kind == .permanent, "errno \(code)")
            #expect(error.message.hasPrefix("cannot write to standard error: "))
        }
    }

    @Test func conditionsThatCanClearUpAreRetryable() {
        for code in [ENOSPC, EDQUOT, EIO, ENOBUFS, ETIMEDOUT] {
            #expect(DescriptorWriter.error(for: code, destination: "standard output").kind == .retryable, "errno \(code)")
        }
        #expect(DescriptorWriter.error(for: ENOSPC, destination: "x").message.contains("ENOSPC"))
        #expect(DescriptorWriter.error(for: ETIMEDOUT, destination: "x").message.contains("errno \(ETIMEDOUT)"))
    }

    @Test func emptyBlockWritesNothingEvenToABadDescriptor() {
        let bytes: [UInt8] = []
        let outcome = bytes.withUnsafeBytes {
            DescriptorWriter.writeAll($0, to: DescriptorFixtures.closedDescriptor, destination: "x", blockedWriteTimeout: .zero, cancellation: CancellationSignal())
        }
        #expect(outcome.bytesWritten == 0)
        #expect(outcome.error == nil)
    }

    @Test func cancelledWaitGivesUpAtOnce() throws {
        try DescriptorFixtures.withPipe { _, writer in
            _ = fcntl(writer, F_SETFL, fcntl(writer, F_GETFL) | O_NONBLOCK)
            let filler = [UInt8](repeating: 0, count: 4096)
            while filler.withUnsafeBytes({ write(writer, $0.baseAddress, $0.count) }) > 0 {}
            let cancellation = CancellationSignal()
            cancellation.cancel()
            let outcome = filler.withUnsafeBytes {
                // A long timeout that the raised signal cuts short.
                DescriptorWriter.writeAll($0, to: writer, destination: "pipe", blockedWriteTimeout: .seconds(3600), cancellation: cancellation)
            }
            #expect(outcome.bytesWritten == 0)
            #expect(outcome.error?.kind == .retryable)
            #expect(outcome.error?.message.contains("cancelled") == true)
        }
    }
}
