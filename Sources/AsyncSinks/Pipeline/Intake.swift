import CAsyncSinksSupport
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The pipeline's shared entry point: one bounded buffer per shard, filled by logging threads and
/// emptied in whole by the distributor.
///
/// A logging thread always uses the same shard (assigned round-robin on its first call), so records
/// from one thread stay in order; a call costs one uncontended lock and moving the entry into
/// storage that keeps its capacity, with no allocation and no wake-up.
///
/// A shard's lock is a spin lock: it is held only to append one entry or to swap the shard's storage,
/// and the only other party is the distributor, so a waiter yields the processor after a few spins
/// rather than sleeping in the kernel.
final class Intake: @unchecked Sendable {
    /// A record on its way to the sinks, with what was decided about it on the logging thread.
    struct Entry {
        var record: LogRecord
        /// Sinks for which the record is dropped with ``DropReason/queueFull`` (a worker or hook logged
        /// into a full blocking sink).
        var dropFull: UInt64 = 0
        /// Sinks for which the record is dropped with ``DropReason/timeout`` (the caller's wait ran out).
        var dropTimeout: UInt64 = 0
        /// Whether a hook logged the record.
        var fromHook: Bool = false
    }

    /// What happened to an appended entry.
    enum AppendResult {
        /// Appended.
        case appended
        /// Appended, and the shard reached its high-water mark: distribute soon.
        case reachedHighWater
        /// The shard is full.
        case full
        /// The intake is closed.
        case closed
    }

    /// One shard's lock and entries; each shard sits on its own 128-byte-aligned block of memory so
    /// that logging threads on different shards never share a cache line.
    struct Shard: ~Copyable {
        let locked = Atomic<Bool>(false)
        var entries = EntryBuffer()
        var closed = false
    }

    /// Room for one entry in a locked shard, from ``lockedSlot()``: initialize ``entry``, then ``commit(_:)``.
    struct Slot {
        let shard: UnsafeMutablePointer<Shard>
        /// Uninitialized memory for the entry.
        let entry: UnsafeMutablePointer<Entry>
        let reachedHighWater: Bool
    }

    private static let shardStride = 128
    private let storage: UnsafeMutableRawPointer
    private let shardMask: Int
    let shardCount: Int
    private let capacity: Int
    private let highWater: Int
    /// Counts the threads that logged here, with wrap-around.
    private let nextSlot: Atomic<UInt32>

    /// Waiters for room in a full shard.
    let space = ConditionLock()
    let spaceAvailable: ConditionLock.Condition
    private let spaceWaiters = Atomic<Int>(0)

    /// Creates the intake.
    ///
    /// - Parameters:
    ///   - shardCount: The number of shards, rounded up to a power of two.
    ///   - shardCapacity: The entries one shard holds.
    ///   - firstSlot: The count the first logging thread receives (tests start near the wrap-around).
    init(shardCount: Int, shardCapacity: Int, firstSlot: UInt32 = 1) {
        nextSlot = Atomic(firstSlot)
        var count = 1
        while count < shardCount { count <<= 1 }
        self.shardCount = count
        shardMask = count - 1
        storage = UnsafeMutableRawPointer.allocate(byteCount: count * Self.shardStride, alignment: Self.shardStride)
        for index in 0..<count {
            (storage + index * Self.shardStride).bindMemory(to: Shard.self, capacity: 1).initialize(to: Shard())
        }
        capacity = max(2, shardCapacity)
        highWater = max(1, capacity / 2)
        spaceAvailable = ConditionLock.Condition(space)
    }

    deinit {
        for index in 0..<shardCount {
            shard(index).pointee.entries.deallocate()
            shard(index).deinitialize(count: 1)
        }
        storage.deallocate()
    }

    @inline(__always)
    private func shard(_ index: Int) -> UnsafeMutablePointer<Shard> {
        (storage + index * Self.shardStride).assumingMemoryBound(to: Shard.self)
    }

    /// The calling thread's shard, assigned round-robin on first use.
    @inline(__always)
    private func currentShard() -> UnsafeMutablePointer<Shard> {
        let thread = asyncsinks_thread()
        var slot = thread.pointee.slot
        if slot == 0 {
            // After four billion threads the count wraps; 0 means "unassigned", so that thread gets
            // `shardCount` instead, which picks the same shard.
            let count = nextSlot.wrappingAdd(1, ordering: .relaxed).oldValue
            slot = count != 0 ? count : UInt32(truncatingIfNeeded: shardCount)
            thread.pointee.slot = slot
        }
        return shard(Int(slot) & shardMask)
    }

    @inline(__always)
    private func lock(_ shard: UnsafeMutablePointer<Shard>) {
        if !shard.pointee.locked.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            lockContended(shard)
        }
    }

    private func lockContended(_ shard: UnsafeMutablePointer<Shard>) {
        var spins = 0
        while true {
            while shard.pointee.locked.load(ordering: .relaxed) {
                spins += 1
                if spins >= 64 {
                    spins = 0
                    sched_yield()
                }
            }
            if shard.pointee.locked.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
                return
            }
        }
    }

    @inline(__always)
    private func unlock(_ shard: UnsafeMutablePointer<Shard>) {
        shard.pointee.locked.store(false, ordering: .releasing)
    }

    /// Locks the calling thread's shard and returns room for one entry there; `nil` (with the shard
    /// unlocked) when the shard is full or closed.
    ///
    /// The caller initializes ``Slot/entry`` and then calls ``commit(_:)``; the shard stays locked in
    /// between, so nothing else may happen there.
    @inline(__always)
    func lockedSlot() -> Slot? {
        let shard = currentShard()
        lock(shard)
        let count = shard.pointee.entries.count
        if shard.pointee.closed || count >= capacity {
            unlock(shard)
            return nil
        }
        let entry = shard.pointee.entries.reserveSlot()
        // The distributor removes the storage it hands out from the caches after all but the largest
        // steps (see `Distributor.largestEvictedStep`), so each entry's lines come from memory: ask
        // for those of the entry four places ahead, and for the first four at once in fresh storage.
        let capacity = shard.pointee.entries.capacity
        if count == 0 {
            asyncsinks_prefetch_for_writing(entry + 1, MemoryLayout<Entry>.stride * min(4, capacity - 1))
        } else if count + 4 < capacity {
            asyncsinks_prefetch_for_writing(entry + 4, MemoryLayout<Entry>.size)
        }
        return Slot(shard: shard, entry: entry, reachedHighWater: count + 1 == highWater)
    }

    /// Publishes the entry built into `slot` and unlocks its shard.
    @inline(__always)
    func commit(_ slot: Slot) -> AppendResult {
        unlock(slot.shard)
        return slot.reachedHighWater ? .reachedHighWater : .appended
    }

    /// Moves `entry` into the calling thread's shard. The entry is left in place (not `nil`) when
    /// the shard is full or closed.
    func append(_ entry: inout Entry?) -> AppendResult {
        let shard = currentShard()
        lock(shard)
        defer { unlock(shard) }
        if shard.pointee.closed { return .closed }
        let count = shard.pointee.entries.count
        if count >= capacity { return .full }
        guard let moved = entry.take() else { return .appended }
        shard.pointee.entries.append(moved)
        return count + 1 == highWater ? .reachedHighWater : .appended
    }

    /// Moves the entries of shard `index` into `spare` (which must be empty), leaving `spare`'s
    /// storage in the shard so that neither side allocates. An empty shard keeps its storage.
    ///
    /// A logging thread that fills its shard's storage grows it, which pages in fresh memory in the
    /// middle of a logging call. So before the swap, `spare` is grown here, on the distributing
    /// thread (see ``spareCapacity(moving:from:limit:)``).
    ///
    /// - Returns: How many entries were moved.
    func drain(shard index: Int, into spare: inout EntryBuffer) -> Int {
        let shard = shard(index)
        lock(shard)
        let count = shard.pointee.entries.count
        let storage = shard.pointee.entries.capacity
        unlock(shard)
        guard count > 0 else { return 0 }
        spare.reserveCapacity(Self.spareCapacity(moving: count, from: storage, limit: capacity))
        lock(shard)
        swap(&shard.pointee.entries, &spare)
        unlock(shard)
        return spare.count
    }

    /// The capacity a spare storage needs before it replaces a storage of `storage` entries from
    /// which `count` entries are moved.
    ///
    /// It gets room for twice `count` (rounded up to a power of two), and the replaced storage's
    /// size when that is at most an eighth of the shard capacity (1,024 entries by default): under
    /// a steady load every storage settles at the largest size the load has needed, so a logging
    /// thread grows its storage only when a step comes later than ever before. A larger storage,
    /// which a burst grew, is not passed on: it stays one of the storages taken in turn, instead of
    /// every spare growing to it and keeping that memory while the pipeline runs.
    ///
    /// - Parameters:
    ///   - count: The entries moved.
    ///   - storage: The capacity of the storage they are moved from.
    ///   - limit: The shard capacity, which no spare exceeds.
    /// - Returns: The capacity in entries.
    static func spareCapacity(moving count: Int, from storage: Int, limit: Int) -> Int {
        var needed = 1
        while needed < 2 * count { needed <<= 1 }
        return min(max(needed, storage <= limit / 8 ? storage : 0), limit)
    }

    /// Where shard `index` keeps its entries now (for tests).
    func storageAddress(shard index: Int) -> UnsafeRawPointer {
        let shard = shard(index)
        lock(shard)
        defer { unlock(shard) }
        return UnsafeRawPointer(shard.pointee.entries.base)
    }

    /// Whether every shard is empty.
    var isEmpty: Bool {
        (0..<shardCount).allSatisfy { index in
            let shard = shard(index)
            lock(shard)
            defer { unlock(shard) }
            return shard.pointee.entries.isEmpty
        }
    }

    /// Stops taking entries; later appends return `.closed`. Wakes callers waiting for room.
    func close() {
        for index in 0..<shardCount {
            let shard = shard(index)
            lock(shard)
            shard.pointee.closed = true
            unlock(shard)
        }
        space.withLock { spaceAvailable.broadcast() }
    }

    /// Waits until the calling thread's shard has room or the intake closed, or until `nanoseconds` passed.
    func waitForSpace(nanoseconds: Int64) {
        let shard = currentShard()
        let capacity = self.capacity
        space.lock()
        spaceWaiters.add(1, ordering: .sequentiallyConsistent)
        lock(shard)
        let mustWait = !shard.pointee.closed && shard.pointee.entries.count >= capacity
        unlock(shard)
        if mustWait { spaceAvailable.wait(nanoseconds: nanoseconds) }
        spaceWaiters.subtract(1, ordering: .sequentiallyConsistent)
        space.unlock()
    }

    /// Wakes callers waiting for room, if any.
    func signalSpace() {
        if spaceWaiters.load(ordering: .sequentiallyConsistent) > 0 {
            space.withLock { spaceAvailable.broadcast() }
        }
    }
}
