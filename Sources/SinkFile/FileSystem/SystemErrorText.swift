#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Human-readable text for `errno` values.
package enum SystemErrorText {
    /// The system's description of `code` followed by its symbolic name when known, for example
    /// `No space left on device (ENOSPC)`.
    ///
    /// - Parameter code: An `errno` value.
    /// - Returns: The description.
    package static func describe(_ code: Int32) -> String {
        let text = strerror(code).map { String(cString: $0) } ?? "error \(code)"
        if let name = symbolicName(code) { return "\(text) (\(name))" }
        return text
    }

    private static func symbolicName(_ code: Int32) -> String? {
        switch code {
        case ENOSPC: "ENOSPC"
        case EDQUOT: "EDQUOT"
        case EACCES: "EACCES"
        case EPERM: "EPERM"
        case ENOENT: "ENOENT"
        case EISDIR: "EISDIR"
        case ENOTDIR: "ENOTDIR"
        case ENAMETOOLONG: "ENAMETOOLONG"
        case EROFS: "EROFS"
        case EIO: "EIO"
        case EINVAL: "EINVAL"
        case EBADF: "EBADF"
        case EFBIG: "EFBIG"
        case ELOOP: "ELOOP"
        case EEXIST: "EEXIST"
        default: nil
        }
    }
}
