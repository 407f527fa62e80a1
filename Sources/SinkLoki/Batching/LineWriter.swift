import AsyncSinks

/// Writes one entry's line and routes its fields to the line or to structured metadata.
///
/// - logfmt: `msg="..." key=value key="quoted value"`; values are quoted when empty or when they
///   contain spaces, `=`, `"`, `\`, control characters (C0, DEL, C1) or U+FEFF, and escaped inside the
///   quotes; keys have those characters replaced by `_`.
/// - JSON: `{"msg":"...","key":value}` with numbers and booleans unquoted; non-finite doubles are
///   the strings `NaN`, `+Inf` and `-Inf`.
/// - message only: the message as it is; fields go to metadata or are left out.
///
/// Escaping, key sanitising and numbers are the core formatters' (`FieldEncoding`); the one rule of
/// this writer's own is that a backslash quotes a logfmt value and is replaced in a logfmt key, so
/// LogQL's `| logfmt` reads every value back exactly.
struct LineWriter {
    /// The line syntax, without the formatter payload of ``LokiLineFormat/Style`` (cheap to switch on).
    enum Syntax {
        case logfmt
        case json
        /// The message alone, or a line written by a custom formatter: fields are not written.
        case none

        init(_ style: LokiLineFormat.Style) {
            switch style {
            case .logfmt: self = .logfmt
            case .json: self = .json
            case .messageOnly, .formatter: self = .none
            }
        }
    }

    let style: Syntax
    let lines: LineBuffer
    let store: EntryStore
    /// The structured-metadata selection, or `nil` when none is sent.
    let metadata: LokiStructuredMetadata?
    /// The line forms of the keys written lately, kept across writes.
    let keyForms: LineFormCache
    /// The line starts (`msg=...`, `{"msg":...`) of the messages written lately, kept across writes.
    let messageForms: LineFormCache
    private var metadataPairs = 0
    /// The number of fields written into the current line.
    private var lineFields = 0

    init(
        style: Syntax, lines: LineBuffer, store: EntryStore, metadata: LokiStructuredMetadata?,
        keyForms: LineFormCache, messageForms: LineFormCache
    ) {
        self.style = style
        self.lines = lines
        self.store = store
        self.metadata = metadata
        self.keyForms = keyForms
        self.messageForms = messageForms
    }

    /// Starts a new entry: its structured-metadata pairs and line fields are counted from zero.
    mutating func startEntry() {
        metadataPairs = 0
        lineFields = 0
    }

    /// Writes the start of the line with the message; a message written lately is copied from
    /// ``messageForms``.
    @inline(__always)
    func begin(message: String) {
        if case .none = style {
            lines.append(message)
            return
        }
        guard let slot = appendKeptForm(of: message, place: 0, from: messageForms) else { return }
        let start = lines.count
        if case .json = style {
            StaticString("{\"msg\":").withUTF8Buffer { lines.appendShort($0) }
            FieldEncoding.appendJSONString(message, to: lines)
        } else {
            StaticString("msg=").withUTF8Buffer { lines.appendShort($0) }
            Self.appendLogfmtString(message, to: lines)
        }
        if slot >= 0 { messageForms.keep(message, slot: slot, formFrom: start, of: lines) }
    }

    /// Writes the end of the line.
    func end() {
        if case .json = style { lines.append(UInt8(ascii: "}")) }
    }

    /// Sends one field to structured metadata or writes it into the line.
    mutating func field(_ key: String, _ value: LogValue) {
        if let metadata, metadataPairs < EntryPreparer.maxMetadataPairs, metadata.selects(key) {
            metadataPairs += 1
            appendMetadata(key, value)
            return
        }
        switch style {
        case .logfmt:
            appendKey(key)
            switch value {
            case .string(let text): Self.appendLogfmtString(text, to: lines)
            case .int(let number): lines.appendDecimal(number)
            case .double(let number):
                if number.isFinite {
                    FieldEncoding.appendFiniteDouble(number, to: lines)
                } else {
                    FieldEncoding.appendNonFinite(number, to: lines)
                }
            case .bool(let flag): lines.append(flag ? StaticString("true") : StaticString("false"))
            case .group: lines.append(StaticString("{}"))
            }
        case .json:
            appendKey(key)
            switch value {
            case .string(let text): FieldEncoding.appendJSONString(text, to: lines)
            case .int(let number): lines.appendDecimal(number)
            case .double(let number):
                if number.isFinite {
                    FieldEncoding.appendFiniteDouble(number, to: lines)
                } else {
                    lines.append(UInt8(ascii: "\""))
                    FieldEncoding.appendNonFinite(number, to: lines)
                    lines.append(UInt8(ascii: "\""))
                }
            case .bool(let flag): lines.append(flag ? StaticString("true") : StaticString("false"))
            case .group: lines.append(StaticString("{}"))
            }
        case .none:
            break
        }
    }

    /// Writes the key of a field and what separates it from the line before and from the value:
    /// ` key=` in logfmt, `,"key":` in JSON. A key written at the same place in an earlier line
    /// is copied from ``keyForms``.
    @inline(__always)
    private mutating func appendKey(_ key: String) {
        let place = lineFields
        lineFields &+= 1
        guard let slot = appendKeptForm(of: key, place: place, from: keyForms) else { return }
        let start = lines.count
        if case .json = style {
            lines.append(UInt8(ascii: ","))
            FieldEncoding.appendJSONString(key, to: lines)
            lines.append(UInt8(ascii: ":"))
        } else {
            lines.append(UInt8(ascii: " "))
            Self.appendLogfmtKey(key, to: lines)
            lines.append(UInt8(ascii: "="))
        }
        if slot >= 0 { keyForms.keep(key, slot: slot, formFrom: start, of: lines) }
    }

    /// Appends the form of `text` at `place` kept in `cache` and returns `nil`; when the cache does
    /// not hold it, returns the slot to keep its form in once written, or -1 when the cache is paused.
    ///
    /// The callers write the form themselves on a miss: a closure doing it would capture the writer
    /// and retain its references on every call.
    @inline(__always)
    private func appendKeptForm(of text: String, place: Int, from cache: LineFormCache) -> Int? {
        guard cache.isLooking() else { return -1 }
        let slot = LineFormCache.slot(place: place, byteCount: text.utf8.count)
        return cache.appendForm(of: text, slot: slot, to: lines) ? nil : slot
    }

    /// Writes a string field into the line after its prebuilt key (` key=` or `,"key":`), for a
    /// key the writer already knows goes to the line.
    func stringField(prebuiltKey: UnsafeBufferPointer<UInt8>, _ text: String) {
        switch style {
        case .logfmt:
            lines.appendShort(prebuiltKey)
            Self.appendLogfmtString(text, to: lines)
        case .json:
            lines.appendShort(prebuiltKey)
            FieldEncoding.appendJSONString(text, to: lines)
        case .none:
            break
        }
    }

    private func appendMetadata(_ key: String, _ value: LogValue) {
        let text = store.metadataText
        let nameStart = text.count
        LabelNameSanitizer.appendSanitized(key, to: text)
        let valueStart = text.count
        switch value {
        case .string(let string): text.append(string)
        case .int(let number): text.appendDecimal(number)
        case .double(let number):
            if number.isFinite {
                FieldEncoding.appendFiniteDouble(number, to: text)
            } else {
                FieldEncoding.appendNonFinite(number, to: text)
            }
        case .bool(let flag): text.append(flag ? StaticString("true") : StaticString("false"))
        case .group: break
        }
        store.append(EntryStore.MetadataPair(
            nameStart: nameStart, nameLength: valueStart - nameStart,
            valueStart: valueStart, valueLength: text.count - valueStart))
    }

    /// Appends a logfmt key: bytes that would break the pair, and `\`, are replaced with `_`.
    ///
    /// - Parameters:
    ///   - key: The key.
    ///   - buffer: The buffer to append to.
    static func appendLogfmtKey(_ key: String, to buffer: LineBuffer) {
        FieldEncoding.appendLogfmtKey(key, replacingBackslashes: true, to: buffer)
    }

    /// Appends a logfmt value, quoted and escaped when it is empty or holds a byte that would break
    /// the pair, or `\`.
    ///
    /// - Parameters:
    ///   - value: The value.
    ///   - buffer: The buffer to append to.
    static func appendLogfmtString(_ value: String, to buffer: LineBuffer) {
        FieldEncoding.appendLogfmtString(value, quotingBackslashes: true, to: buffer)
    }
}
