import AsyncSinks

/// Finds the stream of each record and creates streams, up to the configured limit.
///
/// A record's stream is decided by its level (when it is a label), its logger (when it is a label)
/// and the values of its promoted fields. The registry looks streams up by a hash of those values
/// and compares them, so finding an existing stream allocates nothing; the label texts are built
/// once per new stream. Beyond ``maxStreams`` distinct streams, records go to the overflow stream
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
    private var buckets: [Int: [Int]] = [:]
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
        if !schema.promoted.isEmpty {
            for index in scratch.indices { scratch[index] = nil }
            var present = 0
            FieldWalker.forEachFlattenedField(of: record) { key, value in
                guard let index = schema.promotedPosition(of: key) else { return }
                if Self.isPromotable(value) {
                    if scratch[index] == nil { present += 1 }
                    scratch[index] = value
                } else {
                    noteNotPromoted(key)
                }
            }
            if present > schema.promotedBudget {
                var kept = 0
                for index in scratch.indices where scratch[index] != nil {
                    if kept < schema.promotedBudget {
                        kept += 1
                    } else {
                        scratch[index] = nil
                        noteNotPromoted(schema.promoted[index].key)
                    }
                }
            }
        }
        let level: LogLevel? = schema.levelName == nil ? nil : record.level
        let logger: String? = schema.loggerName == nil || record.label.isEmpty ? nil : record.label
        var hasher = Hasher()
        hasher.combine(level)
        hasher.combine(logger)
        for value in scratch { hasher.combine(value) }
        let hash = hasher.finalize()
        if let candidates = buckets[hash] {
            for id in candidates {
                let stream = streams[id]
                if stream.level == level, stream.logger == logger, stream.promotedValues == scratch {
                    return .stream(id)
                }
            }
        }
        if regularStreams >= maxStreams {
            limitReached = true
            if limitPolicy.action == .drop { return .dropForStreamLimit }
            overflowed += 1
            return .stream(overflowStream())
        }
        let id = createStream(level: level, logger: logger, promoted: scratch, overflow: false)
        buckets[hash, default: []].append(id)
        regularStreams += 1
        if levelDecides { streamByLevel[Int(record.level.rawValue)] = id }
        return .stream(id)
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
        let id = createStream(level: nil, logger: nil, promoted: Array(repeating: nil, count: schema.promoted.count), overflow: true)
        overflowID = id
        return id
    }

    private func createStream(level: LogLevel?, logger: String?, promoted: [LogValue?], overflow: Bool) -> Int {
        var labels = schema.staticLabels
        if let level, let name = schema.levelName { labels.append((name, level.name)) }
        if let logger, let name = schema.loggerName { labels.append((name, logger)) }
        for (index, value) in promoted.enumerated() {
            guard let value else { continue }
            labels.append((schema.promoted[index].name, Self.text(of: value)))
        }
        let texts = LokiStream.labelTexts(labels)
        let id = streams.count
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
