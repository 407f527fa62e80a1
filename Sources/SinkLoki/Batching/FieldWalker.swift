import AsyncSinks

/// Visits a record's fields with groups flattened into dotted keys, as the sink routes them.
///
/// Equivalent to ``AsyncSinks/LogRecord/forEachFlattenedField(_:)``, but built on the inlinable
/// ``AsyncSinks/LogRecord/forEachField(_:)`` so the visit is specialised into the caller; only
/// fields inside groups allocate (their dotted key).
enum FieldWalker {
    /// Calls `body` for every field of `record`, bound fields first, groups flattened.
    @inline(__always)
    static func forEachFlattenedField(of record: inout LogRecord, _ body: (String, LogValue) -> Void) {
        record.forEachField { key, value in
            if case .group(let inner) = value {
                visitGroup(prefix: key, inner, body)
            } else {
                body(key, value)
            }
        }
    }

    private static func visitGroup(prefix: String, _ fields: LogFields, _ body: (String, LogValue) -> Void) {
        for (key, value) in fields {
            let dotted = prefix + "." + key
            if case .group(let inner) = value {
                visitGroup(prefix: dotted, inner, body)
            } else {
                body(dotted, value)
            }
        }
    }
}
