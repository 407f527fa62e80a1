/// Decides whether a load run lost or mishandled records.
///
/// A run passes when, for every sink, every accepted record is accounted for (written, dropped or
/// failed, none pending), the sink accepted exactly the records at or above its level, no record
/// failed, and every drop is one the chosen backpressure policy allows: none under `block`,
/// `queue_full` under `drop-newest`, `evicted` and `queue_full` under `drop-oldest`.
public enum LoadVerdict {
    /// The drop reasons a backpressure policy opts into.
    ///
    /// - Parameter backpressure: The policy.
    /// - Returns: The reason names that do not count as problems.
    public static func allowedDropReasons(for backpressure: LoadOptions.Backpressure) -> Set<String> {
        switch backpressure {
        case .block: []
        case .dropNewest: ["queue_full"]
        case .dropOldest: ["evicted", "queue_full"]
        }
    }

    /// Lists what went wrong; empty when the run passes.
    ///
    /// - Parameters:
    ///   - outcomes: Every sink's outcome.
    ///   - backpressure: The policy the sinks ran with.
    /// - Returns: One message per problem, naming the sink.
    public static func problems(outcomes: [SinkOutcome], backpressure: LoadOptions.Backpressure) -> [String] {
        var problems: [String] = []
        let allowed = allowedDropReasons(for: backpressure)
        for outcome in outcomes {
            let name = outcome.name
            let accounted = outcome.written + outcome.droppedTotal + outcome.failed
            if outcome.pending > 0 {
                problems.append("\(name): \(outcome.pending) records still pending after close")
            }
            if outcome.accepted != accounted + outcome.pending {
                problems.append(
                    "\(name): \(outcome.accepted - accounted - outcome.pending) records unaccounted for "
                        + "(accepted \(outcome.accepted), written \(outcome.written), dropped \(outcome.droppedTotal), "
                        + "failed \(outcome.failed), pending \(outcome.pending))"
                )
            }
            if outcome.accepted != outcome.expectedAccepted {
                problems.append(
                    "\(name): accepted \(outcome.accepted) records, expected \(outcome.expectedAccepted) "
                        + "(the records logged at or above its level)"
                )
            }
            if outcome.failed > 0 {
                problems.append("\(name): \(outcome.failed) records failed")
            }
            for (reason, count) in outcome.dropped.sorted(by: { $0.key < $1.key }) where count > 0 && !allowed.contains(reason) {
                problems.append("\(name): \(count) records dropped (\(reason)) under backpressure \(backpressure.rawValue)")
            }
        }
        return problems
    }
}
