import AsyncSinks

/// Writes one entry's line and routes its fields to the line or to structured metadata.
///
/// - logfmt: `msg="..." key=value key="quoted value"`; values are quoted when empty or when they
///   contain spaces, `=`, `"`, `\` or control characters; keys have those characters replaced by `_`.
/// - JSON: `{"msg":"...","key":value}` with numbers and booleans unquoted; non-finite doubles are
///   the strings `NaN`, `+Inf` and `-Inf`.
/// - message only: the message as it is; fields go to metadata or are left out.
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
    let lines: ByteBuffer
    let store: EntryStore
    /// The structured-metadata selection, or `nil` when none is sent.
    let metadata: LokiStructuredMetadata?
    private var metadataPairs = 0

    init(style: Syntax, lines: ByteBuffer, store: EntryStore, metadata: LokiStructuredMetadata?) {
        self.style = style
        self.lines = lines
        self.store = store
        self.metadata = metadata
    }

    /// Writes the start of the line with the message.
    func begin(message: String) {
        switch style {
        case .logfmt:
            lines.append(StaticString("msg="))
            Self.appendLogfmtString(message, to: lines)
        case .json:
            lines.append(StaticString("{\"msg\":"))
            JSONEscaping.appendQuoted(message, to: lines)
        case .none:
            lines.append(message)
        }
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
            lines.append(UInt8(ascii: " "))
            Self.appendLogfmtKey(key, to: lines)
            lines.append(UInt8(ascii: "="))
            switch value {
            case .string(let text): Self.appendLogfmtString(text, to: lines)
            case .int(let number): lines.appendDecimal(number)
            case .double(let number): Self.appendDouble(number, quotedNonFinite: false, to: lines)
            case .bool(let flag): lines.append(flag ? StaticString("true") : StaticString("false"))
            case .group: lines.append(StaticString("{}"))
            }
        case .json:
            lines.append(UInt8(ascii: ","))
            JSONEscaping.appendQuoted(key, to: lines)
            lines.append(UInt8(ascii: ":"))
            switch value {
            case .string(let text): JSONEscaping.appendQuoted(text, to: lines)
            case .int(let number): lines.appendDecimal(number)
            case .double(let number): Self.appendDouble(number, quotedNonFinite: true, to: lines)
            case .bool(let flag): lines.append(flag ? StaticString("true") : StaticString("false"))
            case .group: lines.append(StaticString("{}"))
            }
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
            if number.isFinite { text.append(number.description) } else { text.append(Self.nonFiniteName(number)) }
        case .bool(let flag): text.append(flag ? StaticString("true") : StaticString("false"))
        case .group: break
        }
        store.metadata.append(EntryStore.MetadataPair(
            nameStart: nameStart, nameLength: valueStart - nameStart,
            valueStart: valueStart, valueLength: text.count - valueStart))
    }

    private static func nonFiniteName(_ number: Double) -> StaticString {
        number.isNaN ? "NaN" : (number > 0 ? "+Inf" : "-Inf")
    }

    private static func appendDouble(_ number: Double, quotedNonFinite: Bool, to buffer: ByteBuffer) {
        if number.isFinite {
            buffer.append(number.description)
        } else {
            if quotedNonFinite { buffer.append(UInt8(ascii: "\"")) }
            buffer.append(nonFiniteName(number))
            if quotedNonFinite { buffer.append(UInt8(ascii: "\"")) }
        }
    }

    /// Whether a logfmt value byte forces quoting.
    @inline(__always)
    private static func needsQuoting(_ byte: UInt8) -> Bool {
        byte <= 0x20 || byte == 0x22 || byte == 0x3D || byte == 0x5C || byte == 0x7F
    }

    /// Appends a logfmt key: bytes that would break the pair are replaced with `_`.
    static func appendLogfmtKey(_ key: String, to buffer: ByteBuffer) {
        if key.isEmpty {
            buffer.append(UInt8(ascii: "_"))
            return
        }
        var key = key
        key.withUTF8 { bytes in
            var clean = true
            for byte in bytes where needsQuoting(byte) {
                clean = false
                break
            }
            if clean {
                buffer.append(UnsafeRawBufferPointer(bytes))
                return
            }
            buffer.reserve(bytes.count)
            for byte in bytes { buffer.append(needsQuoting(byte) ? UInt8(ascii: "_") : byte) }
        }
    }

    /// Appends a logfmt value, quoted and escaped when needed; runs of plain bytes are copied at once.
    static func appendLogfmtString(_ value: String, to buffer: ByteBuffer) {
        var value = value
        value.withUTF8 { bytes in
            var firstSpecial = bytes.count
            for index in 0..<bytes.count where needsQuoting(bytes[index]) {
                firstSpecial = index
                break
            }
            if firstSpecial == bytes.count, !bytes.isEmpty {
                buffer.append(UnsafeRawBufferPointer(bytes))
                return
            }
            buffer.append(UInt8(ascii: "\""))
            var runStart = 0
            var index = firstSpecial
            while index < bytes.count {
                let byte = bytes[index]
                guard needsEscape(byte) else {
                    index += 1
                    continue
                }
                if index > runStart {
                    buffer.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart..<index])))
                }
                switch byte {
                case 0x22: buffer.append(0x5C); buffer.append(0x22)
                case 0x5C: buffer.append(0x5C); buffer.append(0x5C)
                case 0x0A: buffer.append(0x5C); buffer.append(UInt8(ascii: "n"))
                case 0x0D: buffer.append(0x5C); buffer.append(UInt8(ascii: "r"))
                case 0x09: buffer.append(0x5C); buffer.append(UInt8(ascii: "t"))
                default:
                    buffer.append(StaticString("\\u00"))
                    buffer.append(LabelValueQuoting.hexDigit(byte >> 4))
                    buffer.append(LabelValueQuoting.hexDigit(byte & 0x0F))
                }
                index += 1
                runStart = index
            }
            if bytes.count > runStart {
                buffer.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count])))
            }
            buffer.append(UInt8(ascii: "\""))
        }
    }

    /// Whether a byte inside a quoted logfmt value must be escaped.
    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F
    }
}
