/// Which rotated files the file sink keeps. Files beyond any limit are deleted, oldest (lowest
/// sequence number) first.
///
/// Retention only ever deletes files whose names match the sink's own rotated-file pattern (see
/// ``FileSink``); other files in the directory are never touched, and neither is the active file.
/// It runs on the sink's background queue after every rotation and once at start.
public struct FileRetentionPolicy: Sendable, Hashable {
    /// The maximum number of rotated files (compressed or not); `nil` for no limit. Default: 10.
    public var maxFiles: Int?

    /// The maximum age of a rotated file, measured from the rotation time in its name to the sink
    /// clock's current time; `nil` for no limit. Default: `nil`.
    public var maxAge: Duration?

    /// The maximum total size in bytes of the rotated files (the active file is not counted); `nil`
    /// for no limit. Default: `nil`.
    public var maxTotalBytes: Int?

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - maxFiles: The file count limit, or `nil`.
    ///   - maxAge: The age limit, or `nil`.
    ///   - maxTotalBytes: The total size limit, or `nil`.
    public init(maxFiles: Int? = 10, maxAge: Duration? = nil, maxTotalBytes: Int? = nil) {
        self.maxFiles = maxFiles.map { max(0, $0) }
        self.maxAge = maxAge
        self.maxTotalBytes = maxTotalBytes.map { max(0, $0) }
    }

    /// Keep at most 10 rotated files.
    public static let `default` = FileRetentionPolicy()

    /// Keep every rotated file.
    public static let unlimited = FileRetentionPolicy(maxFiles: nil, maxAge: nil, maxTotalBytes: nil)

    var isUnlimited: Bool { maxFiles == nil && maxAge == nil && maxTotalBytes == nil }
}
