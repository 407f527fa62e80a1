/// An ordered list of structured key/value fields.
///
/// Fields keep the order in which they were written; a key may appear more than once, and when a
/// record's call-site fields repeat a key bound on the logger, the call-site value wins (see
/// ``LogRecord/forEachField(_:)``).
///
/// Build fields with a dictionary literal. Up to four fields are stored inside the value itself, so
/// a call with a literal of up to four fields allocates nothing: the compiler builds the pairs in
/// place and the literal's array never exists. Longer lists keep the literal's array as their
/// storage (one allocation).
///
/// ```swift
/// let fields: LogFields = ["user": "alice", "attempt": 3]
/// ```
public struct LogFields: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// One field: a key and its typed value.
    public typealias Element = (key: String, value: LogValue)

    /// A key and its value, as stored.
    @usableFromInline
    typealias Pair = (String, LogValue)

    /// The number of fields held inline, without an allocation.
    @usableFromInline
    static var inlineCapacity: Int { 4 }

    /// Storage for up to ``inlineCapacity`` pairs; unused slots hold a placeholder that needs no
    /// reference counting.
    @usableFromInline
    struct InlinePairs: Sendable {
        @usableFromInline var pair0: Pair
        @usableFromInline var pair1: Pair
        @usableFromInline var pair2: Pair
        @usableFromInline var pair3: Pair

        @inlinable
        init() {
            pair0 = LogFields.placeholder
            pair1 = LogFields.placeholder
            pair2 = LogFields.placeholder
            pair3 = LogFields.placeholder
        }

        /// Takes the first pairs of `pairs` (at most four). Each slot is initialized once: assigning
        /// over a placeholder would make the compiler copy and destroy the whole list.
        @inlinable @inline(__always)
        init(_ pairs: [Pair]) {
            pair0 = pairs.count > 0 ? pairs[0] : LogFields.placeholder
            pair1 = pairs.count > 1 ? pairs[1] : LogFields.placeholder
            pair2 = pairs.count > 2 ? pairs[2] : LogFields.placeholder
            pair3 = pairs.count > 3 ? pairs[3] : LogFields.placeholder
        }
    }

    /// The pair in unused inline slots.
    @inlinable
    static var placeholder: Pair { ("", .bool(false)) }

    // The stored properties are declared in this order so that the value is 162 bytes and a record
    // can keep its level in the rest of its last 8-byte word (see `LogRecord`).

    /// All the fields, when they are kept in an array (more than ``inlineCapacity`` of them, or fields
    /// made from an array); empty otherwise.
    @usableFromInline
    var heap: [Pair]
    /// The fields, when there are at most ``inlineCapacity`` of them and ``heap`` is empty.
    @usableFromInline
    var inline: InlinePairs
    /// How many slots of ``inline`` hold fields.
    @usableFromInline
    var inlineCount: UInt8

    /// Creates fields from key/value pairs, keeping their order. The array is kept as the storage.
    ///
    /// - Parameter pairs: The fields, in order.
    @inlinable
    public init(_ pairs: [(String, LogValue)]) {
        inline = InlinePairs()
        inlineCount = 0
        heap = pairs
    }

    /// Creates an empty list of fields. Costs no allocation.
    @inlinable
    public init() {
        inline = InlinePairs()
        inlineCount = 0
        heap = []
    }

    @inlinable @inline(__always)
    public init(dictionaryLiteral elements: (String, LogValue)...) {
        // Inlined into the call site, where the literal's length is known: for up to four fields the
        // branches below fold away and the literal's array is never allocated.
        if elements.count > Self.inlineCapacity {
            inline = InlinePairs()
            inlineCount = 0
            heap = elements
        } else {
            inline = InlinePairs(elements)
            inlineCount = UInt8(truncatingIfNeeded: elements.count)
            heap = []
        }
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }
    @inlinable public var count: Int { heap.isEmpty ? Int(inlineCount) : heap.count }
    @inlinable public var isEmpty: Bool { heap.isEmpty && inlineCount == 0 }

    @inlinable
    public subscript(position: Int) -> Element {
        let pair = self.pair(at: position)
        return (key: pair.0, value: pair.1)
    }

    @inlinable
    func pair(at position: Int) -> Pair {
        if !heap.isEmpty { return heap[position] }
        switch position {
        case 0: return inline.pair0
        case 1: return inline.pair1
        case 2: return inline.pair2
        default: return inline.pair3
        }
    }

    /// Calls `body` with every key and value in order, retaining none of them: inline pairs are
    /// borrowed where they are stored, pairs kept in the array are passed on as bitwise copies.
    ///
    /// Always inlined, so that `body` is inlined into the caller's code for inline pairs.
    @inlinable @inline(__always)
    func forEachPair(_ body: (String, LogValue) throws -> Void) rethrows {
        if heap.isEmpty {
            let count = inlineCount
            if count > 0 { try body(inline.pair0.0, inline.pair0.1) }
            if count > 1 { try body(inline.pair1.0, inline.pair1.1) }
            if count > 2 { try body(inline.pair2.0, inline.pair2.1) }
            if count > 3 { try body(inline.pair3.0, inline.pair3.1) }
        } else {
            // Each pair is passed on as a bitwise copy: read where it is stored, it would be
            // retained and released around every call of `body` the compiler cannot see into.
            try heap.withUnsafeBufferPointer { pairs in
                guard let base = pairs.baseAddress else { return }
                for index in pairs.indices { try (base + index).withBitwiseCopy { pair in try body(pair.0, pair.1) } }
            }
        }
    }

    /// Whether a field has `key`.
    @inlinable
    func containsKey(_ key: String) -> Bool {
        if heap.isEmpty {
            let count = inlineCount
            return (count > 0 && inline.pair0.0 == key) || (count > 1 && inline.pair1.0 == key)
                || (count > 2 && inline.pair2.0 == key) || (count > 3 && inline.pair3.0 == key)
        }
        return heap.withUnsafeBufferPointer { pairs in pairs.contains { $0.0 == key } }
    }

    /// The fields as an array of pairs; free when they are already kept in one.
    var pairs: [Pair] {
        if !heap.isEmpty || inlineCount == 0 { return heap }
        var pairs: [Pair] = []
        pairs.reserveCapacity(Int(inlineCount))
        forEachPair { pairs.append(($0, $1)) }
        return pairs
    }

    /// The value of the last field with `key`, or `nil`.
    ///
    /// - Parameter key: The key to look up.
    public subscript(key key: String) -> LogValue? {
        var found: LogValue?
        forEachPair { candidate, value in
            if candidate == key { found = value }
        }
        return found
    }

    /// Appends a field at the end.
    ///
    /// - Parameters:
    ///   - key: The field's key.
    ///   - value: The field's value.
    public mutating func append(_ key: consuming String, _ value: consuming LogValue) {
        if !heap.isEmpty {
            heap.append((key, value))
            return
        }
        switch inlineCount {
        case 0: inline.pair0 = (key, value)
        case 1: inline.pair1 = (key, value)
        case 2: inline.pair2 = (key, value)
        case 3: inline.pair3 = (key, value)
        default:
            var moved = pairs
            moved.append((key, value))
            self = LogFields(moved)
            return
        }
        inlineCount += 1
    }

    /// Returns these fields followed by `other`, where a key in `other` replaces the same key here.
    ///
    /// Used when binding fields to a logger: the merge happens once, when bound, not on every call.
    ///
    /// - Parameter other: The fields that take precedence.
    /// - Returns: The merged fields.
    public func merging(_ other: LogFields) -> LogFields {
        if other.isEmpty { return self }
        if isEmpty { return other }
        var merged = pairs.filter { pair in !other.containsKey(pair.0) }
        merged.append(contentsOf: other.pairs)
        return LogFields(merged)
    }

    /// Calls `body` for every field with groups flattened: nested keys are joined with dots.
    ///
    /// Values passed to `body` are never ``LogValue/group(_:)``. Flattening allocates a key string
    /// only for fields inside groups.
    ///
    /// - Parameter body: Receives each flattened key and its scalar value.
    public func forEachFlattened(_ body: (String, LogValue) throws -> Void) rethrows {
        try forEachPair { key, value in try Self.visit(key: key, value: value, body) }
    }

    private static func visit(key: String, value: LogValue, _ body: (String, LogValue) throws -> Void) rethrows {
        if case .group(let inner) = value {
            try inner.forEachPair { innerKey, innerValue in
                try visit(key: key + "." + innerKey, value: innerValue, body)
            }
        } else {
            try body(key, value)
        }
    }

    public static func == (lhs: LogFields, rhs: LogFields) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for index in 0..<lhs.count {
            let left = lhs.pair(at: index), right = rhs.pair(at: index)
            guard left.0 == right.0, left.1 == right.1 else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        forEachPair { key, value in
            hasher.combine(key)
            hasher.combine(value)
        }
    }
}
