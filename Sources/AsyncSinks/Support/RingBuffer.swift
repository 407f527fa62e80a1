/// A growable first-in first-out buffer with O(1) append and removal at the front.
///
/// Elements are moved in and out, never copied, so a record passing through costs no reference
/// counting. The capacity is a power of two, so positions wrap with a mask.
struct RingBuffer<Element> {
    private var storage: [Element?]
    private var head = 0
    private var mask: Int
    private(set) var count = 0

    init(initialCapacity: Int = 16) {
        var capacity = 4
        while capacity < initialCapacity { capacity <<= 1 }
        storage = Array(repeating: nil, count: capacity)
        mask = capacity - 1
    }

    var isEmpty: Bool { count == 0 }

    /// Reads a property of the oldest element in place, without copying the element.
    func first<Result>(_ property: (Element) -> Result) -> Result? {
        guard count > 0 else { return nil }
        return storage[head].map(property)
    }

    mutating func append(_ element: consuming Element) {
        if count == storage.count { grow() }
        storage[(head + count) & mask] = consume element
        count += 1
    }

    mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let element = storage[head].take()
        head = (head + 1) & mask
        count -= 1
        return element
    }

    /// Removes and returns every element, oldest first.
    mutating func removeAll() -> [Element] {
        var elements: [Element] = []
        elements.reserveCapacity(count)
        while let element = popFirst() { elements.append(element) }
        return elements
    }

    private mutating func grow() {
        var grown: [Element?] = Array(repeating: nil, count: storage.count * 2)
        for offset in 0..<count {
            grown[offset] = storage[(head + offset) & mask].take()
        }
        storage = grown
        head = 0
        mask = grown.count - 1
    }
}
