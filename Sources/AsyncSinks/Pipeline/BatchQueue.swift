/// What the pipeline tracks about a queued or in-flight record besides the record itself.
struct RecordMetadata {
    var size: Int
    var sequence: UInt64
    var fromHook: Bool
    /// When the record entered the queue (monotonic nanoseconds of the pipeline clock).
    var enqueuedAt: Int64
}

/// A sink's queue: its records in arrival order, already cut into the batches the sink will write.
///
/// A record is appended to the newest batch until that batch holds `maxEntries` records, or until
/// the next record would take it past `maxBytes` (a batch always takes at least one record): the
/// cut ``SinkStateMachine`` used to make when taking a batch. Because the batches are built as the
/// records arrive, ``takeBatch()`` hands out the oldest one whole: it moves no record, and the
/// sink's lock is held only for a moment while the distributor may be waiting to queue more.
///
/// Dropping the oldest record (the drop-oldest policy) destroys it at once and leaves a placeholder
/// in its place, which ``takeBatch()`` removes; such a batch is then written with fewer records.
struct BatchQueue: ~Copyable {
    /// One batch in the making.
    struct Segment {
        var records: [LogRecord] = []
        var metadata: [RecordMetadata] = []
        /// The records before this position were dropped; their places hold placeholders.
        var head = 0
        /// The estimated size of the records from ``head`` on.
        var bytes = 0

        var liveCount: Int { records.count - head }

        /// The records from ``head`` on, with their metadata.
        consuming func batch() -> (records: [LogRecord], metadata: [RecordMetadata]) {
            if head > 0 {
                records.removeFirst(head)
                metadata.removeFirst(head)
            }
            return (records, metadata)
        }
    }

    /// What is left in the place of a dropped record: it holds no memory of its own.
    private static let placeholder = LogRecord(
        timestamp: LogTimestamp(nanosecondsSinceEpoch: 0), level: .trace, message: "", boundPairs: [],
        fields: LogFields(), label: "", file: "", function: "", line: 0, error: nil
    )

    /// The batches that are complete, oldest first.
    private var complete = RingBuffer<Segment>(initialCapacity: 4)
    /// The batch that records are appended to.
    private var newest = Segment()
    /// The records queued, placeholders not counted.
    private(set) var count = 0
    /// Their estimated size.
    private(set) var bytes = 0
    private let maxEntries: Int
    private let maxBytes: Int
    /// The room a new batch reserves: the number of records the batch taken last had, so that a
    /// queue under load builds its batches without growing them, and a quiet one keeps them small.
    private var reservation = 16
    /// Emptied storage of written batches, which new batches take instead of allocating.
    ///
    /// Storage that stays in use takes no page faults and stays in the caches: with fresh storage
    /// for every batch, the distributor's first write to each page of it faulted.
    private var spareRecords: [[LogRecord]] = []
    private var spareMetadata: [[RecordMetadata]] = []
    /// The most spare storages kept (of each kind): as many as batches of `maxEntries` fit in the
    /// queue's record limit, plus one.
    ///
    /// Under load the distributor starts several batches in one step while the sink writes one, and
    /// the storage comes back only after each write; storages in use then number up to what a full
    /// queue holds, which is the memory a full queue takes anyway.
    private let spareLimit: Int

    /// Creates an empty queue that cuts batches by `batching`'s entry and byte limits.
    ///
    /// - Parameters:
    ///   - batching: The entry and byte limits of a batch.
    ///   - maxRecords: The most records the queue is meant to hold, which bounds the storage it keeps
    ///     for later batches.
    init(batching: BatchingPolicy, maxRecords: Int) {
        maxEntries = batching.maxEntries
        maxBytes = batching.maxBytes
        spareLimit = maxRecords / batching.maxEntries + 1
    }

    var isEmpty: Bool { count == 0 }

    /// Appends a record at the end, starting a new batch when the newest one is complete.
    ///
    /// - Parameters:
    ///   - record: The record, moved in.
    ///   - metadata: What the pipeline tracks about it; its size counts towards the batch's bytes.
    mutating func append(_ record: consuming LogRecord, metadata: RecordMetadata) {
        let size = metadata.size
        let live = newest.liveCount
        if live >= maxEntries || (live > 0 && newest.bytes &+ size > maxBytes) {
            var full = Segment()
            swap(&full, &newest)
            complete.append(full)
        }
        if newest.records.capacity == 0 {
            if let storage = spareRecords.popLast() { newest.records = storage }
            if let storage = spareMetadata.popLast() { newest.metadata = storage }
            newest.records.reserveCapacity(reservation)
            newest.metadata.reserveCapacity(reservation)
        }
        newest.records.append(record)
        newest.metadata.append(metadata)
        newest.bytes &+= size
        count += 1
        bytes &+= size
    }

    /// The metadata of the oldest record, or `nil` when the queue is empty.
    var first: RecordMetadata? {
        if let oldest = complete.first({ $0.pointee.metadata[$0.pointee.head] }) { return oldest }
        return newest.liveCount > 0 ? newest.metadata[newest.head] : nil
    }

    /// Drops the oldest record; returns its metadata, or `nil` when the queue is empty.
    ///
    /// A batch whose records were all dropped leaves the queue, and its storage is kept for a later
    /// batch: under the drop-oldest policy a full queue drops records all the time.
    mutating func removeFirst() -> RecordMetadata? {
        let removed: RecordMetadata
        if let oldest = complete.withFirst({ Self.dropFirst(of: &$0) }) {
            if complete.first({ $0.pointee.liveCount }) == 0, let emptied = complete.popFirst() {
                recycle(emptied)
            }
            removed = oldest
        } else if newest.liveCount > 0 {
            removed = Self.dropFirst(of: &newest)
            if newest.liveCount == 0 {
                var emptied = Segment()
                swap(&emptied, &newest)
                recycle(emptied)
            }
        } else {
            return nil
        }
        count -= 1
        bytes &-= removed.size
        return removed
    }

    /// Keeps the storage of a batch whose records were all dropped.
    private mutating func recycle(_ segment: consuming Segment) {
        var records: [LogRecord] = [], metadata: [RecordMetadata] = []
        swap(&records, &segment.records)
        swap(&metadata, &segment.metadata)
        records.removeAll(keepingCapacity: true)
        recycle(records: records)
        recycle(metadata: metadata)
    }

    private static func dropFirst(of segment: inout Segment) -> RecordMetadata {
        let removed = segment.metadata[segment.head]
        segment.records[segment.head] = placeholder
        segment.head += 1
        segment.bytes &-= removed.size
        return removed
    }

    /// Removes the oldest batch and returns its records with their metadata (both empty when the
    /// queue is empty).
    mutating func takeBatch() -> (records: [LogRecord], metadata: [RecordMetadata]) {
        var taken = Segment()
        if let oldest = complete.popFirst() {
            taken = oldest
        } else {
            swap(&taken, &newest)
        }
        count -= taken.liveCount
        bytes &-= taken.bytes
        if taken.liveCount > 0 { reservation = min(maxEntries, taken.liveCount) }
        return taken.batch()
    }

    /// Keeps the emptied storage of a written batch's records for a later batch.
    ///
    /// - Parameter records: An empty array; its capacity is what is kept.
    mutating func recycle(records: consuming [LogRecord]) {
        if records.isEmpty, records.capacity > 0, spareRecords.count < spareLimit { spareRecords.append(records) }
    }

    /// Keeps the storage of a settled batch's metadata for a later batch.
    ///
    /// - Parameter metadata: The metadata array; it is emptied, and its capacity is what is kept.
    mutating func recycle(metadata: consuming [RecordMetadata]) {
        guard metadata.capacity > 0, spareMetadata.count < spareLimit else { return }
        metadata.removeAll(keepingCapacity: true)
        spareMetadata.append(metadata)
    }

    /// Removes every record and returns their metadata, oldest first.
    mutating func removeAll() -> [RecordMetadata] {
        var metadata: [RecordMetadata] = []
        metadata.reserveCapacity(count)
        while count > 0 { metadata.append(contentsOf: takeBatch().metadata) }
        return metadata
    }
}
