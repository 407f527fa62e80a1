/// The label names of a sink, sanitised and checked once, when the sink is created.
///
/// A class, so the hot paths read it without copying (and retaining) its arrays.
///
/// Static labels come first, then the level label, then the logger label, then the promoted fields
/// in their configured order. A name that collides with an earlier one after sanitising is not used
/// (the field stays in the line); the collision is reported as a diagnostic.
final class LabelSchema: Sendable {
    /// One promoted field: its key in records and its label name.
    struct PromotedField: Sendable, Hashable {
        let key: String
        let name: String
    }

    /// The static labels (sanitised names, non-empty values), in configuration order of names.
    let staticLabels: [(name: String, value: String)]
    /// The level label's name, or `nil` when the level goes to the line.
    let levelName: String?
    /// The logger label's name, or `nil` when the logger goes to the line.
    let loggerName: String?
    /// The promoted fields, in priority order.
    let promoted: [PromotedField]
    /// The index in ``promoted`` of each promoted key.
    let promotedIndex: [String: Int]
    /// The promoted keys, in the order of ``promoted``.
    let promotedKeys: [String]
    /// The UTF-8 byte count of each of ``promotedKeys``.
    let promotedKeyLengths: [Int]
    /// How many promoted labels a stream may carry on top of the static, level and logger labels.
    let promotedBudget: Int
    /// Adjustments made to the configuration, reported as diagnostics when the sink starts.
    let adjustments: [String]

    /// Up to this many promoted keys, a key is looked up by comparing it with each (cheaper than
    /// hashing it); beyond, through ``promotedIndex``.
    static let linearLookupLimit = 8

    /// The index in ``promoted`` of `key`, or `nil` when it is not promoted.
    @inline(__always)
    func promotedPosition(of key: String) -> Int? {
        let keys = promotedKeys
        if keys.count <= Self.linearLookupLimit {
            // Byte counts first: most keys differ in length, which is cheaper to see than to compare.
            let length = key.utf8.count
            return promotedKeyLengths.withUnsafeBufferPointer { lengths in
                for index in lengths.indices where lengths[index] == length && keys[index] == key { return index }
                return nil
            }
        }
        return promotedIndex[key]
    }

    /// The longest label value Loki accepts, in bytes.
    static let maxValueBytes = 2048

    /// Builds the schema.
    ///
    /// - Throws: ``LokiConfigurationError`` when the static labels alone exceed the label limit.
    init(configuration: LokiSinkConfiguration) throws(LokiConfigurationError) {
        var adjustments: [String] = []
        var used: Set<String> = []
        var statics: [(name: String, value: String)] = []
        for (rawName, value) in configuration.staticLabels.sorted(by: { $0.key < $1.key }) {
            let name = LabelNameSanitizer.sanitize(rawName)
            if name != rawName { adjustments.append("static label name \"\(rawName)\" sanitised to \"\(name)\"") }
            if value.isEmpty {
                adjustments.append("static label \"\(name)\" has an empty value and is left out")
                continue
            }
            if used.contains(name) {
                throw LokiConfigurationError("two static labels are both named \"\(name)\" after sanitising")
            }
            if value.utf8.count > Self.maxValueBytes {
                throw LokiConfigurationError("the value of static label \"\(name)\" is longer than \(Self.maxValueBytes) bytes")
            }
            used.insert(name)
            statics.append((name, value))
        }
        let countedStatics = statics.filter { $0.name != "service_name" }.count
        var budget = configuration.maxLabelsPerStream - countedStatics
        if budget < 0 {
            throw LokiConfigurationError(
                "\(countedStatics) static labels exceed the limit of \(configuration.maxLabelsPerStream) labels per stream")
        }

        func claim(_ rawName: String?, role: String) -> String? {
            guard let rawName else { return nil }
            let name = LabelNameSanitizer.sanitize(rawName)
            if name != rawName { adjustments.append("\(role) label name \"\(rawName)\" sanitised to \"\(name)\"") }
            if used.contains(name) {
                adjustments.append("\(role) label \"\(name)\" collides with a static label; the \(role) goes to the line")
                return nil
            }
            if budget == 0 {
                adjustments.append("no room for the \(role) label within the label limit; the \(role) goes to the line")
                return nil
            }
            used.insert(name)
            budget -= 1
            return name
        }
        levelName = claim(configuration.levelLabel, role: "level")
        loggerName = claim(configuration.loggerLabel, role: "logger")

        var promoted: [PromotedField] = []
        var index: [String: Int] = [:]
        for key in configuration.promotedFields where !configuration.excludedFields.contains(key) && index[key] == nil {
            let name = LabelNameSanitizer.sanitize(key)
            if used.contains(name) {
                adjustments.append("field \"\(key)\" is not promoted: label name \"\(name)\" is already used")
                continue
            }
            used.insert(name)
            index[key] = promoted.count
            promoted.append(PromotedField(key: key, name: name))
        }
        self.staticLabels = statics
        self.promoted = promoted
        self.promotedIndex = index
        self.promotedKeys = promoted.map(\.key)
        self.promotedKeyLengths = promoted.map(\.key.utf8.count)
        self.promotedBudget = budget
        self.adjustments = adjustments
    }
}
