#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in wall-clock time: nanoseconds since the Unix epoch, UTC.
public struct LogTimestamp: Sendable, Hashable, Comparable, Codable {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanosecondsSinceEpoch: Int64

    /// Creates a timestamp from nanoseconds since the Unix epoch.
    ///
    /// - Parameter nanosecondsSinceEpoch: Nanoseconds since 1970-01-01T00:00:00Z.
    @inlinable
    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    /// The current wall-clock time, read with `clock_gettime(CLOCK_REALTIME)`.
    public static func now() -> LogTimestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return LogTimestamp(nanosecondsSinceEpoch: Int64(spec.tv_sec) &* 1_000_000_000 &+ Int64(spec.tv_nsec))
    }

    /// Whole seconds since the epoch (rounded towards negative infinity).
    public var seconds: Int64 {
        let (quotient, remainder) = nanosecondsSinceEpoch.quotientAndRemainder(dividingBy: 1_000_000_000)
        return remainder < 0 ? quotient - 1 : quotient
    }

    /// The nanoseconds within the second, in `0..<1_000_000_000`.
    public var nanosecondOfSecond: Int32 {
        let remainder = nanosecondsSinceEpoch % 1_000_000_000
        return Int32(remainder < 0 ? remainder + 1_000_000_000 : remainder)
    }

    @inlinable
    public static func < (lhs: LogTimestamp, rhs: LogTimestamp) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }

    /// Returns the timestamp moved by `duration`.
    ///
    /// - Parameter duration: How far to move; negative durations move back.
    public func advanced(by duration: Duration) -> LogTimestamp {
        let (seconds, attoseconds) = duration.components
        return LogTimestamp(nanosecondsSinceEpoch: nanosecondsSinceEpoch &+ seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000)
    }
}
