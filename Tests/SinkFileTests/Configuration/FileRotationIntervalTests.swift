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
}
