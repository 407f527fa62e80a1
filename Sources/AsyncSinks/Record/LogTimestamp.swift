import CAsyncSinksSupport

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

    /// The current wall-clock time.
    ///
    /// `CLOCK_REALTIME`, read with `clock_gettime` at most every 10 ms where the kernel keeps time
    /// with the CPU's time-stamp counter (Linux on x86-64 with the `tsc` clock source) and
    /// extrapolated from that counter in between, which costs less than half as much; elsewhere
    /// `clock_gettime` on every call.
    public static func now() -> LogTimestamp {
        LogTimestamp(nanosecondsSinceEpoch: asyncsinks_wall_clock_nanoseconds())
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
