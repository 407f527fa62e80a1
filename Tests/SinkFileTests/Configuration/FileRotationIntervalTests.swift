@testable import SinkFile
import Testing

@Suite("FileRotationInterval")
struct FileRotationIntervalTests {
    private let second: Int64 = 1_000_000_000

    @Test("UTC boundaries are the next full hour, day or multiple of the interval")
    func utcBoundaries() {
        // 2026-01-01T10:20:30.5Z
        let now = (1_767_225_600 + 10 * 3_600 + 20 * 60 + 30) * second + 500_000_000
        #expect(FileRotationInterval.hourly.nextBoundary(after: now, timeZone: .utc) == (1_767_225_600 + 11 * 3_600) * second)
        #expect(FileRotationInterval.daily.nextBoundary(after: now, timeZone: .utc) == (1_767_225_600 + 86_400) * second)
        #expect(FileRotationInterval.every(.seconds(900)).nextBoundary(after: now, timeZone: .utc)
            == (1_767_225_600 + 10 * 3_600 + 30 * 60) * second)
    }

    @Test("a time exactly on a boundary moves to the following one")
    func onBoundary() {
        let midnight = 1_767_225_600 * second
        #expect(FileRotationInterval.daily.nextBoundary(after: midnight, timeZone: .utc) == midnight + 86_400 * second)
    }

    @Test("local boundaries are whole hours in the local zone and never in the past")
    func localBoundaries() {
        let now = 1_767_225_600 * second + 1_234 * second
        let next = FileRotationInterval.hourly.nextBoundary(after: now, timeZone: .local)
        #expect(next > now)
        #expect(next - now <= 3_600 * second)
        #expect(FileRotationInterval.every(.milliseconds(10)).seconds == 1)
    }

    /// Central European time in 2026: UTC+1, and UTC+2 from 2026-03-29T01:00Z to 2026-10-25T01:00Z.
    private func berlin(_ second: Int64) -> Int64 {
        second >= 1_774_746_000 && second < 1_792_890_000 ? 7_200 : 3_600
    }

    @Test("a daily file ends at local midnight also on the days the clocks move")
    func dailyAcrossDaylightSavingChanges() {
        // From Sunday 00:00 CET, the day the clocks go forward: Monday 00:00 CEST.
        #expect(FileRotationInterval.daily.nextBoundary(afterSecond: 1_774_738_800, offsetAt: berlin) == 1_774_821_600)
        // From Sunday 00:00 CEST, the day the clocks go back: Monday 00:00 CET.
        #expect(FileRotationInterval.daily.nextBoundary(afterSecond: 1_792_879_200, offsetAt: berlin) == 1_792_969_200)
        // The day before: an ordinary midnight.
        #expect(FileRotationInterval.daily.nextBoundary(afterSecond: 1_774_699_200, offsetAt: berlin) == 1_774_738_800)
    }

    @Test("an hourly file ends when the clocks jump forward, and the repeated hour shares one file")
    func hourlyAcrossDaylightSavingChanges() {
        // 01:30 CET: the clocks jump from 02:00 to 03:00 at 01:00Z, which ends the hour.
        #expect(FileRotationInterval.hourly.nextBoundary(afterSecond: 1_774_744_200, offsetAt: berlin) == 1_774_746_000)
        // 02:30 CEST: the clocks go back from 03:00 to 02:00 at 01:00Z; the next boundary is 03:00 CET.
        #expect(FileRotationInterval.hourly.nextBoundary(afterSecond: 1_792_888_200, offsetAt: berlin) == 1_792_893_600)
    }
}
