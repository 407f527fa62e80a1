internal import CZlib

/// A streaming gzip compressor over the system zlib.
///
/// Feed it chunks with ``compress(_:into:)`` and finish the stream with ``finish(into:)``; the output
/// of all calls, concatenated, is one complete gzip member (RFC 1952). zlib deflates the data raw; the
/// deflater writes the member's header and its trailer (CRC-32 and length) itself, so that the
/// checksum of each input can also be computed elsewhere and passed to
/// ``compress(_:checksum:into:)``. The zlib stream is released by
/// ``finish(into:)``, by ``end()``, or when the deflater is deinitialised, whichever comes first, so
/// memory is freed on every path; ``reset()`` starts a new member with the same level. A deflater
/// is used by one thread at a time.
///
/// ```swift
/// let deflater = try GzipDeflater(level: 6)
/// var body: [UInt8] = []
/// try lineBuffer.withUnsafeReadableBytes { try deflater.compress($0, into: &body) }
/// try deflater.finish(into: &body)   // body is a complete .gz member
/// ```
package final class GzipDeflater {
    private var stream: UnsafeMutablePointer<z_stream>?
    private var finished = false
    private var headerWritten = false
    private var checksum = GzipChecksum()
    private let level: Int32

    /// The compression level zlib uses when none is given.
    package static let defaultLevel: Int32 = 6

    /// Creates a deflater that writes the gzip wrapper (header and CRC-32 trailer).
    ///
    /// - Parameter level: The zlib level from 0 (store) to 9 (smallest); out-of-range values are clamped.
    /// - Throws: ``GzipError`` when zlib cannot be initialised (for example, out of memory).
    package init(level: Int32 = GzipDeflater.defaultLevel) throws {
        self.level = min(max(level, 0), 9)
        self.stream = try Self.makeStream(level: self.level)
    }

    deinit {
        end()
    }

    /// Whether ``finish(into:)`` completed the stream.
    package var isFinished: Bool { finished }

    /// Compresses `input` and appends the produced bytes (possibly none yet) to `output`.
    ///
    /// - Parameters:
    ///   - input: The next chunk of uncompressed bytes.
    ///   - output: The buffer the compressed bytes are appended to.
    /// - Throws: ``GzipError`` when the stream was already finished or ended, or zlib reports an error.
    package func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws {
        try compress(input, checksum: GzipChecksum(of: input), into: &output)
    }

    /// Compresses `input`, whose checksum the caller computed, and appends the produced bytes
    /// (possibly none yet) to `output`.
    ///
    /// Computing the checksum is about a tenth of the work at zlib's fastest level; a caller that
    /// reads its input on another thread can compute it there.
    ///
    /// - Parameters:
    ///   - input: The next chunk of uncompressed bytes.
    ///   - checksum: The checksum of exactly `input`.
    ///   - output: The buffer the compressed bytes are appended to.
    /// - Throws: ``GzipError`` when the checksum is of a different number of bytes than `input`,
    ///   the stream was already finished or ended, or zlib reports an error.
    package func compress(_ input: UnsafeRawBufferPointer, checksum: GzipChecksum, into output: inout [UInt8]) throws {
        guard checksum.byteCount == input.count else {
            throw GzipError("the checksum given covers \(checksum.byteCount) bytes, the input \(input.count)")
        }
        try run(input, flush: Z_NO_FLUSH, into: &output)
        self.checksum.append(checksum)
    }

    /// Compresses `input` and appends the produced bytes to `output`.
    ///
    /// - Parameters:
    ///   - input: The next chunk of uncompressed bytes.
    ///   - output: The buffer the compressed bytes are appended to.
    /// - Throws: ``GzipError`` when the stream was already finished or ended, or zlib reports an error.
    package func compress(_ input: [UInt8], into output: inout [UInt8]) throws {
        try input.withUnsafeBytes { bytes in
            try compress(bytes, into: &output)
        }
    }

    /// Ends the stream: appends the remaining compressed bytes and the gzip trailer to `output`,
    /// then releases zlib's memory.
    ///
    /// - Parameter output: The buffer the final bytes are appended to.
    /// - Throws: ``GzipError`` when the stream was already finished or ended, or zlib reports an error.
    package func finish(into output: inout [UInt8]) throws {
        try run(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH, into: &output)
        // The trailer: the CRC-32 and the length modulo 2^32, both little-endian.
        for field in [checksum.crc, UInt32(truncatingIfNeeded: checksum.byteCount)] {
            for shift in stride(from: 0, to: 32, by: 8) {
                output.append(UInt8(truncatingIfNeeded: field >> UInt32(shift)))
            }
        }
        finished = true
        end()
    }

    /// Releases zlib's memory without finishing the stream. Later calls do nothing.
    package func end() {
        guard let stream else { return }
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        self.stream = nil
    }

    /// Prepares the deflater for a new, independent gzip member, keeping its level. Reusing one
    /// deflater for many members (for example one per request body) avoids zlib's setup cost.
    ///
    /// - Throws: ``GzipError`` when zlib cannot be initialised again.
    package func reset() throws {
        if let stream {
            let status = deflateReset(stream)
            guard status == Z_OK else {
                end()
                throw GzipError("zlib could not reset the gzip stream", code: status)
            }
        } else {
            stream = try Self.makeStream(level: level)
        }
        finished = false
        headerWritten = false
        checksum = GzipChecksum()
    }

    private static func makeStream(level: Int32) throws -> UnsafeMutablePointer<z_stream> {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // A negative windowBits (a 32 KiB window) asks zlib for raw deflate, without a wrapper.
        let status = deflateInit2_(
            stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)
        )
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw GzipError("zlib could not start a gzip stream", code: status)
        }
        return stream
    }

    /// Compresses a whole buffer into one gzip member.
    ///
    /// - Parameters:
    ///   - input: The uncompressed bytes.
    ///   - level: The zlib level from 0 to 9.
    /// - Returns: The gzip bytes.
    /// - Throws: ``GzipError`` when zlib fails.
    package static func gzip(_ input: UnsafeRawBufferPointer, level: Int32 = defaultLevel) throws -> [UInt8] {
        let deflater = try GzipDeflater(level: level)
        var output: [UInt8] = []
        output.reserveCapacity(max(64, input.count / 3))
        try deflater.compress(input, into: &output)
        try deflater.finish(into: &output)
        return output
    }

    /// The member's header: magic, deflate, no flags, no modification time, the extra flags zlib
    /// writes for the level (2 for the smallest, 4 for the fastest), Unix.
    private var header: [UInt8] {
        [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, level == 9 ? 2 : (level < 2 ? 4 : 0), 3]
    }

    private func run(_ input: UnsafeRawBufferPointer, flush: Int32, into output: inout [UInt8]) throws {
        guard let stream else {
            throw GzipError(finished ? "the gzip stream is already finished" : "the gzip stream was ended")
        }
        if !headerWritten {
            output.append(contentsOf: header)
            headerWritten = true
        }
        let chunkSize = 64 * 1024
        var inputOffset = 0
        var status: Int32 = Z_OK
        repeat {
            // zlib's avail_in is 32 bits: feed large inputs in slices.
            if stream.pointee.avail_in == 0, inputOffset < input.count, let base = input.baseAddress {
                let slice = min(input.count - inputOffset, Int(UInt32.max / 2))
                stream.pointee.next_in = UnsafeMutablePointer(
                    mutating: (base + inputOffset).assumingMemoryBound(to: Bytef.self)
                )
                stream.pointee.avail_in = uInt(slice)
                inputOffset += slice
            }
            let start = output.count
            output.append(contentsOf: repeatElement(0, count: chunkSize))
            let produced: Int = output.withUnsafeMutableBytes { bytes in
                let target = bytes.baseAddress.map { ($0 + start).assumingMemoryBound(to: Bytef.self) }
                stream.pointee.next_out = target
                stream.pointee.avail_out = uInt(chunkSize)
                status = deflate(stream, flush)
                return chunkSize - Int(stream.pointee.avail_out)
            }
            output.removeLast(chunkSize - produced)
            if status == Z_STREAM_ERROR {
                end()
                throw GzipError("zlib reported a corrupted stream state", code: status)
            }
            if status == Z_BUF_ERROR, produced == 0, flush == Z_FINISH {
                end()
                throw GzipError("zlib made no progress finishing the gzip stream", code: status)
            }
            // Z_BUF_ERROR only means no progress was possible with the buffers given; the loop
            // condition below decides whether more work remains.
        } while stream.pointee.avail_out == 0 || stream.pointee.avail_in > 0 || inputOffset < input.count
            || (flush == Z_FINISH && status != Z_STREAM_END)
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
    }
}
