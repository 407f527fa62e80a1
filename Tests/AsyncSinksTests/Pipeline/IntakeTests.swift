@testable import AsyncSinks
import Foundation
import Testing

@Suite struct IntakeTests {
    /// Runs `body` with a one-shard intake and an empty spare storage of 4 entries.
    func withIntake(shardCapacity: Int = 8_192, _ body: (Intake, inout EntryBuffer) -> Void) {
        let intake = Intake(shardCount: 1, shardCapacity: shardCapacity)
        var spare = EntryBuffer(capacity: 4)
        body(intake, &spare)
        spare.deallocate()
    }

    func fill(_ intake: Intake, count: Int) {
        for index in 0..<count {
            var entry: Intake.Entry? = Intake.Entry(record: LogRecord(
                timestamp: LogTimestamp(nanosecondsSinceEpoch: Int64(index)), level: .info, message: "m\(index)"
            ))
            #expect(intake.append(&entry) != .full)
        }
    }

    /// Empties `spare`, logs `count` records and drains them into it.
    func refillAndDrain(_ intake: Intake, into spare: inout EntryBuffer, count: Int = 1) {
        spare.removeAll()
        fill(intake, count: count)
        #expect(intake.drain(shard: 0, into: &spare) == count)
    }

    @Test func threadsAreSpreadOverTheShardsPastTheWrapAroundOfTheirCount() {
        let intake = Intake(shardCount: 2, shardCapacity: 100, firstSlot: .max)
        // Each call runs on a new thread, which has no shard yet.
        for index in 0..<3 {
            let done = DispatchSemaphore(value: 0)
            Thread {
                var entry: Intake.Entry? = Intake.Entry(record: LogRecord(
                    timestamp: LogTimestamp(nanosecondsSinceEpoch: 0), level: .info, message: "t\(index)"
                ))
                _ = intake.append(&entry)
                done.signal()
            }.start()
            done.wait()
        }
        var spare = EntryBuffer(capacity: 4)
        defer { spare.deallocate() }
        // Counts .max, then 0 (taken as 2), then 1: shards 1, 0, 1.
        #expect(intake.drain(shard: 0, into: &spare) == 1)
        #expect(spare.base[0].record.message == "t1")
        spare.removeAll()
        #expect(intake.drain(shard: 1, into: &spare) == 2)
        #expect((0..<2).map { spare.base[$0].record.message } == ["t0", "t2"])
    }

    @Test func drainingAnEmptyShardKeepsBothStorages() {
        withIntake { intake, spare in
            let base = spare.base
            #expect(intake.drain(shard: 0, into: &spare) == 0)
            #expect(spare.base == base && spare.capacity == 4)
        }
    }

    @Test func drainingMovesTheEntriesInOrder() {
        withIntake { intake, spare in
            refillAndDrain(intake, into: &spare, count: 10)
            #expect((0..<10).map { spare.base[$0].record.message } == (0..<10).map { "m\($0)" })
            #expect(intake.isEmpty)
        }
    }

    @Test func theSpareIsGrownBeforeTheLoggingThreadNeedsIt() {
        withIntake { intake, spare in
            // The shard's storage starts at 64 entries; 40 entries need room for 80, so the spare is
            // grown to 128 before it goes to the shard. The spare comes back with the 64-entry storage.
            refillAndDrain(intake, into: &spare, count: 40)
            #expect(spare.capacity == 64)
            // The shard held the 128-entry storage, which now comes back; the 64-entry one was grown
            // to match it before the swap.
            refillAndDrain(intake, into: &spare)
            #expect(spare.capacity == 128)
            refillAndDrain(intake, into: &spare)
            #expect(spare.capacity == 128)
        }
    }

    @Test func aBurstGrowsOnlyTheStoragesItPassesThrough() {
        withIntake { intake, spare in
            refillAndDrain(intake, into: &spare, count: 40)
            refillAndDrain(intake, into: &spare, count: 40)
            // A burst of 3,000: the logging thread grows the shard's 128-entry storage to 4,096, and
            // the spare is grown to the shard capacity (room for 6,000 would be 8,192 anyway).
            refillAndDrain(intake, into: &spare, count: 3_000)
            #expect(spare.capacity == 4_096)
            // The load is back to 40: the spare that takes over from the 8,192-entry storage keeps
            // its 128 entries.
            var next = EntryBuffer(capacity: 128)
            defer { next.deallocate() }
            fill(intake, count: 40)
            #expect(intake.drain(shard: 0, into: &next) == 40)
            #expect(next.capacity == 8_192)
            refillAndDrain(intake, into: &spare, count: 40)
            #expect(spare.capacity == 128)
        }
    }

    @Test func aSpareHasRoomForTwiceTheEntriesAndTakesOnTheSizeOfASmallStorage() {
        // Room for twice the entries, in a power of two.
        #expect(Intake.spareCapacity(moving: 40, from: 64, limit: 8_192) == 128)
        #expect(Intake.spareCapacity(moving: 129, from: 256, limit: 8_192) == 512)
        // The replaced storage's size, up to an eighth of the shard capacity.
        #expect(Intake.spareCapacity(moving: 1, from: 1_024, limit: 8_192) == 1_024)
        #expect(Intake.spareCapacity(moving: 1, from: 2_048, limit: 8_192) == 2)
        // Never beyond the shard capacity.
        #expect(Intake.spareCapacity(moving: 60, from: 64, limit: 100) == 100)
    }

    @Test func theSpareNeverGrowsBeyondTheShardCapacity() {
        withIntake(shardCapacity: 100) { intake, spare in
            refillAndDrain(intake, into: &spare, count: 60)
            refillAndDrain(intake, into: &spare)
            #expect(spare.capacity == 100)
        }
    }
}
