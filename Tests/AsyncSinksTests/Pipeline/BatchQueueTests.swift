@testable import AsyncSinks
import Testing

@Suite struct BatchQueueTests {
    /// An error whose release the tests can watch.
    final class TrackedError: Error {}

    func metadata(_ sequence: UInt64, size: Int = 10, fromHook: Bool = false) -> RecordMetadata {
        RecordMetadata(size: size, sequence: sequence, fromHook: fromHook, enqueuedAt: Int64(sequence) * 1_000)
    }

    func append(_ queue: inout BatchQueue, _ messages: ClosedRange<Int>, size: Int = 10) {
        for number in messages {
            queue.append(record(String(number)), metadata: metadata(UInt64(number), size: size))
        }
    }

    /// The batches the queue hands out until it is empty, as message lists.
    func drain(_ queue: inout BatchQueue) -> [[String]] {
        var batches: [[String]] = []
        while !queue.isEmpty {
            let (records, metadata) = queue.takeBatch()
            #expect(records.map(\.message) == metadata.map { String($0.sequence) })
            batches.append(records.map(\.message))
        }
        return batches
    }

    @Test func cutsBatchesAtTheEntryLimit() {
        var queue = BatchQueue(batching: BatchingPolicy(maxEntries: 3), maxRecords: 100)
        append(&queue, 1...7)
        #expect(queue.count == 7 && queue.bytes == 70)
        #expect(drain(&queue) == [["1", "2", "3"], ["4", "5", "6"], ["7"]])
        #expect(queue.count == 0 && queue.bytes == 0 && queue.first == nil)
    }

    @Test func cutsBatchesBeforeTheRecordThatWouldPassTheByteLimit() {
        var queue = BatchQueue(batching: BatchingPolicy(maxEntries: 100, maxBytes: 25), maxRecords: 100)
        append(&queue, 1...3, size: 10)
        // Larger than the limit on its own: a batch always takes at least one record.
        queue.append(record("4"), metadata: metadata(4, size: 40))
        append(&queue, 5...5, size: 10)
        #expect(queue.bytes == 80)
        #expect(drain(&queue) == [["1", "2"], ["3"], ["4"], ["5"]])
    }

    @Test func takesTheNewestBatchBeforeItIsFull() {
        var queue = BatchQueue(batching: BatchingPolicy(maxEntries: 10), maxRecords: 100)
        append(&queue, 1...2)
        #expect(queue.takeBatch().records.map(\.message) == ["1", "2"])
        #expect(queue.isEmpty && queue.takeBatch().records.isEmpty)
        // Appending after the take starts a new batch.
        append(&queue, 3...4)
        #expect(queue.first?.sequence == 3 && queue.first?.enqueuedAt == 3_000)
        #expect(drain(&queue) == [["3", "4"]])
    }

    @Test func dropsTheOldestAcrossBatchesAndLeavesNoGap() {
        var queue = BatchQueue(batching: BatchingPolicy(maxEntries: 3), maxRecords: 100)
        append(&queue, 1...7)
        var dropped: [UInt64] = []
        for _ in 0..<4 {
            if let removed = queue.removeFirst() { dropped.append(removed.sequence) }
        }
        #expect(dropped == [1, 2, 3, 4])
        #expect(queue.count == 3 && queue.bytes == 30 && queue.first?.sequence == 5)
        #expect(drain(&queue) == [["5", "6"], ["7"]])
    }

    @Test func dropsFromTheNewestBatchUntilTheQueueIsEmpty() {
        var queue = BatchQueue(batching: BatchingPolicy(maxEntries: 10), maxRecords: 100)
        append(&queue, 1...2)
        #expect(queue.removeFirst()?.sequence == 1)
        #expect(queue.removeFirst()?.sequence == 2)
        #expect(queue.removeFirst() == nil)
        #expect(queue.isEmpty && queue.bytes == 0 && queue.first == nil)
        append(&queue, 3...3)
        #expect(drain(&queue) == [["3"]])
    }

    @Test func releasesADroppedRecordAtOnce() {
        var queue = BatchQueue(batching: BatchingPolicy(maxEntries: 10), maxRecords: 100)
        weak var released: TrackedError?
        do {
            let error = TrackedError()
            released = error
            let tracked = LogRecord(timestamp: LogTimestamp(nanosecondsSinceEpoch: 1), level: .error, message: "x", error: error)
            queue.append(tracked, metadata: metadata(1))
        }
        append(&queue, 2...2)
        #expect(released != nil)
        _ = queue.removeFirst()
        #expect(released == nil)
        #expect(drain(&queue) == [["2"]])
    }

    @Test func aNewBatchTakesTheStorageOfAWrittenOne() {
        var queue = BatchQueue(batching: BatchingPolicy(maxEntries: 3), maxRecords: 100)
        append(&queue, 1...3)
        var written = queue.takeBatch().records
        written.reserveCapacity(500)
        written.removeAll(keepingCapacity: true)
        queue.recycle(records: consume written)
        // Storage that still holds records is not taken.
        queue.recycle(records: [record("stale")])
        append(&queue, 4...4)
        let next = queue.takeBatch().records
        #expect(next.map(\.message) == ["4"] && next.capacity >= 500)
    }

    @Test func removeAllReturnsEveryRecordsMetadataInOrder() {
        var queue = BatchQueue(batching: BatchingPolicy(maxEntries: 2), maxRecords: 100)
        append(&queue, 1...5)
        _ = queue.removeFirst()
        #expect(queue.removeAll().map(\.sequence) == [2, 3, 4, 5])
        #expect(queue.isEmpty && queue.bytes == 0)
    }
}
