import AsyncSinks

/// Parses the HTTP `Retry-After` header: a number of seconds, or an HTTP date
/// (`Sun, 06 Nov 1994 08:49:37 GMT`, the IMF-fixdate form).
enum RetryAfter {
    /// The delay the header asks for, or `nil` when it cannot be parsed.
    ///
    /// - Parameters:
    ///   - value: The header's value.
    ///   - now: The current wall-clock time, to turn a date into a delay.
    /// - Returns: The delay; zero for a date in the past.
    static func parse(_ value: String, now: LogTimestamp) -> Duration? {
        let trimmed = value.trimmingPrefixAndSuffix(" ")
        if let seconds = Int64(trimmed) {
            return seconds >= 0 ? .seconds(seconds) : nil
        }
        guard let date = parseHTTPDate(trimmed) else { return nil }
        let delta = date - now.nanosecondsSinceEpoch / 1_000_000_000
        return .seconds(max(0, delta))
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Seconds since the epoch of an IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func parseHTTPDate(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5].uppercased() == "GMT" else { return nil }
        guard let day = Int64(parts[1]), let month = months.firstIndex(of: parts[2].lowercased()),
            let year = Int64(parts[3])
        else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, let hour = Int64(clock[0]), let minute = Int64(clock[1]), let second = Int64(clock[2]),
            (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = daysFromCivil(year: year, month: Int64(month + 1), day: day)
        return days * 86_400 + hour * 3600 + minute * 60 + second
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension String {
    fileprivate func trimmingPrefixAndSuffix(_ character: Character) -> String {
        var slice = Substring(self)
        while slice.first == character { slice.removeFirst() }
        while slice.last == character { slice.removeLast() }
        return String(slice)
    }
}
