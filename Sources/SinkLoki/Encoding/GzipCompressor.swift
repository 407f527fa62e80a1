import AsyncSinksGzip

/// Compresses request bodies to the gzip format (``LokiEncoding/gzippedJSON``) with the package's
/// shared zlib wrapper.
enum GzipCompressor {
    /// The gzip member for `input`, or `nil` when zlib failed.
    static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        try? GzipDeflater.gzip(input, level: 6)
    }
}
