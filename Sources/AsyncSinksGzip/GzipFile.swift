internal import CAsyncSinksSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Compresses files into gzip files, streaming them in chunks so that a file of any size needs only
/// a small, fixed amount of memory.
package enum GzipFile {
    /// The sizes of a finished compression.
    package struct Result: Sendable, Equatable {
        /// The number of bytes read from the source.
        package var bytesRead: Int
        /// The number of bytes written to the destination.
        package var bytesWritten: Int
    }

    /// Compresses the file at `sourcePath` into `destinationPath` (by default `<sourcePath>.gz`).
    ///
    /// The destination is created (or truncated) with `permissions`; the source is left in place.
    /// On failure the partial destination is removed and a ``GzipError`` describes what failed; the
    /// caller decides whether to keep the source.
    ///
    /// - Parameters:
    ///   - sourcePath: The file to compress.
    ///   - destinationPath: Where to write the gzip file; `nil` means `<sourcePath>.gz`.
    ///   - level: The zlib level from 0 to 9 (default 6).
    ///   - permissions: The mode of a newly created destination (default `0o640`).
    ///   - syncToDisk: Whether to `fsync` the destination before returning (default `true`), so that a
    ///     rename that follows publishes complete contents even after a power loss. The destination's
    ///     writing to disk then starts every megabyte on the way (Linux), so the final sync is short.
    ///   - chunkSize: The size of each read from the source (default 256 KiB).
    /// - Returns: The numbers of bytes read and written.
    /// - Throws: ``GzipError`` when a file cannot be opened, read or written, or zlib fails.
    @discardableResult
    package static func compress(
        sourcePath: String,
        destinationPath: String? = nil,
        level: Int32 = GzipDeflater.defaultLevel,
        permissions: UInt32 = 0o640,
        syncToDisk: Bool = true,
        chunkSize: Int = 256 * 1024
    ) throws -> Result {
        let destination = destinationPath ?? sourcePath + ".gz"
        let input = open(sourcePath, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else {
            throw GzipError("cannot open \(sourcePath) for reading: \(errorText(errno))", code: errno)
        }
        defer { _ = close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(permissions))
        guard output >= 0 else {
            throw GzipError("cannot create \(destination): \(errorText(errno))", code: errno)
        }
        var outputOpen = true
        var succeeded = false
        defer {
            if outputOpen { _ = close(output) }
            if !succeeded { _ = unlink(destination) }
        }

        let deflater = try GzipDeflater(level: level)
        let size = max(4096, chunkSize)
        let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { readBuffer.deallocate() }
        var compressed: [UInt8] = []
        compressed.reserveCapacity(size)
        var result = Result(bytesRead: 0, bytesWritten: 0)
        // When the file is synced at the end, its writing to disk is started every megabyte on the
        // way, so that the final sync waits only for the rest. Only whole pages are started (up to a
        // multiple of 64 KiB): the next write would otherwise wait for the disk to finish a page it
        // appends to. A failure here changes nothing: the sync still reports any error.
        var writebackStart = 0
        func startWriteback() {
            let end = result.bytesWritten & ~(writebackAlignment - 1)
            guard syncToDisk, end - writebackStart >= writebackStep else { return }
            _ = asyncsinks_start_writeback(output, Int64(writebackStart), Int64(end - writebackStart))
            writebackStart = end
        }

        while true {
            let count = read(input, readBuffer.baseAddress, size)
            if count < 0 {
                if errno == EINTR { continue }
                throw GzipError("cannot read \(sourcePath): \(errorText(errno))", code: errno)
            }
            if count == 0 { break }
            result.bytesRead += count
            compressed.removeAll(keepingCapacity: true)
            try deflater.compress(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]), into: &compressed)
            try writeAll(compressed, to: output, path: destination)
            result.bytesWritten += compressed.count
            startWriteback()
        }
        compressed.removeAll(keepingCapacity: true)
        try deflater.finish(into: &compressed)
        try writeAll(compressed, to: output, path: destination)
        result.bytesWritten += compressed.count

        if syncToDisk, fsync(output) != 0 {
            throw GzipError("cannot sync \(destination): \(errorText(errno))", code: errno)
        }
        outputOpen = false
        if close(output) != 0 {
            throw GzipError("cannot close \(destination): \(errorText(errno))", code: errno)
        }
        succeeded = true
        return result
    }

    /// How many written bytes start their writing to disk at once.
    private static let writebackStep = 1 << 20

    /// The boundary a started writeback ends on: a multiple of every common page size.
    private static let writebackAlignment = 1 << 16

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        var failure: GzipError?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let count = write(descriptor, base + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = GzipError("cannot write \(path): \(errorText(errno))", code: errno)
                    return
                }
                offset += count
            }
        }
        if let failure { throw failure }
    }

    private static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
