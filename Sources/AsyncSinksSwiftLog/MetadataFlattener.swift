#if SwiftLog
import AsyncSinks
import Logging

/// Converts swift-log metadata into record fields, flattening nested values into dotted keys.
///
/// Keys are emitted in sorted order so that the same metadata always produces the same line.
/// Strings stay strings; a `stringConvertible` value that is an integer, a floating-point number or a
/// Boolean keeps its type (so JSON output shows `200`, not `"200"`); anything else becomes its
/// description. A dictionary contributes `key.child` fields, an array `key.0`, `key.1`, ... fields;
/// an empty dictionary or array contributes nothing.
enum MetadataFlattener {
    /// Flattens `metadata` into fields.
    ///
    /// - Parameter metadata: The metadata.
    /// - Returns: The flattened fields, keys sorted. Up to four are kept inline in the fields
    ///   themselves, so that the record carries no array that another thread would have to free.
    static func fields(_ metadata: Logging.Logger.Metadata) -> LogFields {
        guard !metadata.isEmpty else { return LogFields() }
        var fields = LogFields()
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            append(value, key: key, to: &fields)
        }
        return fields
    }

    private static func append(_ value: Logging.Logger.MetadataValue, key: String, to fields: inout LogFields) {
        switch value {
        case .string(let text):
            fields.append(key, .string(text))
        case .stringConvertible(let convertible):
            fields.append(key, scalar(convertible))
        case .dictionary(let dictionary):
            for (child, inner) in dictionary.sorted(by: { $0.key < $1.key }) {
                append(inner, key: key + "." + child, to: &fields)
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                append(element, key: key + "." + String(index), to: &fields)
            }
        }
    }

    private static func scalar(_ value: any CustomStringConvertible & Sendable) -> LogValue {
        switch value {
        case let bool as Bool: .bool(bool)
        case let int as Int: .int(Int64(int))
        case let int as Int64: .int(int)
        case let int as Int32: .int(Int64(int))
        case let int as UInt32: .int(Int64(int))
        case let int as UInt64 where int <= UInt64(Int64.max): .int(Int64(int))
        case let double as Double: .double(double)
        case let float as Float: .double(Double(float))
        default: .string(value.description)
        }
    }
}
#endif
