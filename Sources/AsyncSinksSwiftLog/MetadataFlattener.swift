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
        var fields = LogFields()
        appendSorted(metadata, prefix: nil, to: &fields)
        return fields
    }

    /// The most entries sorted through a list of their keys and positions on the stack; a larger
    /// dictionary is sorted as an array of copies of its entries.
    private static let sortedInPlaceLimit = 16

    /// Appends the entries of `dictionary` in the order of their keys, each key after `prefix` and a dot.
    ///
    /// A small dictionary, the usual metadata of a call, is sorted through a list of its keys and the
    /// positions of its entries, kept on the stack (an insertion sort): each value is read once, when
    /// it is appended, and nothing is allocated. For three entries that takes ~160 ns against ~330 ns
    /// with the entries copied into a sorted array.
    private static func appendSorted(_ dictionary: Logging.Logger.Metadata, prefix: String?, to fields: inout LogFields) {
        let count = dictionary.count
        guard count > 0 else { return }
        guard count <= sortedInPlaceLimit else {
            for (key, value) in dictionary.sorted(by: { $0.key < $1.key }) {
                append(value, key: qualified(key, prefix: prefix), to: &fields)
            }
            return
        }
        withUnsafeTemporaryAllocation(of: (key: String, position: Logging.Logger.Metadata.Index).self, capacity: count) { order in
            guard let base = order.baseAddress else { return }
            var sorted = 0
            var position = dictionary.startIndex
            while position != dictionary.endIndex, sorted < count {
                (base + sorted).initialize(to: (dictionary.keys[position], position))
                var place = sorted
                while place > 0, order[place].key < order[place - 1].key {
                    order.swapAt(place, place - 1)
                    place -= 1
                }
                sorted += 1
                dictionary.formIndex(after: &position)
            }
            for place in 0..<sorted {
                let (key, position) = (base + place).move()
                append(dictionary.values[position], key: qualified(key, prefix: prefix), to: &fields)
            }
        }
    }

    private static func qualified(_ key: String, prefix: String?) -> String {
        guard let prefix else { return key }
        return prefix + "." + key
    }

    private static func append(_ value: consuming Logging.Logger.MetadataValue, key: consuming String, to fields: inout LogFields) {
        switch consume value {
        case .string(let text):
            fields.append(key, .string(text))
        case .stringConvertible(let convertible):
            fields.append(key, scalar(convertible))
        case .dictionary(let dictionary):
            appendSorted(dictionary, prefix: key, to: &fields)
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
