/// Whether the file sink compresses the files it rotates.
public struct FileCompression: Sendable, Hashable, CustomStringConvertible {
    private enum Base: Sendable, Hashable {
        case none
        case gzip(level: Int32)
    }

    private let base: Base

    /// Rotated files stay as they are.
    public static let none = FileCompression(base: .none)

    /// Rotated files are compressed with gzip (the system zlib) on the sink's background queue, into
    /// `<rotated name>.gz`, which replaces the original once complete.
    ///
    /// - Parameter level: The zlib level from 1 (fastest) to 9 (smallest); default 6.
    /// - Returns: The setting.
    public static func gzip(level: Int = 6) -> FileCompression {
        FileCompression(base: .gzip(level: Int32(min(max(level, 0), 9))))
    }

    /// The gzip level, or `nil` when compression is off.
    var gzipLevel: Int32? {
        if case .gzip(let level) = base { return level }
        return nil
    }

    /// A short human-readable description.
    public var description: String {
        switch base {
        case .none: "none"
        case .gzip(let level): "gzip(level: \(level))"
        }
    }
}
