import Foundation
import Synchronization

/// Where the machine's processors sat on the host during a run, told by how long a cache line takes
/// to go from one to the other and back.
///
/// A virtual machine's processors run on whichever host cores its host picks, and the host moves
/// them now and then. On the AMD EPYC host of model 17, a cache line goes there and back in ~55 ns
/// between cores that share a last-level cache and in ~300 ns between cores that do not. Every
/// record a pipeline passes between its threads pays for such trips, so the metrics of pipelines
/// list their runs by placement in their notes.
enum ProcessorPlacement: String {
    /// Round trips of at most ``farRoundTrip`` before and after the run.
    case near
    /// Round trips of more than ``farRoundTrip`` before and after the run.
    case far
    /// One of each: the processors moved during the run (or, for two runs taken together, their
    /// placements differ).
    case moved

    /// The round trip, in nanoseconds, above which two processors share no cache.
    static let farRoundTrip = 150.0

    /// Runs `body` between two measurements of the round trip and returns its result with the
    /// placement; the placement is nil on a machine with one processor.
    static func during<Result>(_ body: () throws -> Result) rethrows -> (Result, ProcessorPlacement?) {
        guard ProcessInfo.processInfo.activeProcessorCount > 1 else { return (try body(), nil) }
        let before = roundTripNanoseconds() > farRoundTrip
        let result = try body()
        let after = roundTripNanoseconds() > farRoundTrip
        return (result, before == after ? (before ? .far : .near) : .moved)
    }

    /// The placement over two runs taken together.
    func combined(with other: ProcessorPlacement) -> ProcessorPlacement {
        self == other ? self : .moved
    }

    /// The runs' values grouped by placement, for a metric's note: "runs by processor placement
    /// (far: a cache-line round trip over 150 ns): near 3 (4.61-5.12 M), far 2 (3.60-3.71 M)"; empty
    /// when no run has a placement.
    ///
    /// - Parameters:
    ///   - placements: Each run's placement (nil where unknown).
    ///   - values: Each run's value.
    ///   - unit: What follows a value or a range of them.
    ///   - format: How one value is written.
    static func summary(
        _ placements: [ProcessorPlacement?], values: [Double], unit: String, format: (Double) -> String
    ) -> String {
        let groups: [String] = [near, far, moved].compactMap { placement in
            let group = zip(placements, values).filter { $0.0 == placement }.map(\.1)
            guard let lowest = group.min(), let highest = group.max() else { return nil }
            let range = lowest == highest ? format(lowest) : format(lowest) + "-" + format(highest)
            return "\(placement.rawValue) \(group.count) (\(range)\(unit))"
        }
        guard !groups.isEmpty else { return "" }
        let intro = String(format: "runs by processor placement (far: a cache-line round trip over %.0f ns): ", farRoundTrip)
        return intro + groups.joined(separator: ", ")
    }

    private final class Ball: Sendable {
        let position = Atomic<Int>(0)
    }

    /// The median time of a round trip, in nanoseconds, between this thread and one it starts.
    ///
    /// The two threads pass a counter back and forth `rounds` times; the median over groups of 100
    /// trips leaves out the moments when either thread was not running.
    static func roundTripNanoseconds(rounds: Int = 4_000) -> Double {
        let ball = Ball()
        Thread.detachNewThread {
            for round in 0..<rounds {
                while ball.position.load(ordering: .acquiring) != 2 * round + 1 {}
                ball.position.store(2 * round + 2, ordering: .releasing)
            }
        }
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
