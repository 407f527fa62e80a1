/// A growable first-in first-out buffer with O(1) append and removal at the front.
///
/// Elements are moved in and out, never copied; the oldest element is read or changed where it lies.
/// The capacity is a power of two, so positions wrap with a mask.
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

    /// Calls `body` with the oldest element in place, or returns `nil` when the buffer is empty.
    ///
    /// - Parameter body: Receives the oldest element to read or change.
    mutating func withFirst<Result>(_ body: (inout Element) -> Result) -> Result? {
        guard count > 0 else { return nil }
        return body(&(base + head).pointee)
    }

    mutating func append(_ element: consuming Element) {
        if count == capacity { grow() }
        (base + ((head + count) & (capacity - 1))).initialize(to: element)
        count += 1
    }

    /// Removes and returns the oldest element, or returns `nil` when the buffer is empty.
    mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let element = (base + head).move()
        head = (head + 1) & (capacity - 1)
        count -= 1
        return element
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
