/// When the intake tick fires next: after the longest interval while records trickle in, sooner
/// under load.
///
/// Each distribution reports how many records it moved and when; from the rate since the previous
/// one, the next interval is chosen so that a distribution moves about ``targetRecords`` records,
/// within `shortest...longest`. Small distributions keep the records a logging thread writes into
/// the intake, and those a worker copies into the sinks' queues, in the processors' caches, and
/// split the workers' share of the machine into short slices. With fewer records than the target
/// per longest interval, the tick keeps the longest interval, so a lightly used pipeline does not
/// wake more often.
struct IntakePacing {
    /// The records one distribution should move under load.
    static let targetRecords = 128

    /// The interval while records trickle in (nanoseconds).
    let longest: Int64
    /// The interval under heavy load (nanoseconds).
    let shortest: Int64
    /// The interval until the next tick (nanoseconds).
    private(set) var interval: Int64
    private var lastDistribution: Int64

    /// Creates the pacing.
    ///
    /// - Parameters:
    ///   - longest: The interval while records trickle in, in nanoseconds (at least 1).
    ///   - shortest: The interval under heavy load, in nanoseconds (clamped to `1...longest`).
    init(longest: Int64, shortest: Int64) {
        self.longest = max(1, longest)
        self.shortest = min(max(1, shortest), self.longest)
        interval = self.longest
        lastDistribution = 0
    }

    /// Starts over after the pipeline was idle: the rate is unknown, so the next tick waits the
    /// longest interval.
    ///
    /// - Parameter now: Monotonic nanoseconds.
    mutating func restart(at now: Int64) {
        interval = longest
        lastDistribution = now
    }

    /// Takes note of a distribution and chooses the next interval.
    ///
    /// - Parameters:
    ///   - moved: The records it moved.
    ///   - now: Monotonic nanoseconds when it finished.
    mutating func distributed(_ moved: Int, at now: Int64) {
        let elapsed = now &- lastDistribution
        lastDistribution = now
        guard moved > 0, elapsed > 0 else {
            interval = longest
            return
        }
        let (scaled, overflow) = elapsed.multipliedReportingOverflow(by: Int64(Self.targetRecords))
        let ideal = overflow ? longest : scaled / Int64(moved)
        interval = min(longest, max(shortest, ideal))
    }
}
