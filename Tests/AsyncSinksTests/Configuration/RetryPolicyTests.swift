import AsyncSinks
import Testing

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(
        maxAttempts: 6, initialBackoff: .milliseconds(100), maxBackoff: .seconds(1), multiplier: 2
    )

    @Test func backoffGrowsExponentiallyUpToTheCap() {
        let schedule = (1...6).map { policy.backoff(beforeRetry: $0) }
        #expect(schedule == [
            .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1),
        ])
    }

    @Test func fullJitterScalesTheBackoffByTheRandomDraw() {
        #expect(policy.delay(beforeRetry: 3, unitRandom: 0) == .zero)
        #expect(policy.delay(beforeRetry: 3, unitRandom: 0.5) == .milliseconds(200))
        #expect(policy.delay(beforeRetry: 3, unitRandom: 0.999_999_999) < .milliseconds(400))
    }

    @Test func withoutJitterTheDelayIsTheBackoff() {
        var fixed = policy
        fixed.jitter = false
        #expect(fixed.delay(beforeRetry: 2, unitRandom: 0.1) == .milliseconds(200))
    }

    @Test func retryAfterIsHonouredAndCapped() {
        #expect(policy.delay(beforeRetry: 1, unitRandom: 0, retryAfter: .seconds(5)) == .seconds(5))
        var capped = policy
        capped.maxRetryAfter = .seconds(2)
        #expect(capped.delay(beforeRetry: 1, unitRandom: 0, retryAfter: .seconds(30)) == .seconds(2))
    }

    @Test func classifyingKeepsSinkErrorsAndTreatsOthersAsRetryable() {
        struct Other: Error {}
        #expect(LogSinkError.classifying(LogSinkError.permanent("bad")).kind == .permanent)
        #expect(LogSinkError.classifying(Other()).kind == .retryable)
    }
}
