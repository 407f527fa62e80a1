import CAsyncSinksSupport

/// A growable first-in first-out buffer with O(1) append and removal at the front.
///
/// Elements are moved in and out, never copied, so a record passing through costs no reference
/// counting; the oldest element is read where it lies. The capacity is a power of two, so positions
/// wrap with a mask.
struct RingBuffer<Element>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    private var head = 0
    private(set) var count = 0

    init(initialCapacity: Int = 16) {
        var capacity = 4
        while capacity < initialCapacity { capacity <<= 1 }
        self.capacity = capacity
        base = UnsafeMutablePointer.allocate(capacity: capacity)
    }

    deinit {
        for offset in 0..<count { (base + ((head + offset) & (capacity - 1))).deinitialize(count: 1) }
        base.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    /// Reads the oldest element where it lies, or returns `nil` when the buffer is empty.
    ///
    /// - Parameter read: Receives a pointer to the oldest element; it reads, never moves.
    func first<Result>(_ read: (UnsafePointer<Element>) -> Result) -> Result? {
        guard count > 0 else { return nil }
        return read(base + head)
    }

    /// Asks the processor to start loading the element `offset` places after the oldest into its
    /// caches (a hint; nothing when there is no such element).
    ///
    /// - Parameter offset: The element's distance from the oldest.
    func prefetch(_ offset: Int) {
        guard offset < count else { return }
        asyncsinks_prefetch(base + ((head + offset) & (capacity - 1)), MemoryLayout<Element>.size)
    }

    mutating func append(_ element: consuming Element) {
        if count == capacity { grow() }
        (base + ((head + count) & (capacity - 1))).initialize(to: element)
        count += 1
    }

    mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        var element: Element?
        removeFirst { element = $0.move() }
        return element
    }

    /// Removes the oldest element, which `moveOut` must move out of (or deinitialize) the memory it is
    /// given; does nothing when the buffer is empty.
    ///
    /// - Parameter moveOut: Receives the oldest element's memory.
    mutating func removeFirst(_ moveOut: (UnsafeMutablePointer<Element>) -> Void) {
        guard count > 0 else { return }
        moveOut(base + head)
        head = (head + 1) & (capacity - 1)
        count -= 1
    }

    /// Removes and returns every element, oldest first.
    mutating func removeAll() -> [Element] {
        var elements: [Element] = []
        elements.reserveCapacity(count)
        while let element = popFirst() { elements.append(element) }
        return elements
    }

    private mutating func grow() {
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        // The elements from the head to the end of the storage, then the ones that wrapped around.
        let tail = min(count, capacity - head)
        grown.moveInitialize(from: base + head, count: tail)
        (grown + tail).moveInitialize(from: base, count: count - tail)
        base.deallocate()
        base = grown
        head = 0
        capacity *= 2
    }
}
