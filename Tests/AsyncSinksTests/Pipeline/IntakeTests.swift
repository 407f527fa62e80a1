@testable import AsyncSinks
import Testing

@Suite struct IntakeTests {
    func entry(_ index: Int) -> Intake.Entry? {
        Intake.Entry(record: LogRecord(timestamp: LogTimestamp(nanosecondsSinceEpoch: Int64(index)), level: .info, message: "m\(index)"))
    }

    func fill(_ intake: Intake, count: Int) {
        for index in 0..<count {
            var entry = entry(index)
            #expect(intake.append(&entry) != .full)
        }
    }

    @Test func drainingAnEmptyShardKeepsBothStorages() {
        let intake = Intake(shardCount: 1, shardCapacity: 1_000)
        var spare = EntryBuffer(capacity: 4)
        defer { spare.deallocate() }
        let base = spare.base
        #expect(intake.drain(shard: 0, into: &spare) == 0)
        #expect(spare.base == base && spare.capacity == 4)
    }

    @Test func drainingMovesTheEntriesInOrder() {
        let intake = Intake(shardCount: 1, shardCapacity: 1_000)
        var spare = EntryBuffer(capacity: 4)
        defer { spare.deallocate() }
        fill(intake, count: 10)
        #expect(intake.drain(shard: 0, into: &spare) == 10)
        #expect((0..<10).map { spare.base[$0].record.message } == (0..<10).map { "m\($0)" })
        #expect(intake.isEmpty)
    }

    @Test func theSpareIsGrownBeforeTheLoggingThreadNeedsIt() {
        let intake = Intake(shardCount: 1, shardCapacity: 1_000)
        var spare = EntryBuffer(capacity: 4)
        defer { spare.deallocate() }
        // The shard's storage starts at 64 entries; 40 fill more than half of it, so the spare is
        // grown to 128 before it goes to the shard. The spare comes back with the 64-entry storage.
        fill(intake, count: 40)
        #expect(intake.drain(shard: 0, into: &spare) == 40)
        #expect(spare.capacity == 64)
        spare.removeAll()
        // The shard held the 128-entry storage, which now comes back; the 64-entry one was grown to
        // match it before the swap.
        fill(intake, count: 1)
        #expect(intake.drain(shard: 0, into: &spare) == 1)
        #expect(spare.capacity == 128)
        spare.removeAll()
        fill(intake, count: 1)
        #expect(intake.drain(shard: 0, into: &spare) == 1)
        #expect(spare.capacity == 128)
    }

    @Test func theSpareNeverGrowsBeyondTheShardCapacity() {
        let intake = Intake(shardCount: 1, shardCapacity: 100)
        var spare = EntryBuffer(capacity: 4)
        defer { spare.deallocate() }
        fill(intake, count: 60)
        intake.drain(shard: 0, into: &spare)
        spare.removeAll()
        fill(intake, count: 1)
        intake.drain(shard: 0, into: &spare)
        #expect(spare.capacity == 100)
    }
}
