internal import CZlib

/// The CRC-32 and length of uncompressed bytes, which a gzip member's trailer records (RFC 1952).
///
/// A checksum can be computed on one thread and handed to the thread that deflates the same bytes:
/// ``GzipFile`` computes each chunk's checksum on the thread that reads it, so that the deflating
/// thread only deflates. Checksums of consecutive pieces combine with ``append(_:)``.
///
/// ```swift
/// var checksum = GzipChecksum(of: firstChunk)
/// checksum.append(GzipChecksum(of: secondChunk))   // the checksum of both, in this order
/// ```
package struct GzipChecksum: Sendable, Equatable {
    /// The CRC-32 (ISO 3309) of the bytes.
    package private(set) var crc: UInt32
    /// The number of bytes.
    package private(set) var byteCount: Int

    /// The checksum of no bytes.
    package init() {
        crc = 0
        byteCount = 0
    }

    /// Computes the checksum of `bytes`.
    ///
    /// - Parameter bytes: The uncompressed bytes.
    package init(of bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            crc = 0
            byteCount = 0
            return
        }
        crc = UInt32(truncatingIfNeeded: crc32_z(0, base.assumingMemoryBound(to: Bytef.self), z_size_t(bytes.count)))
        byteCount = bytes.count
    }

    /// Extends the checksum with that of the bytes that follow.
    ///
    /// - Parameter next: The checksum of the bytes that come right after those of this one.
    package mutating func append(_ next: GzipChecksum) {
        guard next.byteCount > 0 else { return }
        crc = UInt32(truncatingIfNeeded: crc32_combine(uLong(crc), uLong(next.crc), numericCast(next.byteCount)))
        byteCount += next.byteCount
    }
}
