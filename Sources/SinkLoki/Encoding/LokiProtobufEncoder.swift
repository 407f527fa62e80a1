import AsyncSinks

/// Encodes prepared entries as a protobuf `logproto.PushRequest`.
///
/// Field numbers (from Loki's `push.proto`): `PushRequest.streams` = 1; `StreamAdapter.labels` = 1,
/// `StreamAdapter.entries` = 2; `EntryAdapter.timestamp` = 1 (`google.protobuf.Timestamp`: seconds
/// = 1, nanos = 2), `EntryAdapter.line` = 2, `EntryAdapter.structuredMetadata` = 3
/// (`LabelPairAdapter`: name = 1, value = 2). Zero scalars are omitted, as proto3 allows.
///
/// Every message's size is computed before it is written (the entries' sizes were computed when
/// they were prepared), so the body is written in one pass straight into the output buffer.
enum LokiProtobufEncoder {
    /// The wire-format tags used (field number << 3 | wire type).
    private static let lengthDelimitedField1: UInt8 = 0x0A
    private static let lengthDelimitedField2: UInt8 = 0x12
    private static let lengthDelimitedField3: UInt8 = 0x1A
    private static let varintField1: UInt8 = 0x08
    private static let varintField2: UInt8 = 0x10

    /// An upper bound of the bytes a stream adds to a request besides its entries.
    static func streamOverhead(_ stream: LokiStream) -> Int {
        1 + 5 + ProtobufSizes.delimited(stream.labelString.count)
    }

    /// The bytes an entry adds to its stream.
    @inline(__always)
    static func entryCost(_ entry: EntryStore.Entry) -> Int {
        ProtobufSizes.delimited(entry.encodedSize)
    }

    /// Appends the `PushRequest` for the entries at `order` (grouped by stream: entries of one
    /// stream are consecutive) to `body`.
    ///
    /// - Parameters:
    ///   - order: Indices into `store.entries`, grouped by stream, each stream's entries oldest first.
    ///   - store: The prepared entries.
    ///   - streams: The streams, by id.
    ///   - body: The buffer the message is appended to.
    static func encode(_ order: ArraySlice<Int>, store: EntryStore, streams: [LokiStream], into body: LineBuffer) {
        let entries = store.entries
        let lines = store.lines
        var runStart = order.startIndex
        while runStart < order.endIndex {
            let streamID = entries[order[runStart]].stream
            var runEnd = runStart
            var streamSize = 0
            while runEnd < order.endIndex, entries[order[runEnd]].stream == streamID {
                streamSize += entryCost(entries[order[runEnd]])
                runEnd += 1
            }
            let labels = streams[streamID].labelString
            streamSize += ProtobufSizes.delimited(labels.count)
            body.reserve(ProtobufSizes.delimited(streamSize))
            body.append(lengthDelimitedField1)
            body.appendVarint(UInt64(streamSize))
            body.append(lengthDelimitedField1)
            body.appendVarint(UInt64(labels.count))
            labels.withUnsafeBytes { body.append($0) }
            for position in runStart..<runEnd {
                writeEntry(entries[order[position]], lines: lines, store: store, into: body)
            }
            runStart = runEnd
        }
    }

    @inline(__always)
    private static func writeEntry(_ entry: EntryStore.Entry, lines: LineBuffer, store: EntryStore, into body: LineBuffer) {
        let (seconds, nanos) = ProtobufSizes.split(entry.timestamp)
        let lineLength = entry.lineLength
        let lineIsStored = entry.lineStart >= 0 && lineLength >= 0 && entry.lineStart <= lines.count - lineLength
        let copied = lineIsStored ? lineLength : 0
        let source = lines.base + (lineIsStored ? entry.lineStart : 0)
        // The entry's tag and size, its timestamp and its line's header take at most 50 bytes: one
        // capacity check for the whole entry, then plain stores and one copy of the line.
        body.appendUninitialized(maximum: 64 + copied) { destination in
            var position = 0
            @inline(__always) func put(_ byte: UInt8) {
                destination[position] = byte
                position += 1
            }
            @inline(__always) func putVarint(_ value: UInt64) {
                position += LineBuffer.writeVarint(value, to: destination + position)
            }
            put(lengthDelimitedField2)
            putVarint(UInt64(entry.encodedSize))
            put(lengthDelimitedField1)
            putVarint(UInt64(ProtobufSizes.timestampBody(seconds: seconds, nanos: nanos)))
            if seconds != 0 {
                put(varintField1)
                putVarint(UInt64(bitPattern: seconds))
            }
            if nanos != 0 {
                put(varintField2)
                putVarint(UInt64(UInt32(bitPattern: nanos)))
            }
            put(lengthDelimitedField2)
            putVarint(UInt64(lineLength))
            (destination + position).update(from: source, count: copied)
            return position + copied
        }
        guard entry.metadataCount > 0 else { return }
        let text = store.metadataText
        for index in entry.metadataStart..<(entry.metadataStart + entry.metadataCount) {
            let pair = store.metadata[index]
            let pairSize = ProtobufSizes.delimited(pair.nameLength) + ProtobufSizes.delimited(pair.valueLength)
            body.append(lengthDelimitedField3)
            body.appendVarint(UInt64(pairSize))
            body.append(lengthDelimitedField1)
            body.appendVarint(UInt64(pair.nameLength))
            body.append(text, offset: pair.nameStart, count: pair.nameLength)
            body.append(lengthDelimitedField2)
            body.appendVarint(UInt64(pair.valueLength))
            body.append(text, offset: pair.valueStart, count: pair.valueLength)
        }
    }
}
