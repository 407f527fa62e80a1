/// The file-system operations the file sink uses, as a small seam so that tests can inject failures
/// (a full disk, a revoked permission) deterministically.
///
/// The default, ``POSIXFileSystem``, calls the operating system directly. Every method reports
/// failure by throwing a ``FileSystemError`` carrying the `errno` value.
package protocol FileSystem: Sendable {
    /// Opens `path` with `open(2)` flags and a creation mode, returning the descriptor.
    func open(_ path: String, flags: Int32, mode: UInt32) throws -> Int32
    /// Writes up to `bytes.count` bytes with one `write(2)`, returning how many were written.
    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws -> Int
    /// Pushes the file's data to the disk (`fdatasync(2)`).
    func syncData(_ descriptor: Int32) throws
    /// Shortens the file to `length` bytes (`ftruncate(2)`).
    func truncate(_ descriptor: Int32, to length: Int64) throws
    /// Reserves disk space for `length` bytes at `offset` without changing the file's size
    /// (`fallocate(2)` with `FALLOC_FL_KEEP_SIZE`); throws `EOPNOTSUPP` where that is unavailable.
    func reserveSpace(_ descriptor: Int32, offset: Int64, length: Int64) throws
    /// Whether reserving space makes writes to the descriptor's file cheaper: false for
    /// memory-backed file systems and where reservation is unavailable.
    func spaceReservationHelps(_ descriptor: Int32) -> Bool
    /// Sets the file's modification time (`futimens(2)`), leaving its access time as it is.
    func setModificationTime(_ descriptor: Int32, nanosecondsSinceEpoch: Int64) throws
    /// Closes the descriptor.
    func close(_ descriptor: Int32) throws
    /// Renames a file (`rename(2)`), replacing the destination.
    func rename(_ source: String, to destination: String) throws
    /// Removes a file (`unlink(2)`).
    func unlink(_ path: String) throws
    /// The status of a path (`stat(2)`, following links).
    func status(ofPath path: String) throws -> FileStatus
    /// The status of an open descriptor (`fstat(2)`).
    func status(ofDescriptor descriptor: Int32) throws -> FileStatus
    /// The names in a directory, without `.` and `..`.
    func contentsOfDirectory(_ path: String) throws -> [String]
    /// Creates one directory (`mkdir(2)`).
    func makeDirectory(_ path: String, mode: UInt32) throws
    /// Makes the directory's entries (renames, creations) durable (`fsync(2)` on the directory).
    func syncDirectory(_ path: String) throws
}

/// What the file sink needs to know about a file.
package struct FileStatus: Sendable, Equatable {
    /// The device the file is on.
    package var device: UInt64
    /// The file's inode number.
    package var inode: UInt64
    /// The size in bytes.
    package var size: Int64
    /// The disk space the file occupies in bytes (`st_blocks` × 512), reservations included.
    package var allocatedBytes: Int64
    /// The last modification time, in nanoseconds since the epoch.
    package var modificationTime: Int64
    /// Whether the path is a directory.
    package var isDirectory: Bool

    /// Creates a status.
    package init(device: UInt64, inode: UInt64, size: Int64, allocatedBytes: Int64, modificationTime: Int64, isDirectory: Bool) {
        self.device = device
        self.inode = inode
        self.size = size
        self.allocatedBytes = allocatedBytes
        self.modificationTime = modificationTime
        self.isDirectory = isDirectory
    }
}

/// A failed file-system call: the operation, the path and the `errno` value.
package struct FileSystemError: Error, Sendable, CustomStringConvertible {
    /// The call that failed, such as `open` or `write`.
    package var operation: String
    /// The path involved, or an empty string for descriptor operations.
    package var path: String
    /// The `errno` value.
    package var code: Int32

    /// Creates an error.
    package init(_ operation: String, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// A short human-readable description.
    package var description: String {
        let subject = path.isEmpty ? "" : " \(path)"
        return "\(operation)\(subject) failed: \(SystemErrorText.describe(code))"
    }
}
