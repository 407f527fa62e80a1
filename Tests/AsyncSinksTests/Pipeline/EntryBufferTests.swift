@testable import AsyncSinks
import Testing

@Suite struct EntryBufferTests {
    /// An error object whose lifetime shows whether the records holding it were destroyed.
    final class Marker: Error, @unchecked Sendable {}

    func entry(_ index: Int, error: Marker? = nil) -> Intake.Entry {
        Intake.Entry(record: LogRecord(
            timestamp: LogTimestamp(nanosecondsSinceEpoch: Int64(index)), level: .info, message: "m\(index)",
            fields: ["index": .int(Int64(index))], error: error
        ))
    }

    @Test func growingKeepsEveryEntryInOrder() {
        var buffer = EntryBuffer(capacity: 2)
        defer { buffer.deallocate() }
        for index in 0..<200 { buffer.append(entry(index)) }
        #expect(buffer.count == 200)
        for index in 0..<200 {
            #expect(buffer.base[index].record.message == "m\(index)")
            #expect(buffer.base[index].record.fields[key: "index"] == .int(Int64(index)))
        }
        buffer.removeAll()
        #expect(buffer.isEmpty)
        buffer.reserveSlot().initialize(to: entry(7))
        #expect(buffer.count == 1 && buffer.base[0].record.message == "m7")
    }

    @Test func reservingCapacityKeepsTheEntriesAndNeverShrinks() {
        var buffer = EntryBuffer(capacity: 4)
        defer { buffer.deallocate() }
        for index in 0..<3 { buffer.append(entry(index)) }
        buffer.reserveCapacity(100)
        #expect(buffer.capacity == 100 && buffer.count == 3)
        #expect((0..<3).map { buffer.base[$0].record.message } == ["m0", "m1", "m2"])
        let base = buffer.base
        buffer.reserveCapacity(10)
        #expect(buffer.capacity == 100 && buffer.base == base)
        for index in 3..<100 { buffer.append(entry(index)) }
        #expect(buffer.capacity == 100 && buffer.base == base && buffer.base[99].record.message == "m99")
    }

    @Test func evictingEmptiedStorageFromTheCachesKeepsItUsable() {
        var buffer = EntryBuffer(capacity: 8)
        defer { buffer.deallocate() }
        for index in 0..<8 { buffer.append(entry(index)) }
        let moved = (0..<8).map { (buffer.base + $0).move() }
        buffer.evictFromCaches(entries: 8)
        buffer.forgetAll()
        #expect(moved.map(\.record.message) == (0..<8).map { "m\($0)" })
        buffer.reserveCapacity(64)
        for index in 0..<64 { buffer.append(entry(index)) }
        #expect(buffer.capacity == 64 && (0..<64).allSatisfy { buffer.base[$0].record.message == "m\($0)" })
    }

    @Test func removingAndDeallocatingDestroyTheEntries() {
        weak var first: Marker?
        weak var second: Marker?
        var buffer = EntryBuffer(capacity: 1)
        do {
            let marker = Marker()
            first = marker
            buffer.append(entry(0, error: marker))
            buffer.append(entry(1, error: marker))
        }
        #expect(first != nil)
        buffer.removeAll()
        #expect(first == nil)
        do {
            let marker = Marker()
            second = marker
            buffer.append(entry(2, error: marker))
        }
        buffer.deallocate()
        #expect(second == nil)
    }
}
