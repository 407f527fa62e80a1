#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The source of time for a pipeline and its sinks: the system's clocks, or a ``ManualClock`` that
/// tests move by hand.
///
/// A pipeline reads two times from it: wall-clock time for record timestamps, and monotonic time for
/// its timers (batch waits, retry backoff, intake ticks). With a manual clock, timers fire only when
/// the test advances the clock, so time-dependent behaviour is tested without sleeping.
public struct PipelineClock: Sendable {
    private enum Source: Sendable {
        case system
        case manual(ManualClock)
    }

    private let source: Source

    /// The system's `CLOCK_REALTIME` and `CLOCK_MONOTONIC`.
    public static let system = PipelineClock(source: .system)

    /// Time that moves only when `clock` is advanced.
    ///
    /// - Parameter clock: The manual clock.
    /// - Returns: A pipeline clock reading `clock`.
    public static func manual(_ clock: ManualClock) -> PipelineClock {
        PipelineClock(source: .manual(clock))
    }

    /// The current wall-clock time.
    public func wallNow() -> LogTimestamp {
        switch source {
        case .system: LogTimestamp.now()
        case .manual(let clock): clock.wallTime
        }
    }

    /// The current monotonic time in nanoseconds, from an arbitrary origin.
    public func monotonicNanoseconds() -> Int64 {
        switch source {
        case .system:
            var spec = timespec()
            clock_gettime(CLOCK_MONOTONIC, &spec)
            return Int64(spec.tv_sec) &* 1_000_000_000 &+ Int64(spec.tv_nsec)
        case .manual(let clock):
            return clock.monotonicNanoseconds
        }
    }

    /// Whether time passes by itself; `false` for a manual clock.
    var isSystem: Bool {
        if case .system = source { return true }
        return false
    }

    /// Registers `observer` to run whenever a manual clock advances; does nothing for the system clock.
    func observeAdvances(_ observer: @escaping @Sendable () -> Void) {
        if case .manual(let clock) = source { clock.addObserver(observer) }
    }
}
