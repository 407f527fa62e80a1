/// One log event, captured at the call site.
///
/// A record holds everything a sink needs: the wall-clock time of the call, the level, the message,
/// the logger's bound fields and the call's own fields, the logger's label, the source location and
/// an optional error. Records are values; the pipeline moves them into a sink's queue, and copies
/// them only when more than one sink takes the record.
public struct LogRecord: Sendable {
    // The stored properties are declared in this order so that a record is 264 bytes: the level
    // fills the rest of the fields' last word, where it would otherwise take a word of its own (280
    // bytes). The pipeline passes every record between threads twice, into a sink's queue and back
    // to be destroyed. 256 bytes, with the line in 32 bits as well, was measured too: records
    // 256 bytes apart fall into a quarter of the cache's sets, and the file sink's formatting pass
    // lost more than the pipeline gained.

    /// When the call was made (wall clock, UTC).
    public var timestamp: LogTimestamp
    /// The log message.
    public var message: String
    /// The fields bound to the logger that produced the record (merged once, when bound).
    public var boundFields: LogFields {
        get { LogFields(boundPairs) }
        set { boundPairs = newValue.pairs }
    }
    /// The bound fields as the logger keeps them: one shared array, so that a record holds them with
    /// one reference however many there are.
    @usableFromInline
    var boundPairs: [LogFields.Pair]
    /// The fields given at the call site.
    public var fields: LogFields
    /// The record's severity.
    public var level: LogLevel
    /// The line of the call site (`#line`).
    public var line: UInt
    /// The label of the logger that produced the record, typically a module or subsystem name.
    public var label: String
    /// The file of the call site (`#fileID`).
    public var file: String
    /// The function of the call site (`#function`).
    public var function: String
    /// An error attached to the record, if any.
    public var error: (any Error)? {
        // Inlinable so that a sink in another module reads the field in place: called across the
        // module boundary, the getter was given a copy of the whole record.
        @inlinable get { attachedError.error }
        set { attachedError.error = newValue }
    }
    /// The error, wrapped: an optional existential stored directly makes the compiler copy the whole
    /// record where it could move it.
    @usableFromInline
    var attachedError: AttachedError

    /// The storage of ``error``.
    @usableFromInline
    struct AttachedError: Sendable {
        @usableFromInline
        var error: (any Error)?
    }

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - timestamp: When the event happened.
    ///   - level: The severity.
    ///   - message: The message.
    ///   - boundFields: Fields bound to the logger; call-site ``fields`` with the same key win.
    ///   - fields: The call-site fields.
    ///   - label: The logger's label.
    ///   - file: The source file (`#fileID`).
    ///   - function: The function (`#function`).
    ///   - line: The line (`#line`).
    ///   - error: An optional error.
    public init(
        timestamp: LogTimestamp,
        level: LogLevel,
        message: String,
        boundFields: LogFields = LogFields(),
        fields: LogFields = LogFields(),
        label: String = "",
        file: String = #fileID,
        function: String = #function,
        line: UInt = #line,
        error: (any Error)? = nil
    ) {
        self.init(
            timestamp: timestamp, level: level, message: message, boundPairs: boundFields.pairs, fields: fields,
            label: label, file: file, function: function, line: line, error: error
        )
    }

    /// Creates a record with the bound fields as the logger keeps them.
    init(
        timestamp: LogTimestamp, level: LogLevel, message: String, boundPairs: [LogFields.Pair], fields: LogFields,
        label: String, file: String, function: String, line: UInt, error: (any Error)?
    ) {
        self.timestamp = timestamp
        self.level = level
        self.message = message
        self.boundPairs = boundPairs
        self.fields = fields
        self.label = label
        self.file = file
        self.function = function
        self.line = line
        self.attachedError = AttachedError(error: error)
    }

    /// Calls `body` for every field of the record, bound fields first, then call-site fields.
    ///
    /// A bound field whose key is repeated among the call-site fields is skipped, so the call-site
    /// value wins. Groups are passed as they are (see ``LogFields/forEachFlattened(_:)`` to flatten).
    ///
    /// - Parameter body: Receives each key and value.
    @inlinable @inline(__always)
    public func forEachField(_ body: (String, LogValue) throws -> Void) rethrows {
        // The pairs are read where they are stored and passed on as bitwise copies, so walking the
        // fields retains none of them.
        if !boundPairs.isEmpty {
            try boundPairs.withUnsafeBufferPointer { bound in
                guard let base = bound.baseAddress else { return }
                for index in bound.indices where !fields.containsKey(bound[index].0) {
                    try (base + index).withBitwiseCopy { pair in try body(pair.0, pair.1) }
                }
            }
        }
        try fields.forEachPair(body)
    }

    /// Calls `body` for every field with groups flattened into dotted keys, bound fields first.
    ///
    /// - Parameter body: Receives each flattened key and its scalar value.
    public func forEachFlattenedField(_ body: (String, LogValue) throws -> Void) rethrows {
        try forEachField { key, value in
            if case .group(let inner) = value {
                try LogFields([(key, .group(inner))]).forEachFlattened(body)
            } else {
                try body(key, value)
            }
        }
    }

    /// The record's merged fields (bound fields, overridden by call-site fields) as one list.
    public var allFields: LogFields {
        var merged = LogFields()
        forEachField { merged.append($0, $1) }
        return merged
    }

    /// An estimate of the record's size in bytes, used for the byte limits of queues and batches.
    ///
    /// It counts the UTF-8 bytes of the message, label, keys and string values, plus a fixed overhead
    /// per record and per field, so it is cheap to compute and roughly tracks the formatted size.
    ///
    /// It is inlined where it is used, so that reading it from a record in a queue's storage does not
    /// copy the record first.
    @inline(__always)
    public var estimatedSize: Int {
        var size = 48 &+ message.utf8.count &+ label.utf8.count
        boundPairs.withUnsafeBufferPointer { pairs in
            for index in pairs.indices { size &+= Self.estimatedSize(key: pairs[index].0, value: pairs[index].1) }
        }
        fields.forEachPair { key, value in size &+= Self.estimatedSize(key: key, value: value) }
        return size
    }

    /// The estimate for one field.
    @inline(__always)
    static func estimatedSize(key: String, value: LogValue) -> Int {
        let valueSize: Int
        switch value {
        case .string(let text): valueSize = text.utf8.count &+ 2
        case .int, .double: valueSize = 12
        case .bool: valueSize = 5
        case .group(let inner): valueSize = estimatedSize(of: inner)
        }
        return 8 &+ key.utf8.count &+ valueSize
    }

    /// The estimate for a group's members.
    static func estimatedSize(of group: LogFields) -> Int {
        var size = 2
        group.forEachPair { key, value in size &+= estimatedSize(key: key, value: value) }
        return size
    }
}
