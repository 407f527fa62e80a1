/// An ordered list of structured key/value fields.
///
/// Fields keep the order in which they were written; a key may appear more than once, and when a
/// record's call-site fields repeat a key bound on the logger, the call-site value wins (see
/// ``LogRecord/forEachField(_:)``).
///
/// Build fields with a dictionary literal; the literal's storage is kept as is, so a call with fields
/// costs one allocation and a call without fields none:
///
/// ```swift
/// let fields: LogFields = ["user": "alice", "attempt": 3]
/// ```
public struct LogFields: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// One field: a key and its typed value.
    public typealias Element = (key: String, value: LogValue)

    @usableFromInline
    var storage: [(String, LogValue)]

    /// Creates fields from key/value pairs, keeping their order.
    ///
    /// - Parameter pairs: The fields, in order.
    @inlinable
    public init(_ pairs: [(String, LogValue)]) {
        self.storage = pairs
    }

    /// Creates an empty list of fields. Costs no allocation.
    @inlinable
    public init() {
        self.storage = []
    }

    @inlinable
    public init(dictionaryLiteral elements: (String, LogValue)...) {
        self.storage = elements
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { storage.count }
    @inlinable public var count: Int { storage.count }
    @inlinable public var isEmpty: Bool { storage.isEmpty }

    @inlinable
    public subscript(position: Int) -> Element {
        let pair = storage[position]
        return (key: pair.0, value: pair.1)
    }

    /// The value of the last field with `key`, or `nil`.
    ///
    /// - Parameter key: The key to look up.
    public subscript(key key: String) -> LogValue? {
        storage.last(where: { $0.0 == key })?.1
    }

    /// Appends a field at the end.
    ///
    /// - Parameters:
    ///   - key: The field's key.
    ///   - value: The field's value.
    public mutating func append(_ key: String, _ value: LogValue) {
        storage.append((key, value))
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
        var merged = storage.filter { pair in !other.storage.contains(where: { $0.0 == pair.0 }) }
        merged.append(contentsOf: other.storage)
        return LogFields(merged)
    }

    /// Calls `body` for every field with groups flattened: nested keys are joined with dots.
    ///
    /// Values passed to `body` are never ``LogValue/group(_:)``. Flattening allocates a key string
    /// only for fields inside groups.
    ///
    /// - Parameter body: Receives each flattened key and its scalar value.
    public func forEachFlattened(_ body: (String, LogValue) throws -> Void) rethrows {
        for (key, value) in storage {
            try Self.visit(key: key, value: value, body)
        }
    }

    private static func visit(key: String, value: LogValue, _ body: (String, LogValue) throws -> Void) rethrows {
        if case .group(let inner) = value {
            for (innerKey, innerValue) in inner.storage {
                try visit(key: key + "." + innerKey, value: innerValue, body)
            }
        } else {
            try body(key, value)
        }
    }

    public static func == (lhs: LogFields, rhs: LogFields) -> Bool {
        lhs.storage.count == rhs.storage.count
            && zip(lhs.storage, rhs.storage).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.count)
        for (key, value) in storage {
            hasher.combine(key)
            hasher.combine(value)
        }
    }
}
