import AsyncSinksLoadGenerator
import Testing

@Suite("LoadVerdict")
struct LoadVerdictTests {
    @Test("A balanced run with every record written passes")
    func balancedPasses() {
        let outcomes = [
            SinkOutcome(name: "file", accepted: 100, written: 100, expectedAccepted: 100),
            SinkOutcome(name: "console", accepted: 9, written: 9, expectedAccepted: 9),
        ]
        #expect(LoadVerdict.problems(outcomes: outcomes, backpressure: .block).isEmpty)
    }

    @Test("Unaccounted and pending records are problems")
    func unaccounted() {
        let lost = SinkOutcome(name: "file", accepted: 100, written: 97, expectedAccepted: 100)
        #expect(LoadVerdict.problems(outcomes: [lost], backpressure: .block) == [
            "file: 3 records unaccounted for (accepted 100, written 97, dropped 0, failed 0, pending 0)",
        ])
        let pending = SinkOutcome(name: "file", accepted: 100, written: 98, pending: 2, expectedAccepted: 100)
        #expect(LoadVerdict.problems(outcomes: [pending], backpressure: .block) == [
            "file: 2 records still pending after close",
        ])
    }

    @Test("A sink that accepted fewer records than its level lets through is a problem")
    func acceptedTooFew() {
        let outcome = SinkOutcome(name: "loki", accepted: 70, written: 70, expectedAccepted: 80)
        #expect(LoadVerdict.problems(outcomes: [outcome], backpressure: .dropNewest) == [
            "loki: accepted 70 records, expected 80 (the records logged at or above its level)",
        ])
    }

    @Test("Failures are problems under every policy")
    func failures() {
        let outcome = SinkOutcome(name: "loki", accepted: 10, written: 6, failed: 4, expectedAccepted: 10)
        for policy in [LoadOptions.Backpressure.block, .dropNewest, .dropOldest] {
            #expect(LoadVerdict.problems(outcomes: [outcome], backpressure: policy) == ["loki: 4 records failed"])
        }
    }

    @Test("Drops are allowed only when the backpressure policy opts into them")
    func drops() {
        let full = SinkOutcome(name: "file", accepted: 10, written: 7, dropped: ["queue_full": 3], expectedAccepted: 10)
        let evicted = SinkOutcome(name: "file", accepted: 10, written: 7, dropped: ["evicted": 3], expectedAccepted: 10)
        let shutdown = SinkOutcome(name: "loki", accepted: 10, written: 7, dropped: ["shutdown": 3], expectedAccepted: 10)
        #expect(LoadVerdict.problems(outcomes: [full], backpressure: .dropNewest).isEmpty)
        #expect(LoadVerdict.problems(outcomes: [evicted, full], backpressure: .dropOldest).isEmpty)
        #expect(LoadVerdict.problems(outcomes: [full], backpressure: .block) == [
            "file: 3 records dropped (queue_full) under backpressure block",
        ])
        #expect(LoadVerdict.problems(outcomes: [evicted], backpressure: .dropNewest) == [
            "file: 3 records dropped (evicted) under backpressure drop-newest",
        ])
        #expect(LoadVerdict.problems(outcomes: [shutdown], backpressure: .dropOldest) == [
            "loki: 3 records dropped (shutdown) under backpressure drop-oldest",
        ])
    }
}
