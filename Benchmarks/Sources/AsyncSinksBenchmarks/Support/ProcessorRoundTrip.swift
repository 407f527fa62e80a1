import Foundation
import Synchronization

/// How long a cache line takes to go from one processor to another and back, which tells where the
/// machine's processors sit on the host at the moment.
///
/// A virtual machine's two processors may run on cores that share a last-level cache or on cores
/// that do not, and the host moves them. Every record the pipeline passes between its threads pays
/// for such trips, so a run's results depend on where they are.
enum ProcessorRoundTrip {
    /// Round trips longer than this, in nanoseconds, mean the processors share no cache.
    static let farThreshold = 150.0

    private final class Ball: Sendable {
        let position = Atomic<Int>(0)
    }

    /// The median time of a round trip, in nanoseconds, between this thread and one it starts.
    ///
    /// The two threads pass a counter back and forth `rounds` times; the median over groups of 100
    /// trips leaves out the moments when either thread was not running.
    static func measure(rounds: Int = 4_000) -> Double {
        let ball = Ball()
        let partner = Thread {
            for round in 0..<rounds {
                while ball.position.load(ordering: .acquiring) != 2 * round + 1 {}
                ball.position.store(2 * round + 2, ordering: .releasing)
            }
        }
        partner.start()
        var groups: [Double] = []
        var groupStart = monotonicNanoseconds()
        for round in 0..<rounds {
            ball.position.store(2 * round + 1, ordering: .releasing)
            while ball.position.load(ordering: .acquiring) != 2 * round + 2 {}
            if (round + 1) % 100 == 0 {
                let now = monotonicNanoseconds()
                groups.append(Double(now - groupStart) / 100)
                groupStart = now
            }
        }
        return median(groups)
    }
}
