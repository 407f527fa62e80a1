extension String {
    /// Calls `body` with the string's UTF-8 bytes, reading native storage in place (no copy and no
    /// reference counting).
    ///
    /// A string whose storage is not contiguous UTF-8 (never a native Swift string) takes a separate,
    /// out-of-line path that copies it, which keeps the inlined code small enough for `body` to be
    /// inlined too.
    ///
    /// - Parameter body: Receives the bytes; the pointer is valid only during the call.
    /// - Returns: What `body` returns.
    @inlinable @inline(__always)
    func withUTF8Content<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        return withCopiedUTF8(body)
    }

    /// Calls `body` with the bytes of a contiguous UTF-8 copy of the string.
    @usableFromInline @inline(never)
    func withCopiedUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var copy = self
        return copy.withUTF8(body)
    }
}
