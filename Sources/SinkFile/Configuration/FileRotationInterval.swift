#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How often the file sink starts a new file regardless of its size: hourly, daily, or a custom
/// interval, on boundaries aligned to the calendar of a ``FileRotationTimeZone``.
public struct FileRotationInterval: Sendable, Hashable, CustomStringConvertible {
    /// The interval in seconds (at least 1).
    public let seconds: Int64

    private init(seconds: Int64) {
        self.seconds = max(1, seconds)
    }

    /// At every full hour.
    public static let hourly = FileRotationInterval(seconds: 3_600)

    /// At every midnight.
    public static let daily = FileRotationInterval(seconds: 86_400)

    /// Every `duration`, on boundaries that are multiples of it since midnight 1970-01-01 in the
    /// time zone (so `.every(.seconds(900))` rotates at :00, :15, :30 and :45).
    ///
    /// - Parameter duration: The interval, rounded down to whole seconds; at least one second.
    /// - Returns: The interval.
    public static func every(_ duration: Duration) -> FileRotationInterval {
        FileRotationInterval(seconds: duration.components.seconds)
    }

    /// A short human-readable description.
    public var description: String {
        switch seconds {
        case 3_600: "hourly"
        case 86_400: "daily"
        default: "every \(seconds)s"
        }
    }

    /// The first boundary strictly after `nanoseconds` (since the epoch), in nanoseconds.
    func nextBoundary(after nanoseconds: Int64, timeZone: FileRotationTimeZone) -> Int64 {
        let second = Self.floorDivide(nanoseconds, 1_000_000_000)
        let offset = timeZone.offsetSeconds(at: second)
        let local = second + offset
        let next = (Self.floorDivide(local, seconds) + 1) * seconds - offset
        return next * 1_000_000_000
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor < 0) ? quotient - 1 : quotient
    }
}

/// The calendar whose hours and midnights time-based rotation follows.
public struct FileRotationTimeZone: Sendable, Hashable, CustomStringConvertible {
    private enum Base: Sendable, Hashable {
        case utc
        case local
    }

    private let base: Base

    /// Coordinated Universal Time.
    public static let utc = FileRotationTimeZone(base: .utc)

    /// The system's local time zone (`TZ`, `/etc/localtime`), with its offset read at each boundary
    /// computation, so daylight-saving changes move the boundaries with the clock.
    public static let local = FileRotationTimeZone(base: .local)

    /// A short human-readable description.
    public var description: String {
        switch base {
        case .utc: "UTC"
        case .local: "local"
        }
    }

    func offsetSeconds(at secondsSinceEpoch: Int64) -> Int64 {
        switch base {
        case .utc:
            return 0
        case .local:
            var time = time_t(secondsSinceEpoch)
            var fields = tm()
            guard localtime_r(&time, &fields) != nil else { return 0 }
            return Int64(fields.tm_gmtoff)
        }
    }
}
