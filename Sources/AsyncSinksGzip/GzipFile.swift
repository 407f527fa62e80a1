internal import CAsyncSinksSupport
import Dispatch

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
    /// While the calling thread deflates a chunk, a thread of a private dispatch queue writes the
    /// output of the chunk before, reads the chunk after and computes that chunk's checksum; the
    /// call returns only when that work is done, on success and failure alike. On failure the
    /// partial destination is removed and a ``GzipError`` describes what failed; the caller decides
    /// whether to keep the source.
    ///
    /// - Parameters:
    ///   - sourcePath: The file to compress.
    ///   - destinationPath: Where to write the gzip file; `nil` means `<sourcePath>.gz`.
    ///   - level: The zlib level from 0 to 9 (default 6).
    ///   - permissions: The mode of a newly created destination (default `0o640`).
    ///   - syncToDisk: Whether to `fsync` the destination before returning (default `true`), so that a
    ///     rename that follows publishes complete contents even after a power loss. The destination's
    ///     writing to disk then starts every megabyte on the way (Linux), so the final sync is short.
    ///   - chunkSize: The size of each read from the source (default 256 KiB); two buffers of this
    ///     size are in use at once.
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
        // Two read buffers: the next chunk is read into one while the other is deflated.
        let chunks = [ChunkBuffer(size: size), ChunkBuffer(size: size)]
        defer { for chunk in chunks { chunk.bytes.deallocate() } }
        var compressed: [UInt8] = [], deflatedBefore: [UInt8] = []
        compressed.reserveCapacity(size)
        deflatedBefore.reserveCapacity(size)
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

        // While a chunk is deflated, another thread writes the output of the chunk before, reads
        // the chunk after and computes its checksum, so that the deflating, which takes most of
        // the time, never waits for the files and does nothing but deflate. Every path waits for
        // that work before going on, so no buffer or descriptor is in use on two threads at once.
        let files = DispatchQueue(label: "AsyncSinks.GzipFile")
        var current = 0
        var chunk = try readChunk(from: input, into: chunks[current], path: sourcePath)
        while chunk.byteCount > 0 {
            result.bytesRead += chunk.byteCount
            let writing = deflatedBefore, next = chunks[1 - current]
            let filesWork = PendingFileWork(on: files) { () throws(GzipError) -> GzipChecksum in
                try writeAll(writing, to: output, path: destination)
                return try readChunk(from: input, into: next, path: sourcePath)
            }
            compressed.removeAll(keepingCapacity: true)
            let deflated = Swift.Result<Void, any Error> {
                try deflater.compress(
                    UnsafeRawBufferPointer(rebasing: chunks[current].bytes[0..<chunk.byteCount]), checksum: chunk,
                    into: &compressed
                )
            }
            let nextChunk = filesWork.wait()
            try deflated.get()
            result.bytesWritten += writing.count
            startWriteback()
            chunk = try nextChunk.get()
            swap(&compressed, &deflatedBefore)
            current = 1 - current
        }
        try writeAll(deflatedBefore, to: output, path: destination)
        result.bytesWritten += deflatedBefore.count
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

    /// Reads up to a buffer's size from `descriptor` and returns the checksum of what it read,
    /// computed while the bytes are in this thread's caches; its byte count is 0 at the end of the file.
    private static func readChunk(
        from descriptor: Int32, into chunk: ChunkBuffer, path: String
    ) throws(GzipError) -> GzipChecksum {
        while true {
            let count = read(descriptor, chunk.bytes.baseAddress, chunk.bytes.count)
            if count >= 0 { return GzipChecksum(of: UnsafeRawBufferPointer(rebasing: chunk.bytes[0..<count])) }
            if errno != EINTR { throw GzipError("cannot read \(path): \(errorText(errno))", code: errno) }
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(GzipError) {
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

/// A buffer that a compression reads the source into, handed between the deflating thread and the
/// thread that reads; only one of them uses it at a time.
private struct ChunkBuffer: @unchecked Sendable {
    let bytes: UnsafeMutableRawBufferPointer

    init(size: Int) {
        bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
    }
}
