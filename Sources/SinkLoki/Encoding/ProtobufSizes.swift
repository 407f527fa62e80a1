/// Size arithmetic for the protobuf wire format.
enum ProtobufSizes {
    /// The number of bytes of `value` as a varint (1 to 10).
    @inline(__always)
    static func varint(_ value: UInt64) -> Int {
        var size = 1
        var remaining = value >> 7
        while remaining != 0 {
            size += 1
            remaining >>= 7
        }
        return size
    }

    /// The size of a length-delimited field with a one-byte tag and a body of `length` bytes.
    @inline(__always)
    static func delimited(_ length: Int) -> Int {
        1 + varint(UInt64(length)) + length
    }

    /// The size of the `google.protobuf.Timestamp` body for `nanosecondsSinceEpoch`.
    @inline(__always)
    static func timestampBody(seconds: Int64, nanos: Int32) -> Int {
        (seconds != 0 ? 1 + varint(UInt64(bitPattern: seconds)) : 0)
            + (nanos != 0 ? 1 + varint(UInt64(UInt32(bitPattern: nanos))) : 0)
    }

    /// Splits a timestamp into seconds and non-negative nanoseconds.
    @inline(__always)
    static func split(_ nanosecondsSinceEpoch: Int64) -> (seconds: Int64, nanos: Int32) {
        var seconds = nanosecondsSinceEpoch / 1_000_000_000
        var nanos = nanosecondsSinceEpoch % 1_000_000_000
        if nanos < 0 {
            nanos += 1_000_000_000
            seconds -= 1
        }
        return (seconds, Int32(truncatingIfNeeded: nanos))
    }

    /// The size of an `EntryAdapter` body.
    @inline(__always)
    static func entryBody(timestamp: Int64, lineLength: Int, metadataPairsSize: Int) -> Int {
        let (seconds, nanos) = split(timestamp)
        return delimited(timestampBody(seconds: seconds, nanos: nanos)) + delimited(lineLength) + metadataPairsSize
    }

    /// The size of one `structuredMetadata` field (tag, length, `LabelPairAdapter` body).
    @inline(__always)
    static func metadataField(nameLength: Int, valueLength: Int) -> Int {
        delimited(delimited(nameLength) + delimited(valueLength))
    }
}
