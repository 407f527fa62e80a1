/// Writes timestamps as RFC 3339 date-times in UTC, such as `2026-11-24T08:15:50.123456Z`.
///
/// All built-in formatters share this type. The date is computed from the Unix time with integer
/// arithmetic only (a days-to-civil-date conversion valid for the whole proleptic Gregorian calendar),
/// so writing a timestamp costs a few nanoseconds and no allocation.
///
/// The fraction of the second is truncated, never rounded, so a timestamp is never written as a later
/// second than the one it falls in. A ``LineBuffer`` remembers the date-time text of the last second
/// written into it, so consecutive records within one second only copy it and add the fraction.
///
/// ```swift
/// let format = TimestampFormat(precision: .milliseconds)
/// format.string(for: LogTimestamp(nanosecondsSinceEpoch: 1_795_940_150_123_456_789))
/// // "2026-11-24T08:15:50.123Z"
/// ```
public struct TimestampFormat: Sendable, Hashable {
    /// How many digits of the fraction of a second are written.
    public struct Precision: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Int, Sendable, Hashable {
            case seconds = 0
            case milliseconds = 3
            case microseconds = 6
            case nanoseconds = 9
        }

        private let base: Base

        /// Whole seconds, no fraction: `2026-11-24T08:15:50Z`.
        public static let seconds = Precision(base: .seconds)
        /// Three fractional digits: `2026-11-24T08:15:50.123Z`.
        public static let milliseconds = Precision(base: .milliseconds)
        /// Six fractional digits: `2026-11-24T08:15:50.123456Z`.
        public static let microseconds = Precision(base: .microseconds)
        /// Nine fractional digits: `2026-11-24T08:15:50.123456789Z`.
        public static let nanoseconds = Precision(base: .nanoseconds)

        /// The number of fractional digits written: 0, 3, 6 or 9.
        public var digits: Int { base.rawValue }

        /// The precision's name: `seconds`, `milliseconds`, `microseconds` or `nanoseconds`.
        public var description: String {
            switch base {
            case .seconds: "seconds"
            case .milliseconds: "milliseconds"
            case .microseconds: "microseconds"
            case .nanoseconds: "nanoseconds"
            }
        }
    }

    /// The number of fractional digits. Default: ``Precision/microseconds``.
    public var precision: Precision

    /// Creates a format.
    ///
    /// - Parameter precision: The number of fractional digits (default ``Precision/microseconds``).
    public init(precision: Precision = .microseconds) {
        self.precision = precision
    }

    /// RFC 3339 with microseconds, the default of every built-in formatter.
    public static let `default` = TimestampFormat()

    /// The most bytes one timestamp takes: a year of up to 12 digits with its sign, the fixed
    /// separators and nine fractional digits.
    public static let maximumLength = 40

    /// Appends `timestamp` to `buffer`.
    ///
    /// Every ``LogTimestamp`` falls between the years 1677 and 2262, so the year always has four digits.
    ///
    /// - Parameters:
    ///   - timestamp: The point in time.
    ///   - buffer: The buffer to append to.
    public func append(_ timestamp: LogTimestamp, to buffer: LineBuffer) {
        buffer.withCursor { cursor in write(timestamp, to: &cursor) }
    }

    /// Appends the time given as seconds and nanoseconds since the Unix epoch to `buffer`.
    ///
    /// This entry point covers times that ``LogTimestamp`` cannot hold, such as the year 9999. RFC 3339
    /// has four-digit years only; years outside 0000...9999 are written as ISO 8601 expanded years
    /// (`+10000-01-01T...`, `-0001-12-31T...`).
    ///
    /// - Parameters:
    ///   - secondsSinceEpoch: Whole seconds since 1970-01-01T00:00:00Z (negative before).
    ///   - nanoseconds: The nanoseconds within the second, in `0..<1_000_000_000`; other values are
    ///     clamped into that range.
    ///   - buffer: The buffer to append to.
    public func append(secondsSinceEpoch: Int64, nanoseconds: Int, to buffer: LineBuffer) {
        buffer.withCursor { cursor in write(secondsSinceEpoch: secondsSinceEpoch, nanoseconds: nanoseconds, to: &cursor) }
    }

    /// Writes `timestamp` as ``append(_:to:)`` does, reserving the room it needs.
    ///
    /// - Parameters:
    ///   - timestamp: The point in time.
    ///   - cursor: The cursor to write through.
    @inline(__always)
    func write(_ timestamp: LogTimestamp, to cursor: inout LineBuffer.Cursor) {
        write(secondsSinceEpoch: timestamp.seconds, nanoseconds: Int(timestamp.nanosecondOfSecond), to: &cursor)
    }

    /// Writes the time as ``append(secondsSinceEpoch:nanoseconds:to:)`` does, reserving the room it needs.
    ///
    /// The date-time text of the last second written into the cursor's buffer is cached there, so a
    /// record within the same second costs three word copies and the fraction.
    ///
    /// - Parameters:
    ///   - secondsSinceEpoch: Whole seconds since 1970-01-01T00:00:00Z (negative before).
    ///   - nanoseconds: The nanoseconds within the second; other values are clamped into `0..<1_000_000_000`.
    ///   - cursor: The cursor to write through.
    @inline(__always)
    func write(secondsSinceEpoch: Int64, nanoseconds: Int, to cursor: inout LineBuffer.Cursor) {
        cursor.reserve(Self.maximumLength)
        let state = cursor.buffer.state
        if state.pointee.timestampSecond == secondsSinceEpoch {
            // Same second as the previous timestamp written to this buffer: copy its date-time text
            // (three words, the last one partly; the fraction overwrites the rest).
            let text = state.pointee.timestampText
            cursor.write(word: text.0, count: 8)
            cursor.write(word: text.1, count: 8)
            cursor.write(word: text.2, count: Self.dateTimeLength &- 16)
        } else {
            writeDateTime(secondsSinceEpoch: secondsSinceEpoch, to: &cursor)
        }
        writeFraction(nanoseconds: nanoseconds, to: &cursor)
    }

    /// The length of `YYYY-MM-DDTHH:MM:SS`.
    private static var dateTimeLength: Int { 19 }

    /// Writes `YYYY-MM-DDTHH:MM:SS` and, for four-digit years, caches it in the buffer (reserved earlier).
    @inline(never)
    private func writeDateTime(secondsSinceEpoch: Int64, to cursor: inout LineBuffer.Cursor) {
        let (days, secondOfDay) = Self.floorDivide(secondsSinceEpoch, by: 86_400)
        let date = CivilDate(daysSinceEpoch: days)
        let start = cursor.position
        let fourDigitYear = date.year >= 0 && date.year <= 9999
        if fourDigitYear {
            Self.writeTwoDigits(Int(date.year / 100), to: &cursor)
            Self.writeTwoDigits(Int(date.year % 100), to: &cursor)
        } else {
            cursor.write(date.year < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let magnitude = date.year.magnitude
            if magnitude <= 9999 {
                Self.writeTwoDigits(Int(magnitude / 100), to: &cursor)
                Self.writeTwoDigits(Int(magnitude % 100), to: &cursor)
            } else {
                cursor.writeDecimal(Int64(clamping: magnitude))
            }
        }

        let second = Int(secondOfDay)
        cursor.write(UInt8(ascii: "-"))
        Self.writeTwoDigits(date.month, to: &cursor)
        cursor.write(UInt8(ascii: "-"))
        Self.writeTwoDigits(date.day, to: &cursor)
        cursor.write(UInt8(ascii: "T"))
        Self.writeTwoDigits(second / 3600, to: &cursor)
        cursor.write(UInt8(ascii: ":"))
        Self.writeTwoDigits((second / 60) % 60, to: &cursor)
        cursor.write(UInt8(ascii: ":"))
        Self.writeTwoDigits(second % 60, to: &cursor)

        if fourDigitYear {
            let text = UnsafeRawPointer(start)
            let state = cursor.buffer.state
            state.pointee.timestampText = (
                text.loadUnaligned(as: UInt64.self),
                text.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                text.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
            )
            state.pointee.timestampSecond = secondsSinceEpoch
        }
    }

    /// Writes `.`, the fraction's digits (nothing for whole seconds) and `Z` (reserved earlier). Every
    /// division is by a constant, which compiles to a multiplication; the default six digits are
    /// assembled into one word and stored at once.
    @inline(__always)
    private func writeFraction(nanoseconds: Int, to cursor: inout LineBuffer.Cursor) {
        let nanoseconds = min(max(nanoseconds, 0), 999_999_999)
        switch precision.digits {
        case 6:
            let fraction = nanoseconds / 1_000
            let high = UInt64(LineBuffer.Cursor.digitPair(fraction / 10_000).littleEndian)
            let middle = UInt64(LineBuffer.Cursor.digitPair((fraction / 100) % 100).littleEndian)
            let low = UInt64(LineBuffer.Cursor.digitPair(fraction % 100).littleEndian)
            // `.`, six digits and `Z`, first byte lowest.
            let word = UInt64(UInt8(ascii: ".")) | high << 8 | middle << 24 | low << 40 | UInt64(UInt8(ascii: "Z")) << 56
            cursor.write(word: word.littleEndian, count: 8)
        case 3:
            let fraction = nanoseconds / 1_000_000
            cursor.write(UInt8(ascii: "."))
            cursor.write(UInt8(truncatingIfNeeded: fraction / 100) &+ 48)
            Self.writeTwoDigits(fraction % 100, to: &cursor)
            cursor.write(UInt8(ascii: "Z"))
        case 0:
            cursor.write(UInt8(ascii: "Z"))
        default:
            cursor.write(UInt8(ascii: "."))
            cursor.write(UInt8(truncatingIfNeeded: nanoseconds / 100_000_000) &+ 48)
            Self.writeTwoDigits((nanoseconds / 1_000_000) % 100, to: &cursor)
            Self.writeTwoDigits((nanoseconds / 10_000) % 100, to: &cursor)
            Self.writeTwoDigits((nanoseconds / 100) % 100, to: &cursor)
            Self.writeTwoDigits(nanoseconds % 100, to: &cursor)
            cursor.write(UInt8(ascii: "Z"))
        }
    }

    /// Returns `timestamp` formatted as a string. Allocates; formatters use ``append(_:to:)``.
    ///
    /// - Parameter timestamp: The point in time.
    /// - Returns: The RFC 3339 text.
    public func string(for timestamp: LogTimestamp) -> String {
        let buffer = LineBuffer(capacity: Self.maximumLength)
        append(timestamp, to: buffer)
        return buffer.string
    }

    /// Writes `value` (0...99) as two digits (reserved earlier).
    @inline(__always)
    private static func writeTwoDigits(_ value: Int, to cursor: inout LineBuffer.Cursor) {
        UnsafeMutableRawPointer(cursor.position).storeBytes(of: LineBuffer.Cursor.digitPair(value), as: UInt16.self)
        cursor.position += 2
    }

    private static func floorDivide(_ value: Int64, by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}

/// A proleptic Gregorian calendar date computed from a day count.
struct CivilDate: Hashable {
    var year: Int64
    var month: Int
    var day: Int

    /// Converts days since 1970-01-01 into a year, month and day.
    ///
    /// The calendar repeats every 400 years (146 097 days). The day count is shifted so that years start
    /// on March 1st, which puts the leap day at the end of the year; the day of the 400-year era then
    /// gives the year of the era, the day of that year, and from it the month and day with a linear
    /// formula over the months March...February (153 days per 5 months).
    init(daysSinceEpoch: Int64) {
        let shifted = daysSinceEpoch + 719_468  // days from 0000-03-01 to 1970-01-01
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097  // 0...146096
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365  // 0...399
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // 0...365
        let shiftedMonth = (5 * dayOfYear + 2) / 153  // 0...11, March = 0
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1  // 1...31
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9  // 1...12
        self.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.month = Int(month)
        self.day = Int(day)
    }
}
