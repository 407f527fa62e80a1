/// When the file sink closes the active file and starts a new one: by size, by time, or both.
///
/// Rotation happens between lines, never inside one. With a size limit, no file grows beyond
/// ``maxBytes`` except one that holds a single line larger than the limit (such a line goes alone
/// into its file). With an interval, the first write at or after each boundary (read from the sink's
/// clock, checked once per batch) rotates a non-empty file.
public struct FileRotationPolicy: Sendable, Hashable {
    /// The size at which the file is rotated, in bytes; `nil` for no size limit.
    /// Default: 64 MiB.
    public var maxBytes: Int?

    /// The time boundaries at which the file is rotated; `nil` for none. Default: `nil`.
    public var interval: FileRotationInterval?

    /// The calendar of the interval's boundaries. Default: ``FileRotationTimeZone/utc``.
    public var timeZone: FileRotationTimeZone

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - maxBytes: The size limit in bytes (at least 1), or `nil`.
    ///   - interval: The time interval, or `nil`.
    ///   - timeZone: The calendar of the interval's boundaries.
    public init(maxBytes: Int? = 64 * 1024 * 1024, interval: FileRotationInterval? = nil, timeZone: FileRotationTimeZone = .utc) {
        self.maxBytes = maxBytes.map { max(1, $0) }
        self.interval = interval
        self.timeZone = timeZone
    }

    /// Rotation at 64 MiB, no time interval.
    public static let `default` = FileRotationPolicy()

    /// Never rotate: the file grows until something outside the sink rotates it.
    public static let never = FileRotationPolicy(maxBytes: nil, interval: nil)

    /// Rotation by size only.
    ///
    /// - Parameter bytes: The size limit.
    /// - Returns: The policy.
    public static func size(_ bytes: Int) -> FileRotationPolicy {
        FileRotationPolicy(maxBytes: bytes, interval: nil)
    }

    /// Rotation by time only.
    ///
    /// - Parameters:
    ///   - interval: The interval, such as ``FileRotationInterval/daily``.
    ///   - timeZone: The calendar of its boundaries.
    /// - Returns: The policy.
    public static func time(_ interval: FileRotationInterval, timeZone: FileRotationTimeZone = .utc) -> FileRotationPolicy {
        FileRotationPolicy(maxBytes: nil, interval: interval, timeZone: timeZone)
    }
}
