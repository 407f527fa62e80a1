import AsyncSinks
import Testing

@Suite struct TimestampFormatTests {
    private func text(_ nanoseconds: Int64, _ precision: TimestampFormat.Precision = .microseconds) -> String {
        TimestampFormat(precision: precision).string(for: LogTimestamp(nanosecondsSinceEpoch: nanoseconds))
    }

    private func text(seconds: Int64, nanoseconds: Int = 0, _ precision: TimestampFormat.Precision = .seconds) -> String {
        let buffer = LineBuffer(capacity: 16)
        TimestampFormat(precision: precision).append(secondsSinceEpoch: seconds, nanoseconds: nanoseconds, to: buffer)
        return buffer.string
    }

    @Test func defaultIsMicroseconds() {
        #expect(TimestampFormat.default.precision == .microseconds)
        #expect(TimestampFormat().string(for: FormattingFixtures.time) == "2026-11-24T08:15:50.123456Z")
    }

    @Test func everyPrecisionTruncates() {
        let time = FormattingFixtures.time.nanosecondsSinceEpoch
        #expect(text(time, .seconds) == "2026-11-24T08:15:50Z")
        #expect(text(time, .milliseconds) == "2026-11-24T08:15:50.123Z")
        #expect(text(time, .microseconds) == "2026-11-24T08:15:50.123456Z")
        #expect(text(time, .nanoseconds) == "2026-11-24T08:15:50.123456789Z")
        // 999_999_999 ns never rounds up into the next second.
        let almost = 1_795_508_150_999_999_999 as Int64
        #expect(text(almost, .seconds) == "2026-11-24T08:15:50Z")
        #expect(text(almost, .milliseconds) == "2026-11-24T08:15:50.999Z")
        #expect(text(almost, .nanoseconds) == "2026-11-24T08:15:50.999999999Z")
        #expect([TimestampFormat.Precision.seconds, .milliseconds, .microseconds, .nanoseconds].map(\.digits) == [0, 3, 6, 9])
    }

    @Test func fractionsKeepLeadingZeros() {
        #expect(text(1_000_000_007, .nanoseconds) == "1970-01-01T00:00:01.000000007Z")
        #expect(text(1_000_050_000, .microseconds) == "1970-01-01T00:00:01.000050Z")
        #expect(text(0, .milliseconds) == "1970-01-01T00:00:00.000Z")
    }

    @Test func leapDays() {
        #expect(text(seconds: 1_709_251_199) == "2024-02-29T23:59:59Z")
        #expect(text(seconds: 1_709_251_200) == "2024-03-01T00:00:00Z")
        #expect(text(seconds: 951_825_600) == "2000-02-29T12:00:00Z")
        // 2100 is not a leap year: February 28th is followed by March 1st.
        #expect(text(seconds: 4_107_542_400 - 86_400) == "2100-02-28T00:00:00Z")
        #expect(text(seconds: 4_107_542_400) == "2100-03-01T00:00:00Z")
    }

    @Test func datesBefore1970() {
        #expect(text(-1, .nanoseconds) == "1969-12-31T23:59:59.999999999Z")
        #expect(text(-1_000, .microseconds) == "1969-12-31T23:59:59.999999Z")
        #expect(text(seconds: -1) == "1969-12-31T23:59:59Z")
        #expect(text(seconds: -2_208_988_800) == "1900-01-01T00:00:00Z")
        #expect(text(seconds: -2_208_988_800 - 1) == "1899-12-31T23:59:59Z")
    }

    @Test func rangeOfLogTimestamp() {
        #expect(text(Int64.max, .nanoseconds) == "2262-04-11T23:47:16.854775807Z")
        #expect(text(Int64.min, .nanoseconds) == "1677-09-21T00:12:43.145224192Z")
    }

    @Test func farFutureAndExpandedYears() {
        #expect(text(seconds: 253_402_300_799, nanoseconds: 999_999_999, .nanoseconds) == "9999-12-31T23:59:59.999999999Z")
        #expect(text(seconds: 253_402_300_800) == "+10000-01-01T00:00:00Z")
        #expect(text(seconds: -62_167_219_200) == "0000-01-01T00:00:00Z")
        #expect(text(seconds: -62_167_219_200 - 1) == "-0001-12-31T23:59:59Z")
        // Out-of-range nanoseconds are clamped rather than producing a broken fraction.
        #expect(text(seconds: 0, nanoseconds: 2_000_000_000, .milliseconds) == "1970-01-01T00:00:00.999Z")
        #expect(text(seconds: 0, nanoseconds: -5, .milliseconds) == "1970-01-01T00:00:00.000Z")
        // The extremes of Int64 seconds still produce text of bounded length.
        for seconds in [Int64.max, Int64.min] {
            #expect(text(seconds: seconds, nanoseconds: 0, .nanoseconds).utf8.count <= TimestampFormat.maximumLength)
        }
    }

    /// Walks every day from 1600-01-01 to 2400-12-31 with a naive calendar and compares.
    @Test func everyDayMatchesANaiveCalendar() {
        func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }
        let monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var days: Int64 = -135_140  // 1600-01-01 relative to 1970-01-01
        let buffer = LineBuffer()
        let format = TimestampFormat(precision: .seconds)
        var mismatches = 0
        for year in 1600...2400 {
            for month in 1...12 {
                let length = month == 2 && isLeap(year) ? 29 : monthLengths[month - 1]
                for day in 1...length {
                    buffer.removeAll()
                    format.append(secondsSinceEpoch: days * 86_400 + 45_296, nanoseconds: 0, to: buffer)
                    let expected = "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)T12:34:56Z"
                    if buffer.string != expected { mismatches += 1 }
                    days += 1
                }
            }
        }
        #expect(mismatches == 0)
        #expect(days == 157_420)  // 2401-01-01
    }

    @Test func timestampCacheFollowsSecondChanges() {
        let buffer = LineBuffer()
        let format = TimestampFormat(precision: .milliseconds)
        let nanoseconds: [Int64] = [999_999_999, 1_000_000_000, 1_000_000_001, 999_999_999, -1, -1_000_000_001, 86_399_999_999_999]
        for value in nanoseconds {
            format.append(LogTimestamp(nanosecondsSinceEpoch: value), to: buffer)
            buffer.append(UInt8(ascii: " "))
        }
        let expected = "1970-01-01T00:00:00.999Z 1970-01-01T00:00:01.000Z 1970-01-01T00:00:01.000Z 1970-01-01T00:00:00.999Z "
            + "1969-12-31T23:59:59.999Z 1969-12-31T23:59:58.999Z 1970-01-01T23:59:59.999Z "
        #expect(buffer.string == expected)
    }

    @Test func timestampCacheIsNotUsedForExpandedYears() {
        let buffer = LineBuffer()
        let format = TimestampFormat(precision: .seconds)
        format.append(secondsSinceEpoch: 253_402_300_800, nanoseconds: 0, to: buffer)
        format.append(secondsSinceEpoch: 253_402_300_800, nanoseconds: 0, to: buffer)
        format.append(secondsSinceEpoch: 0, nanoseconds: 0, to: buffer)
        format.append(secondsSinceEpoch: 0, nanoseconds: 0, to: buffer)
        #expect(buffer.string == "+10000-01-01T00:00:00Z+10000-01-01T00:00:00Z1970-01-01T00:00:00Z1970-01-01T00:00:00Z")
    }
}
