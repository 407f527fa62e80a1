#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The file system as the operating system provides it: direct POSIX calls, retried on `EINTR`.
package struct POSIXFileSystem: FileSystem {
    /// Creates the file system.
    package init() {}

    package func open(_ path: String, flags: Int32, mode: UInt32) throws -> Int32 {
        while true {
            let descriptor = Glibc.open(path, flags, mode_t(mode))
            if descriptor >= 0 { return descriptor }
            if errno != EINTR { throw FileSystemError("open", path: path, code: errno) }
        }
    }

    package func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws -> Int {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        while true {
            let count = Glibc.write(descriptor, base, bytes.count)
            if count >= 0 { return count }
            if errno != EINTR { throw FileSystemError("write", path: "", code: errno) }
        }
    }

    package func syncData(_ descriptor: Int32) throws {
        while fdatasync(descriptor) != 0 {
            if errno != EINTR { throw FileSystemError("fdatasync", path: "", code: errno) }
        }
    }

    package func truncate(_ descriptor: Int32, to length: Int64) throws {
        while ftruncate(descriptor, off_t(length)) != 0 {
            if errno != EINTR { throw FileSystemError("ftruncate", path: "", code: errno) }
        }
    }

    package func close(_ descriptor: Int32) throws {
        // Linux releases the descriptor even when close reports EINTR, so it is never retried.
        if Glibc.close(descriptor) != 0, errno != EINTR {
            throw FileSystemError("close", path: "", code: errno)
        }
    }

    package func rename(_ source: String, to destination: String) throws {
        if Glibc.rename(source, destination) != 0 {
            throw FileSystemError("rename", path: source, code: errno)
        }
    }

    package func unlink(_ path: String) throws {
        if Glibc.unlink(path) != 0 {
            throw FileSystemError("unlink", path: path, code: errno)
        }
    }

    package func status(ofPath path: String) throws -> FileStatus {
        var info = stat()
        if stat(path, &info) != 0 { throw FileSystemError("stat", path: path, code: errno) }
        return Self.status(info)
    }

    package func status(ofDescriptor descriptor: Int32) throws -> FileStatus {
        var info = stat()
        if fstat(descriptor, &info) != 0 { throw FileSystemError("fstat", path: "", code: errno) }
        return Self.status(info)
    }

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

    package func makeDirectory(_ path: String, mode: UInt32) throws {
        if mkdir(path, mode_t(mode)) != 0 {
            throw FileSystemError("mkdir", path: path, code: errno)
        }
    }

    private static func status(_ info: stat) -> FileStatus {
        FileStatus(
            device: UInt64(info.st_dev),
            inode: UInt64(info.st_ino),
            size: Int64(info.st_size),
            modificationSeconds: Int64(info.st_mtim.tv_sec),
            isDirectory: (info.st_mode & S_IFMT) == S_IFDIR
        )
    }
}
