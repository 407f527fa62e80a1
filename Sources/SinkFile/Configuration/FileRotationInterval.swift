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
        nextBoundary(afterSecond: Self.floorDivide(nanoseconds, 1_000_000_000), offsetAt: timeZone.offsetSeconds(at:)) * 1_000_000_000
    }

    /// The first second after `now` at which the local clock (UTC plus `offsetAt`) reaches a multiple
    /// of the interval.
    ///
    /// When the offset changes before the boundary that the current offset predicts (a
    /// daylight-saving change), the change is located by bisection. If the local clock jumps onto or
    /// over a boundary there (clocks moving forward across a full hour), the change itself is the
    /// boundary; otherwise the search continues from the change with the new offset, so that a daily
    /// file still ends at local midnight on the day the clocks move.
    ///
    /// - Parameters:
    ///   - now: Seconds since the epoch.
    ///   - offsetAt: The local time's offset from UTC in seconds at a given second.
    /// - Returns: Seconds since the epoch.
    func nextBoundary(afterSecond now: Int64, offsetAt: (Int64) -> Int64) -> Int64 {
        var start = now
        var offset = offsetAt(start)
        // One pass per offset change before the boundary; real time zones change at most twice a year.
        for _ in 0..<4 {
            let candidate = (Self.floorDivide(start + offset, seconds) + 1) * seconds - offset
            guard candidate > start, offsetAt(candidate) != offset else { return max(candidate, now + 1) }
            var unchanged = start, changed = candidate
            while changed - unchanged > 1 {
                let middle = unchanged + (changed - unchanged) / 2
                if offsetAt(middle) == offset { unchanged = middle } else { changed = middle }
            }
            let newOffset = offsetAt(changed)
            if Self.floorDivide(changed + newOffset, seconds) != Self.floorDivide(changed - 1 + offset, seconds) {
                return changed
            }
            start = changed
            offset = newOffset
        }
        return (Self.floorDivide(start + offset, seconds) + 1) * seconds - offset
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

    /// The system's local time zone (`TZ`, `/etc/localtime`). Boundaries follow daylight-saving
    /// changes: a daily file ends at local midnight also on the days the clocks move (and such a day's
    /// file holds 23 or 25 hours); an hourly file ends when the clocks jump forward over a full hour,
    /// and the repeated hour when they move back shares one file.
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
