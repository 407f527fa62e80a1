@testable import SinkLoki
import Testing

@Suite("RequestPlanner")
struct RequestPlannerTests {
    /// Entries: (stream, cost); stream overhead 10, request overhead 5.
    func plan(_ entries: [(Int, Int)], budget: Int) -> [Range<Int>] {
        var requests: [Range<Int>] = []
        RequestPlanner.plan(
            Array(entries.indices)[...], budget: budget, requestOverhead: 5,
            streamOf: { entries[$0].0 }, streamOverhead: { _ in 10 }, entryCost: { entries[$0].1 }, into: &requests)
        return requests
    }

    func size(_ entries: [(Int, Int)], _ range: Range<Int>) -> Int {
        var total = 5
        var previous = -1
        for index in range {
            if entries[index].0 != previous { total += 10 }
            total += entries[index].1
            previous = entries[index].0
        }
        return total
    }

    @Test("packs greedily within the budget, counting stream overhead")
    func packs() {
        let entries = [(0, 20), (0, 20), (0, 20), (1, 20), (1, 20), (2, 50)]
        let requests = plan(entries, budget: 80)
        #expect(requests == [0..<3, 3..<5, 5..<6])
        for range in requests { #expect(size(entries, range) <= 80) }
    }

    @Test("an entry larger than the budget goes alone")
    func oversizedEntry() {
        #expect(plan([(0, 10), (0, 500), (0, 10)], budget: 100) == [0..<1, 1..<2, 2..<3])
    }

    @Test("planning the rest after delivered requests gives the same requests (prefix stability)")
    func prefixStable() {
        let entries = (0..<50).map { ($0 / 7, 5 + ($0 * 13) % 17) }
        let full = plan(entries, budget: 90)
        #expect(full.count > 3)
        let rest = Array(entries[full[1].lowerBound...])
        let replanned = plan(rest, budget: 90).map { ($0.lowerBound + full[1].lowerBound)..<($0.upperBound + full[1].lowerBound) }
        #expect(replanned == Array(full[1...]))
    }
}
