import AsyncSinks

/// The outcome of each record of one write, by the record's index in the batch.
///
/// Kept as one byte per record (unmarked, written, dropped or failed) with the drop reasons and
/// errors aside, so creating and discarding the outcomes of a large batch costs a fill and a free
/// rather than the initialisation and destruction of an optional enum per record.
struct RecordOutcomes: Sendable {
    private enum Kind: UInt8 {
        case unmarked
        case written
        case dropped
        case failed
    }

    private var kinds: [Kind]
    /// The drop reason or error of each dropped or failed record.
    private var details: [Int: RecordOutcome] = [:]

    /// Outcomes for `count` records, all unmarked.
    init(count: Int) {
        kinds = Array(repeating: .unmarked, count: max(0, count))
    }

    /// The number of records.
    var count: Int { kinds.count }

    /// The outcome of the record at `index`, or `nil` while it is unmarked (to be retried).
    subscript(index: Int) -> RecordOutcome? {
        get {
            guard kinds.indices.contains(index) else { return nil }
            switch kinds[index] {
            case .unmarked: return nil
            case .written: return .written
            case .dropped, .failed: return details[index]
            }
        }
        set {
            guard kinds.indices.contains(index) else { return }
            // The details are looked up only when there are some for this record.
            if kinds[index] == .dropped || kinds[index] == .failed { details[index] = nil }
            switch newValue {
            case nil:
                kinds[index] = .unmarked
            case .written?:
                kinds[index] = .written
            case .dropped?:
                kinds[index] = .dropped
                details[index] = newValue
            case .failed?:
                kinds[index] = .failed
                details[index] = newValue
            }
        }
    }

    /// Whether the record at `index` has no outcome yet.
    func isUnmarked(_ index: Int) -> Bool {
        kinds.indices.contains(index) && kinds[index] == .unmarked
    }

    /// Calls `body` with the index and outcome of every marked record, in index order.
    func forEachMarked(_ body: (Int, RecordOutcome) -> Void) {
        for index in kinds.indices {
            switch kinds[index] {
            case .unmarked: continue
            case .written: body(index, .written)
            case .dropped, .failed:
                if let outcome = details[index] { body(index, outcome) }
            }
        }
    }

    /// The drop reasons of the dropped records.
    var dropReasons: [DropReason] {
        details.values.compactMap { outcome in
            if case .dropped(let reason) = outcome { return reason }
            return nil
        }
    }
}
