import AsyncSinks

/// Turns records into prepared entries: checks their age, writes their line and structured metadata
/// into the ``EntryStore`` arenas, and computes their encoded size.
///
/// The line holds the message and every field that is neither a label of the record's stream nor
/// sent as structured metadata, in the configured ``LokiLineFormat``. Nothing is allocated per
/// record on this path except for non-integral doubles (formatted with `description`) and attached errors.
final class EntryPreparer {
    /// The result of preparing one record.
    ///
    /// Holds no reference-counted payload, so returning it costs nothing for the many records
    /// that are prepared.
    enum Outcome: Equatable {
        /// The entry was appended to the store.
        case prepared(truncated: Bool)
        /// The record must be dropped: its line is longer than the limit and the policy drops.
        case droppedLineTooLong
    }

    /// Structured metadata pairs beyond this number stay in the line (Loki's limit per entry).
    static let maxMetadataPairs = 128

    let schema: LabelSchema
    let lineFormat: LokiLineFormat
    let syntax: LineWriter.Syntax
    let customFormatter: (any LogFormatter)?
    /// Whether ``customFormatter`` is set.
    let hasCustomFormatter: Bool
    /// The structured-metadata selection, or `nil` when none is sent.
    let metadata: LokiStructuredMetadata?
    let isJSON: Bool
    let maxLineBytes: Int
    let oversizedLinePolicy: LokiOversizedLinePolicy
    let maxAgeNanoseconds: Int64?
    let maxFutureNanoseconds: Int64?
    /// The name of each level, by raw value (built once, so writing it costs no conversion).
    let levelNames: [String]
    /// The level field as written into a line (` level=info` or `,"level":"info"`) for each level,
    /// back to back, when the level goes to the line as text: built once, appended as it is, and
    /// read in place (no reference counting per entry).
    private let levelFieldBytes: UnsafeMutableBufferPointer<UInt8>
    /// Where each level's field starts in ``levelFieldBytes`` and its length, by raw value.
    private let levelFieldRanges: UnsafeMutableBufferPointer<Range<Int>>
    /// The logger field's key as written into a line (` logger=` or `,"logger":`), when the logger
    /// goes to the line as text; empty otherwise.
    private let loggerKeyBytes: UnsafeMutableBufferPointer<UInt8>
    /// The line forms of the field keys written lately.
    private let keyForms = LineFormCache.forKeys()
    /// The line starts of the messages written lately.
    private let messageForms = LineFormCache.forMessages()

    /// Creates a preparer from the sink's configuration.
    ///
    /// - Parameters:
    ///   - configuration: The sink's configuration.
    ///   - schema: The sink's label schema.
    ///   - metadataEnabled: Whether structured metadata is sent (false after Loki refused it).
    init(configuration: LokiSinkConfiguration, schema: LabelSchema, metadataEnabled: Bool) {
        self.schema = schema
        self.lineFormat = configuration.lineFormat
        self.metadata = metadataEnabled && !configuration.structuredMetadata.isOff ? configuration.structuredMetadata : nil
        self.syntax = LineWriter.Syntax(configuration.lineFormat.style)
        if case .formatter(let formatter) = configuration.lineFormat.style {
            self.customFormatter = formatter
            self.hasCustomFormatter = true
        } else {
            self.customFormatter = nil
            self.hasCustomFormatter = false
        }
        self.isJSON = configuration.encoding.isJSON
        self.maxLineBytes = max(64, configuration.maxLineBytes)
        self.oversizedLinePolicy = configuration.oversizedLinePolicy
        self.maxAgeNanoseconds = configuration.maxEntryAge.map { Self.nanoseconds($0) }
        self.maxFutureNanoseconds = configuration.maxFutureSkew.map { Self.nanoseconds($0) }
        var levelNames = Array(repeating: "", count: LogLevel.allCases.count)
        for level in LogLevel.allCases where Int(level.rawValue) < levelNames.count {
            levelNames[Int(level.rawValue)] = level.name
        }
        self.levelNames = levelNames
        let levelIsMetadata = metadata?.selects("level") ?? false
        let texts: [[UInt8]]
        switch syntax {
        case .logfmt where !levelIsMetadata: texts = levelNames.map { Array(" level=\($0)".utf8) }
        case .json where !levelIsMetadata: texts = levelNames.map { Array(#","level":"\#($0)""#.utf8) }
        case .logfmt, .json, .none: texts = []
        }
        let bytes = texts.flatMap { $0 }
        self.levelFieldBytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = self.levelFieldBytes.initialize(from: bytes)
        var ranges: [Range<Int>] = []
        var start = 0
        for text in texts {
            ranges.append(start..<(start + text.count))
            start += text.count
        }
        self.levelFieldRanges = UnsafeMutableBufferPointer<Range<Int>>.allocate(capacity: ranges.count)
        _ = self.levelFieldRanges.initialize(from: ranges)
        let loggerIsMetadata = metadata?.selects("logger") ?? false
        let loggerKey: [UInt8]
        switch syntax {
        case .logfmt where !loggerIsMetadata: loggerKey = Array(" logger=".utf8)
        case .json where !loggerIsMetadata: loggerKey = Array(#","logger":"#.utf8)
        case .logfmt, .json, .none: loggerKey = []
        }
        self.loggerKeyBytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: loggerKey.count)
        _ = self.loggerKeyBytes.initialize(from: loggerKey)
    }

    deinit {
        levelFieldBytes.deallocate()
        levelFieldRanges.deallocate()
        loggerKeyBytes.deallocate()
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds.multipliedReportingOverflow(by: 1_000_000_000).overflow
            ? Int64.max : seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }

    /// Why Loki would refuse a record for its timestamp.
    enum AgeViolation {
        case tooOld
        case tooFarInFuture

        /// The drop reason reported for the record.
        var reason: DropReason {
            switch self {
            case .tooOld: .lokiTooOld
            case .tooFarInFuture: .lokiTooFarInFuture
            }
        }
    }

    /// Why Loki would refuse a record with `timestamp`, or `nil` when it accepts its age.
    ///
    /// A plain enum rather than the ``DropReason`` (which holds a string), so the check costs no
    /// reference counting for the records that pass it.
    @inline(__always)
    func ageCheck(_ timestamp: LogTimestamp, now: LogTimestamp) -> AgeViolation? {
        let difference = now.nanosecondsSinceEpoch.subtractingReportingOverflow(timestamp.nanosecondsSinceEpoch)
        if let maxAge = maxAgeNanoseconds, !difference.overflow, difference.partialValue > maxAge {
            return .tooOld
        }
        if let maxFuture = maxFutureNanoseconds, !difference.overflow, difference.partialValue < 0,
            difference.partialValue.magnitude > UInt64(maxFuture)
        {
            return .tooFarInFuture
        }
        return nil
    }

    /// Prepares `record` (at `index` in the batch) for `stream` and appends it to `store`.
    ///
    /// Finds the fields that are labels of the stream by their keys; the sink's own path
    /// (``prepare(_:index:stream:labels:writer:into:)``) reuses what the registry found instead.
    func prepare(_ record: LogRecord, index: Int, stream: LokiStream, into store: EntryStore) -> Outcome {
        var writer = makeWriter(for: store)
        var record = record
        return prepare(&record, index: index, stream: stream, labels: nil, writer: &writer, into: store)
    }

    /// A line writer for the entries of one write, appending to `store`.
    func makeWriter(for store: EntryStore) -> LineWriter {
        LineWriter(style: syntax, lines: store.lines, store: store, metadata: metadata,
                   keyForms: keyForms, messageForms: messageForms)
    }

    /// Prepares `record` (at `index` in the batch) while finding its stream, in one walk of its
    /// fields: the line is written as the promoted fields are collected, and the stream is looked up
    /// (or created) from them afterwards. The common case.
    ///
    /// Returns `nil`, with nothing appended and nothing counted, when the record needs the full path
    /// (``StreamRegistry/resolve(_:)-(inout)`` then ``prepare(_:index:stream:labels:writer:into:)``):
    /// a promoted key repeated or with a value that cannot be a label, more promoted fields than
    /// the label budget, or a new stream beyond the stream limit.
    ///
    /// - Parameters:
    ///   - record: The record. Never written: taken `inout` so it is read in place, not copied.
    ///   - index: The record's index in the batch.
    ///   - registry: The sink's streams.
    ///   - writer: The writer of this write's lines (from ``makeWriter(for:)``).
    ///   - store: The store the entry is appended to.
    /// - Returns: Whether the entry was prepared or why it is dropped, or `nil` for the full path.
    func prepareInOneWalk(
        _ record: inout LogRecord, index: Int, registry: StreamRegistry, writer: inout LineWriter, into store: EntryStore
    ) -> Outcome? {
        let start = EntryStart(store)
        let schema = self.schema
        writeStart(of: &record, levelInLine: schema.levelName == nil, loggerInLine: schema.loggerName == nil,
                   writer: &writer, store: store)
        var scan = registry.startScan()
        if schema.promoted.isEmpty {
            FieldWalker.forEachFlattenedField(of: &record) { key, value in writer.field(key, value) }
        } else {
            // The walk inlines this closure once per place a field can come from; captured as a
            // strong reference, the schema was retained for each of them and released after, on
            // every record (~11% of the encoding's samples in a profile on an Intel host). It is
            // read unretained here: `schema` above keeps it alive for the whole walk.
            let unretainedSchema = Unmanaged.passUnretained(schema)
            FieldWalker.forEachFlattenedField(of: &record) { key, value in
                if let position = unretainedSchema._withUnsafeGuaranteedRef({ $0.promotedPosition(of: key) }) {
                    scan.offer(position, value)
                } else {
                    writer.field(key, value)
                }
            }
        }
        writeEnd(of: &record, writer: &writer)
        let level: LogLevel? = schema.levelName == nil ? nil : record.level
        let logger: String? = schema.loggerName == nil || record.label.isEmpty ? nil : record.label
        guard let streamID = registry.resolveScanned(scan, level: level, logger: logger) else {
            start.rollBack(store)
            return nil
        }
        return finishEntry(start, timestamp: record.timestamp.nanosecondsSinceEpoch, index: index, stream: streamID, store: store)
    }

    /// Prepares `record` (at `index` in the batch) for `stream` and appends it to `store`.
    ///
    /// - Parameters:
    ///   - record: The record. Never written: taken `inout` so it is read in place, not copied.
    ///   - index: The record's index in the batch.
    ///   - stream: The record's stream.
    ///   - labels: Which of the record's fields are labels of the stream, as the registry found when
    ///     it resolved this record; `nil` to find them by their keys.
    ///   - writer: The writer of this write's lines (from ``makeWriter(for:)``).
    ///   - store: The store the entry is appended to.
    /// - Returns: Whether the entry was prepared or why it is dropped.
    func prepare(
        _ record: inout LogRecord, index: Int, stream: LokiStream, labels: LabelFields?,
        writer: inout LineWriter, into store: EntryStore
    ) -> Outcome {
        let start = EntryStart(store)
        writeStart(of: &record, levelInLine: stream.level == nil, loggerInLine: stream.logger == nil,
                   writer: &writer, store: store)
        if let labels {
            var ordinal = 0
            FieldWalker.forEachFlattenedField(of: &record) { key, value in
                defer { ordinal += 1 }
                if labels.isLabel(ordinal) { return }
                writer.field(key, value)
            }
        } else {
            let schema = self.schema
            let checksPromotion = !schema.promoted.isEmpty
            FieldWalker.forEachFlattenedField(of: &record) { key, value in
                if checksPromotion, let promoted = schema.promotedPosition(of: key), stream.promotes(promoted) { return }
                writer.field(key, value)
            }
        }
        writeEnd(of: &record, writer: &writer)
        return finishEntry(start, timestamp: record.timestamp.nanosecondsSinceEpoch, index: index, stream: stream.id, store: store)
    }

    /// Where an entry starts in the store's arenas, to complete it or to take it back.
    struct EntryStart {
        let line: Int
        let metadata: Int
        let metadataText: Int

        init(_ store: EntryStore) {
            line = store.lines.count
            metadata = store.metadataCount
            metadataText = store.metadataText.count
        }

        /// Removes what was written for the entry.
        func rollBack(_ store: EntryStore) {
            store.lines.truncate(to: line)
            store.removeMetadata(from: metadata)
            store.metadataText.truncate(to: metadataText)
        }
    }

    /// Writes the start of the line (the message, or a custom formatter's line) and the level and
    /// logger when they are not labels.
    @inline(__always)
    private func writeStart(
        of record: inout LogRecord, levelInLine: Bool, loggerInLine: Bool, writer: inout LineWriter, store: EntryStore
    ) {
        writer.startEntry()
        // Tested as a flag first: binding the optional existential copies it (and its reference).
        if hasCustomFormatter, let formatter = customFormatter {
            let lines = store.lines
            let scratch = store.formatterScratch
            scratch.removeAll()
            formatter.format(record, into: scratch)
            scratch.withUnsafeReadableBytes { bytes in
                var line = bytes
                while let last = line.last, last == 0x0A || last == 0x0D { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
                lines.append(line)
            }
        } else {
            writer.begin(message: record.message)
        }
        if levelInLine {
            let level = Int(record.level.rawValue)
            if level < levelFieldRanges.count {
                store.lines.appendShort(UnsafeBufferPointer(rebasing: levelFieldBytes[levelFieldRanges[level]]))
            } else {
                writer.field("level", .string(levelNames[level]))
            }
        }
        if loggerInLine, !record.label.isEmpty {
            if loggerKeyBytes.isEmpty {
                writer.field("logger", .string(record.label))
            } else {
                writer.stringField(prebuiltKey: UnsafeBufferPointer(loggerKeyBytes), record.label)
            }
        }
    }

    /// Writes the attached error, if any, and the end of the line.
    @inline(__always)
    private func writeEnd(of record: inout LogRecord, writer: inout LineWriter) {
        if let error = record.error {
            writer.field("error", .string(String(describing: error)))
        }
        writer.end()
    }

    /// Applies the line limit to the entry that starts at `start`, computes its encoded size and
    /// appends it to the store's entries.
    private func finishEntry(_ start: EntryStart, timestamp: Int64, index: Int, stream: Int, store: EntryStore) -> Outcome {
        let lines = store.lines
        let lineStart = start.line
        let metadataStart = start.metadata
        var lineLength = lines.count - lineStart
        var truncated = false
        if lineLength > maxLineBytes {
            if oversizedLinePolicy.action == .drop {
                start.rollBack(store)
                return .droppedLineTooLong
            }
            lineLength = Self.truncate(lines, start: lineStart, maxLength: maxLineBytes)
            truncated = true
        }

        let metadataCount = store.metadataCount - metadataStart
        let size: Int
        if isJSON {
            size = jsonSize(store: store, timestamp: timestamp, lineStart: lineStart,
                            lineLength: lineLength, metadataStart: metadataStart, metadataCount: metadataCount)
        } else {
            var pairs = 0
            if metadataCount > 0 {
                store.withMetadata(metadataStart..<(metadataStart + metadataCount)) { metadata in
                    for pair in metadata {
                        pairs += ProtobufSizes.metadataField(nameLength: pair.nameLength, valueLength: pair.valueLength)
                    }
                }
            }
            size = ProtobufSizes.entryBody(timestamp: timestamp, lineLength: lineLength,
                                           metadataPairsSize: pairs)
        }
        store.append(EntryStore.Entry(
            recordIndex: index, stream: stream, timestamp: timestamp,
            lineStart: lineStart, lineLength: lineLength, metadataStart: metadataStart,
            metadataCount: metadataCount, encodedSize: size))
        return .prepared(truncated: truncated)
    }

    /// Cuts the line that starts at `start` to at most `maxLength` bytes, at a character boundary,
    /// ending with the truncation marker; returns the new length.
    static func truncate(_ lines: LineBuffer, start: Int, maxLength: Int) -> Int {
        let marker = LokiOversizedLinePolicy.truncationMarker
        let markerLength = marker.utf8.count
        var cut = start + max(0, maxLength - markerLength)
        // Back up over UTF-8 continuation bytes so no character is split.
        while cut > start, lines.base[cut] & 0xC0 == 0x80 { cut -= 1 }
        lines.truncate(to: cut)
        lines.append(marker)
        return lines.count - start
    }

    private func jsonSize(store: EntryStore, timestamp: Int64, lineStart: Int, lineLength: Int,
                          metadataStart: Int, metadataCount: Int) -> Int {
        // ["<ts>","<line>"] or ["<ts>","<line>",{"n":"v",...}]
        let digits = timestamp < 0
            ? 1 + LineBuffer.decimalDigitCount(timestamp.magnitude) : LineBuffer.decimalDigitCount(UInt64(timestamp))
        let line = FieldEncoding.escapedLength(
            UnsafeBufferPointer(start: store.lines.base + lineStart, count: lineLength), quotesAndBackslashes: true)
        var size = 1 + (digits + 2) + 1 + (line + 2) + 1
        if metadataCount > 0 {
            size += 1 + 2 + (metadataCount - 1)
            let text = store.metadataText.base
            for pair in store.metadata[metadataStart..<(metadataStart + metadataCount)] {
                size += FieldEncoding.escapedLength(
                    UnsafeBufferPointer(start: text + pair.nameStart, count: pair.nameLength), quotesAndBackslashes: true)
                size += FieldEncoding.escapedLength(
                    UnsafeBufferPointer(start: text + pair.valueStart, count: pair.valueLength), quotesAndBackslashes: true)
                size += 5
            }
        }
        return size
    }
}
