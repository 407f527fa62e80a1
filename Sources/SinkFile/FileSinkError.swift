/// Why a ``FileSink`` could not be created: the path is a directory, invalid, or not accessible.
///
/// Write failures after creation are reported as `LogSinkError`s instead (see ``FileSink``).
public struct FileSinkError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The category of a failure.
    public struct Reason: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Sendable, Hashable {
            case invalidPath
            case isDirectory
            case permissionDenied
            case cannotCreateDirectory
            case cannotOpen
        }

        private let base: Base

        /// The path is empty, ends with `/`, names `.` or `..`, contains a NUL byte, or is too long.
        public static let invalidPath = Reason(base: .invalidPath)
        /// The path names a directory.
        public static let isDirectory = Reason(base: .isDirectory)
        /// The process may not create or write the file or its directory.
        public static let permissionDenied = Reason(base: .permissionDenied)
        /// A parent directory is missing and could not be created (or a parent is not a directory).
        public static let cannotCreateDirectory = Reason(base: .cannotCreateDirectory)
        /// The file could not be opened for another reason (the message has the system's explanation).
        public static let cannotOpen = Reason(base: .cannotOpen)

        /// A short human-readable description.
        public var description: String {
            switch base {
            case .invalidPath: "invalid path"
            case .isDirectory: "is a directory"
            case .permissionDenied: "permission denied"
            case .cannotCreateDirectory: "cannot create directory"
            case .cannotOpen: "cannot open"
            }
        }
    }

    /// The category.
    public var reason: Reason
    /// The path concerned.
    public var path: String
    /// A complete explanation, including the system's error text when there is one.
    public var message: String
    /// The `errno` value, when a system call failed.
    public var systemErrorCode: Int32?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - reason: The category.
    ///   - path: The path concerned.
    ///   - message: The explanation.
    ///   - systemErrorCode: The `errno` value, if any.
    public init(_ reason: Reason, path: String, message: String, systemErrorCode: Int32? = nil) {
        self.reason = reason
        self.path = path
        self.message = message
        self.systemErrorCode = systemErrorCode
    }

    /// A short human-readable description.
    public var description: String {
        "file sink error (\(reason)): \(message)"
    }
}
