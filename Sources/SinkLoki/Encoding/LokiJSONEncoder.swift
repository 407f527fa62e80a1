import AsyncSinks

/// Encodes prepared entries as Loki's JSON push body:
/// `{"streams":[{"stream":{"app":"api"},"values":[["<ns>","line",{"trace_id":"abc"}]]}]}`.
///
/// Timestamps are strings of nanoseconds since the epoch; structured metadata, when an entry has
/// any, is the third element of its value array, with string values only.
enum LokiJSONEncoder {
    /// The bytes of `{"streams":[` and `]}`.
    static let requestOverhead = 14

    /// An upper bound of the bytes a stream adds to a request besides its entries.
    static func streamOverhead(_ stream: LokiStream) -> Int {
        // {"stream":<object>,"values":[ ... ]} plus a separating comma
        10 + stream.jsonObject.count + 11 + 2 + 1
    }

    /// The bytes an entry adds to its stream (its value array and a separating comma).
    @inline(__always)
    static func entryCost(_ entry: EntryStore.Entry) -> Int {
        entry.encodedSize + 1
    }

    /// Appends the JSON body for the entries at `order` (grouped by stream) to `body`.
    ///
    /// - Parameters:
    ///   - order: Indices into `store.entries`, grouped by stream, each stream's entries oldest first.
    ///   - store: The prepared entries.
    ///   - streams: The streams, by id.
    ///   - body: The buffer the body is appended to.
    static func encode(_ order: ArraySlice<Int>, store: EntryStore, streams: [LokiStream], into body: LineBuffer) {
        body.append(StaticString("{\"streams\":["))
        let entries = store.entries
        var previousStream = -1
        for position in order.indices {
            let entry = entries[order[position]]
            if entry.stream != previousStream {
                if previousStream >= 0 { body.append(StaticString("]},")) }
                body.append(StaticString("{\"stream\":"))
                streams[entry.stream].jsonObject.withUnsafeBytes { body.append($0) }
                body.append(StaticString(",\"values\":["))
                previousStream = entry.stream
            } else {
                body.append(UInt8(ascii: ","))
            }
            body.append(StaticString("[\""))
            body.appendDecimal(entry.timestamp)
            body.append(StaticString("\",\""))
            FieldEncoding.appendEscaped(
                UnsafeBufferPointer(start: store.lines.base + entry.lineStart, count: entry.lineLength),
                quotesAndBackslashes: true, to: body)
            body.append(UInt8(ascii: "\""))
            if entry.metadataCount > 0 {
                body.append(StaticString(",{"))
                let text = store.metadataText
                for index in entry.metadataStart..<(entry.metadataStart + entry.metadataCount) {
                    let pair = store.metadata[index]
                    if index > entry.metadataStart { body.append(UInt8(ascii: ",")) }
                    body.append(UInt8(ascii: "\""))
                    FieldEncoding.appendEscaped(
                        UnsafeBufferPointer(start: text.base + pair.nameStart, count: pair.nameLength),
                        quotesAndBackslashes: true, to: body)
                    body.append(StaticString("\":\""))
                    FieldEncoding.appendEscaped(
                        UnsafeBufferPointer(start: text.base + pair.valueStart, count: pair.valueLength),
                        quotesAndBackslashes: true, to: body)
                    body.append(UInt8(ascii: "\""))
                }
                body.append(UInt8(ascii: "}"))
            }
            body.append(UInt8(ascii: "]"))
        }
        if previousStream >= 0 { body.append(StaticString("]}")) }
        body.append(StaticString("]}"))
    }
}
