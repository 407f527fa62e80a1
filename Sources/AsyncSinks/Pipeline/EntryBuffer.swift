import CAsyncSinksSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Contiguous storage for intake entries that are built in place and moved out, never copied.
///
/// Its owner manages it by hand, like a C structure, and copies of the value share the memory:
/// ``reserveSlot()`` hands out uninitialized memory that the caller initializes before anything else
/// touches the buffer; ``removeAll()`` (or moving every entry out and calling ``forgetAll()``)
/// empties it; ``deallocate()`` releases the memory when the owner goes away. It grows by doubling
/// and keeps its capacity, so a buffer that has grown once never allocates again.
struct EntryBuffer {
    private(set) var base: UnsafeMutablePointer<Intake.Entry>
    private(set) var count = 0
    /// The entries it holds without growing.
    private(set) var capacity: Int

    /// Allocates room for `capacity` entries.
    init(capacity: Int = 64) {
        self.capacity = max(1, capacity)
        base = UnsafeMutablePointer.allocate(capacity: self.capacity)
    }

    var isEmpty: Bool { count == 0 }

    /// Returns uninitialized memory for one more entry and counts it: the caller initializes it at once.
    @inline(__always)
    mutating func reserveSlot() -> UnsafeMutablePointer<Intake.Entry> {
        if count == capacity { grow() }
        let slot = base + count
        count += 1
        return slot
    }

    /// Moves `entry` in at the end.
    mutating func append(_ entry: consuming Intake.Entry) {
        reserveSlot().initialize(to: entry)
    }

    /// Destroys every entry, keeping the capacity.
    mutating func removeAll() {
        base.deinitialize(count: count)
        count = 0
    }

    /// Forgets every entry without destroying it, after the owner moved or destroyed each one.
    mutating func forgetAll() {
        count = 0
    }

    /// Removes the memory of the first `count` entries, which must have been moved out or destroyed,
    /// from every processor's caches.
    ///
    /// The distributor calls it on storage it has emptied: the logging thread that fills the storage
    /// next then writes to memory that no other processor's cache holds, and does not wait for the
    /// distributor's processor to give up each cache line (see `asyncsinks_evict_from_caches`).
    func evictFromCaches(entries count: Int) {
        asyncsinks_evict_from_caches(base, count * MemoryLayout<Intake.Entry>.stride)
    }

    /// Destroys the entries and releases the memory; the buffer must not be used afterwards.
    mutating func deallocate() {
        removeAll()
        base.deallocate()
    }

    /// Grows the storage to hold at least `minimumCapacity` entries, and writes to every page of the
    /// room it adds so that the system maps that memory now, on the calling thread.
    ///
    /// The distributor grows the spare storage it hands to a logging thread this way: the logging
    /// thread then writes to memory that is already mapped, instead of stopping for page faults
    /// inside a logging call. The added room is then removed from the caches, as in
    /// ``evictFromCaches(entries:)``.
    mutating func reserveCapacity(_ minimumCapacity: Int) {
        guard minimumCapacity > capacity else { return }
        reallocate(capacity: minimumCapacity)
        let added = UnsafeMutableRawPointer(base + count)
        let length = (capacity - count) * MemoryLayout<Intake.Entry>.stride
        memset(added, 0, length)
        asyncsinks_evict_from_caches(added, length)
    }

    private mutating func grow() {
        reallocate(capacity: capacity * 2)
    }

    private mutating func reallocate(capacity newCapacity: Int) {
        let grown = UnsafeMutablePointer<Intake.Entry>.allocate(capacity: newCapacity)
        grown.moveInitialize(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }
}
