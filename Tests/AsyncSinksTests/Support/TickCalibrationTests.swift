import AsyncSinks
import CAsyncSinksSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The map from time-stamp counter ticks to wall-clock time behind `LogTimestamp.now()`, driven
/// with made-up readings of a 3 GHz counter.
@Suite struct TickCalibrationTests {
    private let epoch: Int64 = 1_795_508_150_000_000_000
    private let validity: Int64 = 10_000_000

    private func convert(_ calibration: asyncsinks_tick_calibration, _ ticks: UInt64) -> Int64? {
        var calibration = calibration
        var nanoseconds: Int64 = 0
        return asyncsinks_tick_calibration_convert(&calibration, ticks, &nanoseconds) ? nanoseconds : nil
    }

    /// Anchored at `epoch` and 10 ms later on a 3 GHz counter.
    private func calibrated() -> asyncsinks_tick_calibration {
        var calibration = asyncsinks_tick_calibration()
        asyncsinks_tick_calibration_anchor(&calibration, 1_000_000, epoch, validity)
        asyncsinks_tick_calibration_anchor(&calibration, 1_000_000 + 30_000_000, epoch + 10_000_000, validity)
        return calibration
    }

    @Test func unknownRateConvertsNothing() {
        var calibration = asyncsinks_tick_calibration()
        #expect(convert(calibration, 5) == nil)
        asyncsinks_tick_calibration_anchor(&calibration, 1_000_000, epoch, validity)
        #expect(convert(calibration, 1_000_001) == nil)
    }

    @Test func measuresTheRateBetweenAnchorsAndExtrapolates() throws {
        let calibration = calibrated()
        let base = calibration.base_ticks
        #expect(calibration.base_nanoseconds == epoch + 10_000_000)
        #expect(try #require(convert(calibration, base)) == epoch + 10_000_000)
        // 3,000 ticks are 1 µs; fixed-point rounding may lose a nanosecond.
        let microsecond = try #require(convert(calibration, base + 3_000))
        #expect(abs(microsecond - (epoch + 10_001_000)) <= 1)
        let almostExpired = try #require(convert(calibration, base + 29_999_000))
        #expect(abs(almostExpired - (epoch + 19_999_666)) <= 1)
    }

    @Test func refusesTicksBeforeTheAnchorOrPastItsValidity() {
        let calibration = calibrated()
        #expect(convert(calibration, calibration.base_ticks - 1) == nil)
        #expect(convert(calibration, calibration.base_ticks + 30_000_000 + 3_000) == nil)
    }

    @Test func anchorsTooCloseTogetherKeepTheFirstUntilTheRateCanBeMeasured() throws {
        var calibration = asyncsinks_tick_calibration()
        asyncsinks_tick_calibration_anchor(&calibration, 1_000_000, epoch, validity)
        // 100 µs later: too short to measure, so the first anchor stays.
        asyncsinks_tick_calibration_anchor(&calibration, 1_300_000, epoch + 100_000, validity)
        #expect(calibration.base_ticks == 1_000_000)
        #expect(calibration.nanoseconds_per_tick_q32 == 0)
        asyncsinks_tick_calibration_anchor(&calibration, 7_000_000, epoch + 2_000_000, validity)
        #expect(calibration.base_ticks == 7_000_000)
        let later = try #require(convert(calibration, 7_000_000 + 3_000_000))
        #expect(abs(later - (epoch + 3_000_000)) <= 1)
    }

    @Test func aLongIdleGapStillMeasuresTheRate() throws {
        var calibration = calibrated()
        let hour: Int64 = 3_600_000_000_000
        let ticks = calibration.base_ticks + 3 * UInt64(hour)
        asyncsinks_tick_calibration_anchor(&calibration, ticks, calibration.base_nanoseconds + hour, validity)
        let later = try #require(convert(calibration, ticks + 3_000_000))
        #expect(abs(later - (calibration.base_nanoseconds + 1_000_000)) <= 1)
    }

    @Test func anImplausibleCounterIsDistrusted() {
        var calibration = asyncsinks_tick_calibration()
        asyncsinks_tick_calibration_anchor(&calibration, 1_000_000, epoch, validity)
        // 10 ms over 2 ticks: not a time-stamp counter.
        asyncsinks_tick_calibration_anchor(&calibration, 1_000_002, epoch + 10_000_000, validity)
        #expect(calibration.nanoseconds_per_tick_q32 == 0)
        #expect(convert(calibration, 1_000_003) == nil)
    }

    @Test func nowAgreesWithTheRealtimeClock() {
        // Spread over more than one anchor's validity (10 ms), so re-anchoring is crossed too.
        var worst: Int64 = 0
        let start = LogTimestamp.now().nanosecondsSinceEpoch
        var last = start
        while last - start < 30_000_000 {
            var before = timespec(), after = timespec()
            clock_gettime(CLOCK_REALTIME, &before)
            last = LogTimestamp.now().nanosecondsSinceEpoch
            clock_gettime(CLOCK_REALTIME, &after)
            let low = Int64(before.tv_sec) * 1_000_000_000 + Int64(before.tv_nsec)
            let high = Int64(after.tv_sec) * 1_000_000_000 + Int64(after.tv_nsec)
            worst = max(worst, low - last, last - high)
        }
        // Extrapolation error stays far below a millisecond (microseconds at most).
        #expect(worst < 1_000_000)
    }
}
