/// How a sink's failed batches are retried: exponential backoff with full jitter, bounded in attempts
/// and in total time.
///
/// The delay before retry `n` (the first retry is `n = 1`) is a random duration between zero and
/// `min(maxBackoff, initialBackoff * multiplier^(n-1))` ("full jitter"). When the sink's error carries
/// a ``LogSinkError/retryAfter`` delay, the delay is at least that, capped at ``maxRetryAfter``.
/// A batch fails for good when ``maxAttempts`` attempts failed, when the next retry would start after
/// ``maxTotalTime`` from the first attempt, or when the error is permanent.
public struct RetryPolicy: Hashable, Sendable {
    /// The most attempts, the first one included. `1` disables retries. Default: 8.
    public var maxAttempts: Int
    /// The backoff before the first retry, before jitter. Default: 100 ms.
    public var initialBackoff: Duration
    /// The largest backoff, before jitter. Default: 10 s.
    public var maxBackoff: Duration
    /// The factor between consecutive backoffs. Default: 2.
    public var multiplier: Double
    /// Whether delays are drawn uniformly from zero to the backoff (full jitter). Default: `true`.
    public var jitter: Bool
    /// The longest time from a batch's first attempt to the start of its last retry. Default: 60 s.
    public var maxTotalTime: Duration
    /// The cap on a delay requested by the destination (`Retry-After`). Default: 60 s.
    public var maxRetryAfter: Duration

    /// Creates a retry policy.
    ///
    /// - Parameters:
    ///   - maxAttempts: The most attempts, the first included (at least 1).
    ///   - initialBackoff: The backoff before the first retry.
    ///   - maxBackoff: The largest backoff.
    ///   - multiplier: The growth factor between backoffs (at least 1).
    ///   - jitter: Whether to draw each delay uniformly between zero and the backoff.
    ///   - maxTotalTime: The longest time from the first attempt to the last retry's start.
    ///   - maxRetryAfter: The cap on a destination-requested delay.
    public init(
        maxAttempts: Int = 8,
        initialBackoff: Duration = .milliseconds(100),
        maxBackoff: Duration = .seconds(10),
        multiplier: Double = 2,
        jitter: Bool = true,
        maxTotalTime: Duration = .seconds(60),
        maxRetryAfter: Duration = .seconds(60)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = max(.zero, initialBackoff)
        self.maxBackoff = max(self.initialBackoff, maxBackoff)
        self.multiplier = max(1, multiplier)
        self.jitter = jitter
        self.maxTotalTime = max(.zero, maxTotalTime)
        self.maxRetryAfter = max(.zero, maxRetryAfter)
    }

    /// 8 attempts, 100 ms doubling to 10 s with full jitter, within 60 s.
    public static let `default` = RetryPolicy()

    /// No retries: a failed batch fails at once.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The backoff before retry `retry` (1 for the first retry), before jitter.
    ///
    /// - Parameter retry: The retry's number, starting at 1.
    /// - Returns: `min(maxBackoff, initialBackoff * multiplier^(retry-1))`.
    public func backoff(beforeRetry retry: Int) -> Duration {
        let cap = maxBackoff.seconds
        var scaled = initialBackoff.seconds
        var step = 1
        while step < retry, scaled < cap {
            scaled *= multiplier
            step += 1
        }
        let capped = min(scaled, cap)
        return .nanoseconds(Int64((capped * 1e9).rounded()))
    }

    /// The delay before retry `retry`, with jitter applied and a destination's requested delay honoured.
    ///
    /// - Parameters:
    ///   - retry: The retry's number, starting at 1.
    ///   - unitRandom: A random number in `0..<1` for the jitter; ignored without jitter.
    ///   - retryAfter: A delay requested by the destination, if any.
    /// - Returns: The delay.
    public func delay(beforeRetry retry: Int, unitRandom: Double, retryAfter: Duration? = nil) -> Duration {
        let backoff = backoff(beforeRetry: retry)
        var delay = jitter ? .nanoseconds(Int64((backoff.seconds * min(max(unitRandom, 0), 1) * 1e9).rounded(.down))) : backoff
        if let retryAfter {
            delay = max(delay, min(retryAfter, maxRetryAfter))
        }
        return delay
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    /// The duration in whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return product &+ attoseconds / 1_000_000_000
    }
}
