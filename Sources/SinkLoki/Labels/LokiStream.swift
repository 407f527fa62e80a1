import AsyncSinks

/// One stream: a distinct label set, with its label texts built once, when it is created.
///
/// A class, so handing a stream around costs one reference count, not one per field.
final class LokiStream: Sendable {
    /// The stream's number, in creation order; requests list streams in this order.
    let id: Int
    /// The selector text for protobuf bodies, sorted by name with Go-quoted values:
    /// `{app="api", level="info"}`.
    let labelString: [UInt8]
    /// The stream object for JSON bodies: `{"app":"api","level":"info"}`.
    let jsonObject: [UInt8]
    /// The shard whose requests carry this stream.
    let shard: Int
    /// The level, when it is one of the labels.
    let level: LogLevel?
    /// The logger's label, when it is one of the labels.
    let logger: String?
    /// The value of each promoted field (by its index in the schema) that is a label of this stream.
    let promotedValues: [LogValue?]
    /// Whether this is the overflow stream (static labels only).
    let isOverflow: Bool

    init(
        id: Int, labelString: [UInt8], jsonObject: [UInt8], shard: Int, level: LogLevel?, logger: String?,
        promotedValues: [LogValue?], isOverflow: Bool
    ) {
        self.id = id
        self.labelString = labelString
        self.jsonObject = jsonObject
        self.shard = shard
        self.level = level
        self.logger = logger
        self.promotedValues = promotedValues
        self.isOverflow = isOverflow
    }

    /// Whether the promoted field at `index` is a label of this stream.
    @inline(__always)
    func promotes(_ index: Int) -> Bool {
        index < promotedValues.count && promotedValues[index] != nil
    }

    /// Builds the label texts for `labels` (unsorted; sanitised names, non-empty values).
    static func labelTexts(_ labels: [(name: String, value: String)]) -> (selector: [UInt8], json: [UInt8]) {
        let sorted = labels.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        var selector: [UInt8] = [UInt8(ascii: "{")]
        let json = LineBuffer(capacity: 64)
        json.append(UInt8(ascii: "{"))
        for (position, label) in sorted.enumerated() {
            if position > 0 {
                selector.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")])
                json.append(UInt8(ascii: ","))
            }
            selector.append(contentsOf: label.name.utf8)
            selector.append(UInt8(ascii: "="))
            LabelValueQuoting.appendQuoted(label.value, to: &selector)
            FieldEncoding.appendJSONString(label.name, to: json)
            json.append(UInt8(ascii: ":"))
            FieldEncoding.appendJSONString(label.value, to: json)
        }
        selector.append(UInt8(ascii: "}"))
        json.append(UInt8(ascii: "}"))
        return (selector, json.bytes)
    }

    /// A stable hash of the selector text (FNV-1a), used to pick the shard.
    static func stableHash(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
