import CZlib

/// Compresses request bodies to the gzip format with the system's zlib, for
/// ``LokiEncoding/gzippedJSON``.
///
/// One zlib stream is kept and reset for every body, so compressing does not allocate once the
/// output buffer has grown. Used by one thread at a time.
final class GzipCompressor {
    private let stream: UnsafeMutablePointer<z_stream>
    private let ready: Bool

    /// Creates a compressor at `level` (1 fastest to 9 smallest; zlib's default is 6).
    init(level: Int32 = 6) {
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 15 + 16 selects the gzip wrapper.
        ready = deflateInit2_(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                              zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
    }

    deinit {
        if ready { deflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Appends the gzip member for `input` to `output`.
    ///
    /// - Returns: `false` when zlib failed (the output is then left as it was).
    func compress(_ input: UnsafeRawBufferPointer, into output: ByteBuffer) -> Bool {
        guard ready, deflateReset(stream) == Z_OK else { return false }
        let bound = Int(deflateBound(stream, uLong(input.count))) + 32
        let start = output.count
        var succeeded = false
        output.appendUninitialized(maximum: bound) { destination in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = uInt(input.count)
            stream.pointee.next_out = destination
            stream.pointee.avail_out = uInt(bound)
            let status = deflate(stream, Z_FINISH)
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
            guard status == Z_STREAM_END else { return 0 }
            succeeded = true
            return bound - Int(stream.pointee.avail_out)
        }
        if !succeeded { output.truncate(to: start) }
        return succeeded
    }
}
