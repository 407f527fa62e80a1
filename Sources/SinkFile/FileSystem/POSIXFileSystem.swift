#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CAsyncSinksSupport

// Free functions under other names, so that the methods below (which share the C names) can call them
// on any C library.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func systemWrite(_ descriptor: Int32, _ base: UnsafeRawPointer, _ count: Int) -> Int { write(descriptor, base, count) }
private func systemClose(_ descriptor: Int32) -> Int32 { close(descriptor) }
private func systemRename(_ source: String, _ destination: String) -> Int32 { rename(source, destination) }
private func systemUnlink(_ path: String) -> Int32 { unlink(path) }

/// The file system as the operating system provides it: direct POSIX calls, retried on `EINTR`.
package struct POSIXFileSystem: FileSystem {
    /// Creates the file system.
    package init() {}

    /// Performs `open` with the POSIX call, as ``FileSystem`` describes.
    package func open(_ path: String, flags: Int32, mode: UInt32) throws -> Int32 {
        while true {
            let descriptor = systemOpen(path, flags, mode_t(mode))
            if descriptor >= 0 { return descriptor }
            if errno != EINTR { throw FileSystemError("open", path: path, code: errno) }
        }
    }

    /// Performs `write` with the POSIX call, as ``FileSystem`` describes.
    package func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws -> Int {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        while true {
            let count = systemWrite(descriptor, base, bytes.count)
            if count >= 0 { return count }
            if errno != EINTR { throw FileSystemError("write", path: "", code: errno) }
        }
    }

    /// Performs `syncData` with the POSIX call, as ``FileSystem`` describes.
    package func syncData(_ descriptor: Int32) throws {
        while fdatasync(descriptor) != 0 {
            if errno != EINTR { throw FileSystemError("fdatasync", path: "", code: errno) }
        }
    }

    /// Performs `truncate` with the POSIX call, as ``FileSystem`` describes.
    package func truncate(_ descriptor: Int32, to length: Int64) throws {
        while ftruncate(descriptor, off_t(length)) != 0 {
            if errno != EINTR { throw FileSystemError("ftruncate", path: "", code: errno) }
        }
    }

    /// Performs `reserveSpace` with `fallocate(2)` on Linux, as ``FileSystem`` describes.
    package func reserveSpace(_ descriptor: Int32, offset: Int64, length: Int64) throws {
        let code = asyncsinks_reserve_file_space(descriptor, offset, length)
        if code != 0 { throw FileSystemError("fallocate", path: "", code: code) }
    }

    /// Performs `spaceReservationHelps` with `fstatfs(2)` on Linux, as ``FileSystem`` describes.
    package func spaceReservationHelps(_ descriptor: Int32) -> Bool {
        asyncsinks_file_space_reservation_helps(descriptor)
    }

    /// `UTIME_OMIT` (a C macro Swift does not import): leave that time as it is.
    private static let timeOmitted = (1 << 30) - 2

    /// Performs `setModificationTime` with `futimens(2)`, as ``FileSystem`` describes.
    package func setModificationTime(_ descriptor: Int32, nanosecondsSinceEpoch time: Int64) throws {
        var times = (
            timespec(tv_sec: 0, tv_nsec: Self.timeOmitted),
            timespec(tv_sec: Int(time / 1_000_000_000), tv_nsec: Int(time % 1_000_000_000))
        )
        let result = withUnsafePointer(to: &times) { pair in
            pair.withMemoryRebound(to: timespec.self, capacity: 2) { futimens(descriptor, $0) }
        }
        if result != 0 { throw FileSystemError("futimens", path: "", code: errno) }
    }

    /// Performs `close` with the POSIX call, as ``FileSystem`` describes.
    package func close(_ descriptor: Int32) throws {
        // Linux releases the descriptor even when close reports EINTR, so it is never retried.
        if systemClose(descriptor) != 0, errno != EINTR {
            throw FileSystemError("close", path: "", code: errno)
        }
    }

    /// Performs `rename` with the POSIX call, as ``FileSystem`` describes.
    package func rename(_ source: String, to destination: String) throws {
        if systemRename(source, destination) != 0 {
            throw FileSystemError("rename", path: source, code: errno)
        }
    }

    /// Performs `unlink` with the POSIX call, as ``FileSystem`` describes.
    package func unlink(_ path: String) throws {
        if systemUnlink(path) != 0 {
            throw FileSystemError("unlink", path: path, code: errno)
        }
    }

    /// Performs `status` with the POSIX call, as ``FileSystem`` describes.
    package func status(ofPath path: String) throws -> FileStatus {
        var info = stat()
        if stat(path, &info) != 0 { throw FileSystemError("stat", path: path, code: errno) }
        return Self.status(info)
    }

    /// Performs `status` with the POSIX call, as ``FileSystem`` describes.
    package func status(ofDescriptor descriptor: Int32) throws -> FileStatus {
        var info = stat()
        if fstat(descriptor, &info) != 0 { throw FileSystemError("fstat", path: "", code: errno) }
        return Self.status(info)
    }

    /// Performs `contentsOfDirectory` with the POSIX call, as ``FileSystem`` describes.
    package func contentsOfDirectory(_ path: String) throws -> [String] {
        guard let directory = opendir(path) else {
            throw FileSystemError("opendir", path: path, code: errno)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// Performs `makeDirectory` with the POSIX call, as ``FileSystem`` describes.
    package func makeDirectory(_ path: String, mode: UInt32) throws {
        if mkdir(path, mode_t(mode)) != 0 {
            throw FileSystemError("mkdir", path: path, code: errno)
        }
    }

    /// Performs `syncDirectory` by opening the directory read-only and calling `fsync(2)` on it.
    package func syncDirectory(_ path: String) throws {
        let descriptor = try open(path, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC, mode: 0)
        defer { _ = systemClose(descriptor) }
        while fsync(descriptor) != 0 {
            if errno != EINTR { throw FileSystemError("fsync", path: path, code: errno) }
        }
    }

    private static func status(_ info: stat) -> FileStatus {
        FileStatus(
            device: UInt64(info.st_dev),
            inode: UInt64(info.st_ino),
            size: Int64(info.st_size),
            allocatedBytes: Int64(info.st_blocks) * 512,
            modificationTime: Int64(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_mtim.tv_nsec),
            isDirectory: (info.st_mode & S_IFMT) == S_IFDIR
        )
    }
}
