import AsyncSinks

/// Finds the stream of each record and creates streams, up to the configured limit.
///
/// A record's stream is decided by its level (when it is a label), its logger (when it is a label)
/// and the values of its promoted fields. The registry looks streams up by a hash of those values
/// in its own open-addressing table and compares them, so finding an existing stream allocates
/// nothing and hashes only a few bytes; the label texts are built once per new stream. Beyond ``maxStreams`` distinct streams, records go to the overflow stream
/// (static labels only) or are dropped, as the policy says.
///
/// Used by one thread at a time (the sink's writer).
final class StreamRegistry {
    /// Where a record goes.
    enum Resolution {
        /// The stream with this id.
        case stream(Int)
        /// Nowhere: the stream limit is reached and the policy drops.
        case dropForStreamLimit
    }

    let schema: LabelSchema
    let maxStreams: Int
    let shardCount: Int
    let limitPolicy: LokiStreamLimitPolicy
    private(set) var streams: [LokiStream] = []
    /// Open-addressing table of stream ids (`-1` = empty), probed linearly from a stream's hash.
    private var table: [Int] = Array(repeating: -1, count: 64)
    /// The hash of each stream, by id (overflow stream included, never in the table).
    private var hashes: [UInt64] = []
    private var overflowID: Int?
    private var regularStreams = 0
    private var scratch: [LogValue?]

    /// Whether the stream limit was reached (at least one record did not get its own stream).
    private(set) var limitReached = false
    /// Promoted fields that stayed in a line, counted since the last ``takeCounters()``.
    private var notPromoted = 0
    /// Records sent to the overflow stream since the last ``takeCounters()``.
    private var overflowed = 0
    /// Keys already reported as not promoted.
    private(set) var reportedKeys: Set<String> = []
    /// Keys not promoted for the first time since the last ``takeCounters()``, to report.
    private var newlyUnpromotedKeys: [String] = []

    /// Creates a registry.
    init(schema: LabelSchema, maxStreams: Int, shardCount: Int, limitPolicy: LokiStreamLimitPolicy) {
        self.schema = schema
        self.maxStreams = max(1, maxStreams)
        self.shardCount = max(1, shardCount)
        self.limitPolicy = limitPolicy
        self.scratch = Array(repeating: nil, count: schema.promoted.count)
    }

    /// The stream with `id`.
    @inline(__always)
    func stream(_ id: Int) -> LokiStream {
        streams[id]
    }

    /// Streams by level, when the level alone decides the stream (no promoted fields, no logger label).
    private var streamByLevel: [Int?] = Array(repeating: nil, count: LogLevel.allCases.count)

    /// Finds or creates the stream for `record`.
    func resolve(_ record: LogRecord) -> Resolution {
        let schema = self.schema
        let levelDecides = schema.promoted.isEmpty && schema.loggerName == nil
        if levelDecides, let id = streamByLevel[Int(record.level.rawValue)] {
            return .stream(id)
        }
        // Taken out of the property while in use, so it is mutated in place without the
        // property's access checks (and without a copy).
        var values = scratch
        scratch = []
        defer { scratch = values }
        if !schema.promoted.isEmpty {
            for index in values.indices { values[index] = nil }
            var present = 0
            FieldWalker.forEachFlattenedField(of: record) { key, value in
                guard let index = schema.promotedPosition(of: key) else { return }
                if Self.isPromotable(value) {
                    if values[index] == nil { present += 1 }
                    values[index] = value
                } else {
                    noteNotPromoted(key)
                }
            }
            if present > schema.promotedBudget {
                var kept = 0
                for index in values.indices where values[index] != nil {
                    if kept < schema.promotedBudget {
                        kept += 1
                    } else {
                        values[index] = nil
                        noteNotPromoted(schema.promoted[index].key)
                    }
                }
            }
        }
        let level: LogLevel? = schema.levelName == nil ? nil : record.level
        let logger: String? = schema.loggerName == nil || record.label.isEmpty ? nil : record.label
        let hash = Self.hash(level: level, logger: logger, values: values)
        if let id = find(hash: hash, level: level, logger: logger, values: values) {
            return .stream(id)
        }
        if regularStreams >= maxStreams {
            limitReached = true
            if limitPolicy.action == .drop { return .dropForStreamLimit }
            overflowed += 1
            return .stream(overflowStream())
        }
        let id = createStream(level: level, logger: logger, promoted: values, overflow: false, hash: hash)
        insert(id, hash: hash)
        regularStreams += 1
        if levelDecides { streamByLevel[Int(record.level.rawValue)] = id }
        return .stream(id)
    }

    /// The existing stream with these label values, or `nil`.
    private func find(hash: UInt64, level: LogLevel?, logger: String?, values: [LogValue?]) -> Int? {
        let table = self.table, hashes = self.hashes, streams = self.streams
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = table[slot]
            if id < 0 { break }
            if hashes[id] == hash {
                let stream = streams[id]
                if stream.level == level, stream.logger == logger, stream.promotedValues == values {
                    return id
                }
            }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Puts stream `id` into the table, doubling it when it becomes half full.
    private func insert(_ id: Int, hash: UInt64) {
        if (regularStreams + 1) * 2 > table.count {
            table = Array(repeating: -1, count: table.count * 2)
            for (other, stream) in streams.enumerated() where !stream.isOverflow && other != id {
                place(other, hash: hashes[other])
            }
        }
        place(id, hash: hash)
    }

    private func place(_ id: Int, hash: UInt64) {
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while table[slot] >= 0 { slot = (slot + 1) & mask }
        table[slot] = id
    }

    /// A cheap hash (FNV-1a, then mixed) of what decides a stream, consistent with `==` on the
    /// values: a non-ASCII string hashes as one fixed byte, since canonically equivalent strings
    /// are equal with different bytes, and both zeros hash alike.
    static func hash(level: LogLevel?, logger: String?, values: [LogValue?]) -> UInt64 {
        var state: UInt64 = 0xCBF2_9CE4_8422_2325
        @inline(__always) func mix(_ byte: UInt64) {
            state = (state ^ byte) &* 0x0000_0100_0000_01B3
        }
        @inline(__always) func mix(_ text: String) {
            let before = state
            var ascii = true
            for byte in text.utf8 {
                mix(UInt64(byte))
                ascii = ascii && byte < 0x80
            }
            if !ascii {
                state = before
                mix(0xEE)
            }
            mix(0xFF)
        }
        mix(level.map { UInt64($0.rawValue) } ?? 0xFE)
        if let logger { mix(logger) } else { mix(0xFE) }
        for value in values {
            switch value {
            case nil: mix(0xF0)
            case .string(let text)?:
                mix(0xF1)
                mix(text)
            case .int(let number)?:
                mix(0xF2)
                mix(UInt64(bitPattern: number))
            case .double(let number)?:
                mix(0xF3)
                mix(number == 0 ? 0 : number.bitPattern)
            case .bool(let flag)?:
                mix(flag ? 0xF4 : 0xF5)
            case .group?:
                mix(0xF6)
            }
        }
        // Spread the high bits into the low ones, which pick the slot.
        state ^= state >> 29
        state = state &* 0xBF58_476D_1CE4_E5B9
        return state ^ (state >> 32)
    }

    /// Whether a field value can be a label value: a non-empty scalar of at most 2048 bytes.
    private static func isPromotable(_ value: LogValue) -> Bool {
        switch value {
        case .string(let text): !text.isEmpty && text.utf8.count <= LabelSchema.maxValueBytes
        case .int, .double, .bool: true
        case .group: false
        }
    }

    private func noteNotPromoted(_ key: String) {
        notPromoted += 1
        if !reportedKeys.contains(key) {
            reportedKeys.insert(key)
            newlyUnpromotedKeys.append(key)
        }
    }

    private func overflowStream() -> Int {
        if let overflowID { return overflowID }
        let id = createStream(
            level: nil, logger: nil, promoted: Array(repeating: nil, count: schema.promoted.count), overflow: true, hash: 0)
        overflowID = id
        return id
    }

    private func createStream(level: LogLevel?, logger: String?, promoted: [LogValue?], overflow: Bool, hash: UInt64) -> Int {
        var labels = schema.staticLabels
        if let level, let name = schema.levelName { labels.append((name, level.name)) }
        if let logger, let name = schema.loggerName { labels.append((name, logger)) }
        for (index, value) in promoted.enumerated() {
            guard let value else { continue }
            labels.append((schema.promoted[index].name, Self.text(of: value)))
        }
        let texts = LokiStream.labelTexts(labels)
        let id = streams.count
        hashes.append(hash)
        let shard = Int(LokiStream.stableHash(texts.selector) % UInt64(shardCount))
        streams.append(LokiStream(
            id: id, labelString: texts.selector, jsonObject: texts.json, shard: shard,
            level: level, logger: logger, promotedValues: promoted, isOverflow: overflow))
        return id
    }

    /// The text of a scalar value, as used for labels.
    static func text(of value: LogValue) -> String {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): number.description
        case .bool(let flag): flag ? "true" : "false"
        case .group: ""
        }
    }

    /// Returns and resets the counters gathered since the last call.
    func takeCounters() -> (notPromoted: Int, overflowed: Int, newKeys: [String]) {
        defer {
            notPromoted = 0
            overflowed = 0
            newlyUnpromotedKeys.removeAll()
        }
        return (notPromoted, overflowed, newlyUnpromotedKeys)
    }
}
