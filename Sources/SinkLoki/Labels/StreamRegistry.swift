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

    /// The state read and written for every record, kept behind a pointer: reading it needs no
    /// dynamic exclusivity checks and no reference counting of the arrays.
    private struct State {
        var streams: [LokiStream] = []
        /// Open-addressing table of stream ids (`-1` = empty), probed linearly from a stream's hash.
        var table: [Int] = Array(repeating: -1, count: 64)
        /// The hash of each stream, by id (overflow stream included, never in the table).
        var hashes: [UInt64] = []
        /// What decides each stream, by id, kept apart from the ``LokiStream`` objects so that
        /// comparing a record with a stream retains no object: its level, its logger, and its
        /// promoted values (`promotedCount` per stream, back to back).
        var levels: [LogLevel?] = []
        var loggers: [String?] = []
        var promotedValues: [LogValue?] = []
        /// Streams by level, when the level alone decides the stream (no promoted fields, no logger label).
        var streamByLevel: [Int] = Array(repeating: -1, count: LogLevel.allCases.count)
        /// For the record being resolved, by position in the schema: the walk position of the
        /// field whose value is the label value (the last promotable one with the key), or -1.
        var valueOrdinals: UnsafeMutablePointer<Int>
        /// For the record being resolved, by position in the schema: the hash of the label value.
        var valueHashes: UnsafeMutablePointer<UInt64>
        /// The borrowed label values of the record being scanned (``PromotedScan``), by position in
        /// the schema: never initialised or deinitialised.
        var scannedValues: UnsafeMutablePointer<LogValue>
        /// Which positions of ``scannedValues`` hold a value.
        var scannedPresence: UnsafeMutablePointer<Bool>
        /// The promoted position (or -1) of each flattened field of the last resolved record.
        var fieldPositions: UnsafeMutablePointer<Int32>
        var fieldCapacity: Int
        /// The number of flattened fields of the last resolved record whose positions are known.
        var fieldCount = 0
        /// Whether each promoted position is a label of the last resolved record's stream.
        var labelPositions: UnsafeMutablePointer<Bool>
    }

    let schema: LabelSchema
    let maxStreams: Int
    let shardCount: Int
    let limitPolicy: LokiStreamLimitPolicy
    private let state: UnsafeMutablePointer<State>
    private let promotedCount: Int
    private var overflowID: Int?
    private var regularStreams = 0

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
        let promotedCount = schema.promoted.count
        self.promotedCount = promotedCount
        let valueOrdinals = UnsafeMutablePointer<Int>.allocate(capacity: max(1, promotedCount))
        valueOrdinals.initialize(repeating: -1, count: max(1, promotedCount))
        let valueHashes = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, promotedCount))
        valueHashes.initialize(repeating: 0, count: max(1, promotedCount))
        let scannedValues = UnsafeMutablePointer<LogValue>.allocate(capacity: max(1, promotedCount))
        let scannedPresence = UnsafeMutablePointer<Bool>.allocate(capacity: max(1, promotedCount))
        scannedPresence.initialize(repeating: false, count: max(1, promotedCount))
        let labelPositions = UnsafeMutablePointer<Bool>.allocate(capacity: max(1, promotedCount))
        labelPositions.initialize(repeating: false, count: max(1, promotedCount))
        let fieldCapacity = 32
        let fieldPositions = UnsafeMutablePointer<Int32>.allocate(capacity: fieldCapacity)
        fieldPositions.initialize(repeating: -1, count: fieldCapacity)
        state = UnsafeMutablePointer<State>.allocate(capacity: 1)
        state.initialize(to: State(
            valueOrdinals: valueOrdinals, valueHashes: valueHashes, scannedValues: scannedValues, scannedPresence: scannedPresence,
            fieldPositions: fieldPositions, fieldCapacity: fieldCapacity, labelPositions: labelPositions))
    }

    deinit {
        state.pointee.valueOrdinals.deallocate()
        state.pointee.valueHashes.deallocate()
        state.pointee.scannedValues.deallocate()
        state.pointee.scannedPresence.deallocate()
        state.pointee.labelPositions.deallocate()
        state.pointee.fieldPositions.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// The streams, by id.
    var streams: [LokiStream] { state.pointee.streams }

    /// The stream with `id`.
    @inline(__always)
    func stream(_ id: Int) -> LokiStream {
        state.pointee.streams[id]
    }

    /// Which fields of the last resolved record are labels of its stream, by the field's position
    /// in the flattened walk (``FieldWalker``). Valid until the next ``resolve(_:)``.
    var labelFields: LabelFields {
        LabelFields(
            positions: state.pointee.fieldPositions, count: state.pointee.fieldCount,
            labelPositions: state.pointee.labelPositions)
    }

    /// Finds or creates the stream for `record`.
    func resolve(_ record: LogRecord) -> Resolution {
        var record = record
        return resolve(&record)
    }

    /// Finds or creates the stream for `record`, and records which of its fields are labels of the
    /// stream (``labelFields``).
    ///
    /// The record is never written: it is taken `inout` only so that it is read in place, where a
    /// borrowed value loaded from an array would be copied (a retain and a release of each of its
    /// reference-counted members).
    func resolve(_ record: inout LogRecord) -> Resolution {
        let state = self.state
        let promotedCount = self.promotedCount
        let level: LogLevel? = schema.levelName == nil ? nil : record.level
        let usesLogger = schema.loggerName != nil && !record.label.isEmpty
        state.pointee.fieldCount = 0
        if promotedCount == 0, !usesLogger {
            let slot = Int(record.level.rawValue)
            let known = state.pointee.streamByLevel[slot]
            if known >= 0 { return .stream(known) }
        }
        if promotedCount > 0 {
            scanPromotedFields(&record)
        }
        let logger: String? = usesLogger ? record.label : nil
        let ordinals = state.pointee.valueOrdinals
        let valueHashes = state.pointee.valueHashes
        let hash = Self.hash(level: level, logger: logger, count: promotedCount) { ordinals[$0] >= 0 ? valueHashes[$0] : nil }
        if let id = find(hash: hash, level: level, logger: logger, record: &record) {
            markLabels(overflow: false)
            return .stream(id)
        }
        if regularStreams >= maxStreams {
            limitReached = true
            if limitPolicy.action == .drop { return .dropForStreamLimit }
            overflowed += 1
            markLabels(overflow: true)
            return .stream(overflowStream())
        }
        let promoted = promotedValues(of: &record)
        let id = createStream(level: level, logger: logger, promoted: promoted, overflow: false, hash: hash)
        insert(id, hash: hash)
        regularStreams += 1
        if promotedCount == 0, logger == nil { state.pointee.streamByLevel[Int(record.level.rawValue)] = id }
        markLabels(overflow: false)
        return .stream(id)
    }

    /// Starts collecting the promoted fields of a record (see ``resolveScanned(_:level:logger:)``).
    func startScan() -> PromotedScan {
        PromotedScan(
            values: state.pointee.scannedValues, presence: state.pointee.scannedPresence,
            hashes: state.pointee.valueHashes, count: promotedCount)
    }

    /// Finds or creates the stream of a record from its scan, or returns `nil`, with nothing
    /// changed or counted, when the record needs ``resolve(_:)-(inout)``: its scan is not simple,
    /// it has more promoted fields than the label budget, or its stream would be new beyond the
    /// stream limit.
    ///
    /// The stream found has a label for each promoted field of the record, and only those.
    ///
    /// - Parameters:
    ///   - scan: The record's promoted fields.
    ///   - level: The record's level when it is a label.
    ///   - logger: The record's logger when it is a label.
    /// - Returns: The stream's id, or `nil`.
    func resolveScanned(_ scan: PromotedScan, level: LogLevel?, logger: String?) -> Int? {
        guard scan.isSimple, scan.present <= schema.promotedBudget else { return nil }
        let state = self.state
        let promotedCount = self.promotedCount
        state.pointee.fieldCount = 0
        let levelDecides = promotedCount == 0 && logger == nil
        // Without a level label every level has the one stream: any slot serves.
        let levelSlot = Int(level?.rawValue ?? 0)
        if levelDecides {
            let known = state.pointee.streamByLevel[levelSlot]
            if known >= 0 { return known }
        }
        let valueHashes = scan.hashes
        let hash = Self.hash(level: level, logger: logger, count: promotedCount) {
            scan.hasValue(at: $0) ? valueHashes[$0] : nil
        }
        let mask = state.pointee.table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = state.pointee.table[slot]
            if id < 0 { break }
            if state.pointee.hashes[id] == hash, state.pointee.levels[id] == level, state.pointee.loggers[id] == logger {
                let same = state.pointee.promotedValues.withUnsafeBufferPointer { streamValues in
                    let base = id * promotedCount
                    guard base + promotedCount <= streamValues.count else { return false }
                    for index in 0..<promotedCount where !scan.value(at: index, equals: streamValues[base + index]) {
                        return false
                    }
                    return true
                }
                if same { return id }
            }
            slot = (slot + 1) & mask
        }
        guard regularStreams < maxStreams else { return nil }
        let promoted = (0..<promotedCount).map { scan.ownedValue(at: $0) }
        let id = createStream(level: level, logger: logger, promoted: promoted, overflow: false, hash: hash)
        insert(id, hash: hash)
        regularStreams += 1
        if levelDecides { state.pointee.streamByLevel[levelSlot] = id }
        return id
    }

    /// Finds the promoted fields of `record`: for each promoted key, the walk position and the hash
    /// of its label value (the last promotable value with the key), within the label budget; and
    /// the promoted position of each flattened field. Copies no value.
    private func scanPromotedFields(_ record: inout LogRecord) {
        let state = self.state
        let schema = self.schema
        let ordinals = state.pointee.valueOrdinals
        let hashes = state.pointee.valueHashes
        for index in 0..<promotedCount { ordinals[index] = -1 }
        var present = 0
        var ordinal = 0
        var unpromotable: [String] = []
        FieldWalker.forEachFlattenedField(of: &record) { key, value in
            if ordinal == state.pointee.fieldCapacity { Self.growFieldPositions(state) }
            guard let index = schema.promotedPosition(of: key) else {
                state.pointee.fieldPositions[ordinal] = -1
                ordinal += 1
                return
            }
            state.pointee.fieldPositions[ordinal] = Int32(truncatingIfNeeded: index)
            if Self.isPromotable(value) {
                if ordinals[index] < 0 { present += 1 }
                ordinals[index] = ordinal
                hashes[index] = Self.hash(of: value)
            } else {
                unpromotable.append(key)
            }
            ordinal += 1
        }
        state.pointee.fieldCount = ordinal
        for key in unpromotable { noteNotPromoted(key) }
        if present > schema.promotedBudget {
            var kept = 0
            for index in 0..<promotedCount where ordinals[index] >= 0 {
                if kept < schema.promotedBudget {
                    kept += 1
                } else {
                    ordinals[index] = -1
                    noteNotPromoted(schema.promoted[index].key)
                }
            }
        }
    }

    /// Calls `body` with the promoted position and the value of each label value of the last
    /// scanned record (`record`).
    @inline(__always)
    private func forEachLabelValue(of record: inout LogRecord, _ body: (Int, LogValue) -> Void) {
        let state = self.state
        let ordinals = state.pointee.valueOrdinals
        let positions = state.pointee.fieldPositions
        let count = state.pointee.fieldCount
        var ordinal = 0
        FieldWalker.forEachFlattenedField(of: &record) { _, value in
            defer { ordinal += 1 }
            guard ordinal < count else { return }
            let position = Int(positions[ordinal])
            if position >= 0, ordinals[position] == ordinal { body(position, value) }
        }
    }

    /// The label values of the last scanned record (`record`), by promoted position.
    private func promotedValues(of record: inout LogRecord) -> [LogValue?] {
        var values: [LogValue?] = Array(repeating: nil, count: promotedCount)
        forEachLabelValue(of: &record) { position, value in values[position] = value }
        return values
    }

    private static func growFieldPositions(_ state: UnsafeMutablePointer<State>) {
        let old = state.pointee.fieldPositions
        let capacity = state.pointee.fieldCapacity
        let grown = UnsafeMutablePointer<Int32>.allocate(capacity: capacity * 2)
        grown.initialize(repeating: -1, count: capacity * 2)
        grown.update(from: old, count: capacity)
        old.deallocate()
        state.pointee.fieldPositions = grown
        state.pointee.fieldCapacity = capacity * 2
    }

    /// Notes which promoted positions are labels of the resolved stream: those with a value, unless
    /// the record goes to the overflow stream (static labels only).
    @inline(__always)
    private func markLabels(overflow: Bool) {
        let ordinals = state.pointee.valueOrdinals
        let labels = state.pointee.labelPositions
        for index in 0..<promotedCount { labels[index] = !overflow && ordinals[index] >= 0 }
    }

    /// The existing stream with the label values of the last scanned record (`record`), or `nil`.
    private func find(hash: UInt64, level: LogLevel?, logger: String?, record: inout LogRecord) -> Int? {
        let state = self.state
        let ordinals = state.pointee.valueOrdinals
        let promotedCount = self.promotedCount
        let mask = state.pointee.table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = state.pointee.table[slot]
            if id < 0 { break }
            if state.pointee.hashes[id] == hash {
                let stream = state.pointee.streams[id]
                if stream.level == level, stream.logger == logger {
                    let same = stream.promotedValues.withUnsafeBufferPointer { streamValues in
                        guard streamValues.count == promotedCount else { return false }
                        var present = false
                        for index in 0..<promotedCount {
                            let isLabel = ordinals[index] >= 0
                            guard isLabel == (streamValues[index] != nil) else { return false }
                            present = present || isLabel
                        }
                        guard present else { return true }
                        var equal = true
                        forEachLabelValue(of: &record) { position, value in
                            if equal, !Self.equals(value, streamValues[position]) { equal = false }
                        }
                        return equal
                    }
                    if same { return id }
                }
            }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Whether `value` equals `other` (`==` of the values, without copying them).
    @inline(__always)
    static func equals(_ value: LogValue, _ other: LogValue?) -> Bool {
        switch (value, other) {
        case (.string(let left), .string(let right)?): left == right
        case (.int(let left), .int(let right)?): left == right
        case (.double(let left), .double(let right)?): left == right
        case (.bool(let left), .bool(let right)?): left == right
        default: false
        }
    }

    /// Puts stream `id` into the table, doubling it when it becomes half full.
    private func insert(_ id: Int, hash: UInt64) {
        if (regularStreams + 1) * 2 > state.pointee.table.count {
            state.pointee.table = Array(repeating: -1, count: state.pointee.table.count * 2)
            for (other, stream) in state.pointee.streams.enumerated() where !stream.isOverflow && other != id {
                place(other, hash: state.pointee.hashes[other])
            }
        }
        place(id, hash: hash)
    }

    private func place(_ id: Int, hash: UInt64) {
        let mask = state.pointee.table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while state.pointee.table[slot] >= 0 { slot = (slot + 1) & mask }
        state.pointee.table[slot] = id
    }

    /// A cheap hash of what decides a stream, from the hash (``hash(of:)``) of the label value at
    /// each promoted position (`nil` when absent).
    @inline(__always)
    static func hash(level: LogLevel?, logger: String?, count: Int, valueHash: (Int) -> UInt64?) -> UInt64 {
        var state = mixedHash(level.map { UInt64($0.rawValue) } ?? 0xFE, logger.map { hash(of: .string($0)) } ?? 0xFE)
        for index in 0..<count {
            state = mixedHash(state, valueHash(index) ?? 0xF0)
        }
        return state
    }

    @inline(__always)
    private static func mixedHash(_ state: UInt64, _ value: UInt64) -> UInt64 {
        var mixed = (state ^ value) &* 0xBF58_476D_1CE4_E5B9
        mixed ^= mixed >> 31
        return mixed &* 0x94D0_49BB_1331_11EB
    }

    /// A cheap hash of a label value, consistent with `==`: a non-ASCII string hashes as one fixed
    /// value, since canonically equivalent strings are equal with different bytes, and both zeros
    /// hash alike.
    static func hash(of value: LogValue) -> UInt64 {
        switch value {
        case .string(let text):
            let hashed = text.utf8.withContiguousStorageIfAvailable { Self.hash(asciiBytes: $0) }
                ?? Array(text.utf8).withUnsafeBufferPointer { Self.hash(asciiBytes: $0) }
            return hashed ?? 0xEE
        case .int(let number): return mixedHash(0xF2, UInt64(bitPattern: number))
        case .double(let number): return mixedHash(0xF3, number == 0 ? 0 : number.bitPattern)
        case .bool(let flag): return flag ? 0xF4 : 0xF5
        case .group: return 0xF6
        }
    }

    /// The hash of UTF-8 text read eight bytes at a time, or `nil` when it is not all ASCII.
    @inline(__always)
    private static func hash(asciiBytes bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard let start = bytes.baseAddress else { return mixedHash(0xF1, 0) }
        let count = bytes.count
        let raw = UnsafeRawPointer(start)
        var state: UInt64 = 0xF1
        var highBits: UInt64 = 0
        var index = 0
        while index &+ 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            highBits |= word
            state = (state ^ word) &* 0x9E37_79B9_7F4A_7C15
            state ^= state >> 29
            index &+= 8
        }
        // The last zero to seven bytes, read as at most three loads (4, 2 and 1 bytes).
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        if count &- index >= 4 {
            tail = UInt64(raw.loadUnaligned(fromByteOffset: index, as: UInt32.self))
            shift = 32
            index &+= 4
        }
        if count &- index >= 2 {
            tail |= UInt64(raw.loadUnaligned(fromByteOffset: index, as: UInt16.self)) &<< shift
            shift &+= 16
            index &+= 2
        }
        if index < count {
            tail |= UInt64(start[index]) &<< shift
        }
        highBits |= tail
        state = (state ^ tail) &* 0x9E37_79B9_7F4A_7C15
        guard highBits & 0x8080_8080_8080_8080 == 0 else { return nil }
        return mixedHash(state, UInt64(count))
    }

    @inline(__always)
    static func isPromotable(_ value: LogValue) -> Bool {
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
        let id = state.pointee.streams.count
        state.pointee.hashes.append(hash)
        state.pointee.levels.append(level)
        state.pointee.loggers.append(logger)
        state.pointee.promotedValues.append(contentsOf: promoted)
        let shard = Int(LokiStream.stableHash(texts.selector) % UInt64(shardCount))
        state.pointee.streams.append(LokiStream(
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
