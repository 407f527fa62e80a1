/// The byte-level encoding rules the built-in formatters share: escaping, logfmt quoting and key
/// sanitising, numbers, and flattening of grouped fields.
///
/// Everything writes straight into a ``LineBuffer``. Strings are scanned eight bytes at a time (a word
/// of plain ASCII is recognised with a few bit operations) and copied in runs, so text without special
/// characters costs one scan and one copy.
///
/// Characters that could break a line or drive a terminal are always escaped: the C0 controls
/// (U+0000...U+001F), DEL (U+007F) and the C1 controls (U+0080...U+009F, which include the 8-bit CSI
/// that some terminals honour). They are written as `\n`, `\r`, `\t`, or `\u00XX` with lowercase hex.
/// The byte order mark U+FEFF is escaped too (`\ufeff`), because some readers silently strip it.
///
/// The functions other modules of this package share (the Loki sink writes its lines with them) have
/// `package` access.
package enum FieldEncoding {
    // MARK: Escaping

    /// Appends `text` with control characters escaped and, when `quotesAndBackslashes` is set, `"` and
    /// `\` escaped too (the escaping of a JSON string or a quoted logfmt value, without the quotes).
    ///
    /// - Parameters:
    ///   - text: The text.
    ///   - quotesAndBackslashes: Whether `"` and `\` are escaped as well.
    ///   - buffer: The buffer to append to.
    @inline(__always)
    static func appendEscaped(_ text: String, quotesAndBackslashes: Bool, to buffer: LineBuffer) {
        text.withUTF8Bytes { appendEscaped($0, quotesAndBackslashes: quotesAndBackslashes, to: buffer) }
    }

    /// Appends `bytes` with control characters escaped and, when `quotesAndBackslashes` is set, `"` and
    /// `\` escaped too; ``escapedLength(_:quotesAndBackslashes:)`` is the number of bytes it appends.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 text.
    ///   - quotesAndBackslashes: Whether `"` and `\` are escaped as well (JSON string content).
    ///   - buffer: The buffer to append to.
    package static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, quotesAndBackslashes: Bool, to buffer: LineBuffer) {
        guard let start = bytes.baseAddress else { return }
        let count = bytes.count
        buffer.reserve(count)
        var runStart = 0
        var index = 0
        var bytewiseUntil = 0
        while index < count {
            if index >= bytewiseUntil, index &+ 8 <= count {
                let word = loadWord(start, at: index)
                if quotesAndBackslashes ? isPlainForQuotedText(word) : isPlainText(word) {
                    index &+= 8
                    continue
                }
                bytewiseUntil = index &+ 8
            }
            let byte = start[index]
            if !isCandidate(byte, quotesAndBackslashes: quotesAndBackslashes) {
                index &+= 1
                continue
            }
            let escapedLength: Int
            if byte == 0x22 || byte == 0x5C {
                guard quotesAndBackslashes else {
                    index += 1
                    continue
                }
                escapedLength = 1
            } else if byte == 0xC2 {
                // U+0080...U+009F are encoded as C2 80...C2 9F.
                guard index + 1 < count, start[index + 1] <= 0x9F else {
                    index += 1
                    continue
                }
                escapedLength = 2
            } else if byte == 0xEF {
                // U+FEFF is encoded as EF BB BF.
                guard isByteOrderMark(start, at: index, count: count) else {
                    index += 1
                    continue
                }
                escapedLength = 3
            } else {
                escapedLength = 1
            }
            if index > runStart {
                buffer.append(UnsafeRawBufferPointer(start: start + runStart, count: index - runStart))
            }
            if escapedLength == 3 {
                buffer.append(#"\ufeff"# as StaticString)
            } else if escapedLength == 2 {
                appendUnicodeEscape(start[index + 1], to: buffer)
            } else {
                appendEscape(of: byte, to: buffer)
            }
            index += escapedLength
            runStart = index
        }
        if count > runStart {
            buffer.append(UnsafeRawBufferPointer(start: start + runStart, count: count - runStart))
        }
    }

    /// The number of bytes `appendEscaped(_:quotesAndBackslashes:to:)` appends for `bytes`, for sizing
    /// a request before writing it.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 text.
    ///   - quotesAndBackslashes: Whether `"` and `\` are escaped as well.
    /// - Returns: The escaped length in bytes, without quotes.
    package static func escapedLength(_ bytes: UnsafeBufferPointer<UInt8>, quotesAndBackslashes: Bool) -> Int {
        guard let start = bytes.baseAddress else { return 0 }
        let count = bytes.count
        var length = count
        var index = 0
        var bytewiseUntil = 0
        while index < count {
            if index >= bytewiseUntil, index &+ 8 <= count {
                let word = loadWord(start, at: index)
                if quotesAndBackslashes ? isPlainForQuotedText(word) : isPlainText(word) {
                    index &+= 8
                    continue
                }
                bytewiseUntil = index &+ 8
            }
            let byte = start[index]
            if !isCandidate(byte, quotesAndBackslashes: quotesAndBackslashes) {
                index &+= 1
                continue
            }
            if byte == 0x22 || byte == 0x5C {
                // `\"` or `\\` for one byte.
                if quotesAndBackslashes { length += 1 }
                index += 1
            } else if byte == 0xC2 {
                // `\u00XX` for two bytes.
                if index + 1 < count, start[index + 1] <= 0x9F {
                    length += 4
                    index += 2
                } else {
                    index += 1
                }
            } else if byte == 0xEF {
                // `\ufeff` for three bytes.
                if isByteOrderMark(start, at: index, count: count) {
                    length += 3
                    index += 3
                } else {
                    index += 1
                }
            } else {
                // `\n`, `\r`, `\t` or `\u00XX` for one byte.
                length += byte == 0x0A || byte == 0x0D || byte == 0x09 ? 1 : 5
                index += 1
            }
        }
        return length
    }

    // MARK: Byte classes

    /// A set of bytes: one bit per ASCII byte (two words), plus the two non-ASCII lead bytes the
    /// encoders care about (0xC2 for the C1 controls, 0xEF for U+FEFF), which every set holds. Testing a
    /// byte is a shift and a mask instead of a chain of comparisons.
    private struct ByteClass {
        /// Bits for 0x00...0x3F.
        let low: UInt64
        /// Bits for 0x40...0x7F.
        let high: UInt64

        /// Whether `byte` is in the set.
        @inline(__always)
        func contains(_ byte: UInt8) -> Bool {
            if byte < 0x80 {
                return ((byte < 0x40 ? low : high) >> UInt64(byte & 63)) & 1 != 0
            }
            return byte == 0xC2 || byte == 0xEF
        }
    }

    /// Bits for the bytes 0x00...0x1F.
    private static var controlBits: UInt64 { 0xFFFF_FFFF }
    /// Bit for 0x7F (DEL) in the high word.
    private static var deleteBit: UInt64 { 1 << (0x7F - 64) }
    /// Bit for 0x5C (`\`) in the high word.
    private static var backslashBit: UInt64 { 1 << (0x5C - 64) }
    /// Bits for space, `"` and `=` in the low word.
    private static var logfmtDelimiterBits: UInt64 { 1 << 0x20 | 1 << 0x22 | 1 << 0x3D }

    /// The bytes that may start something `appendEscaped` rewrites when `"` and `\` are left alone.
    private static var escapeCandidates: ByteClass {
        ByteClass(low: controlBits, high: deleteBit)
    }

    /// The bytes that may start something `appendEscaped` rewrites when `"` and `\` are escaped.
    private static var quotedEscapeCandidates: ByteClass {
        ByteClass(low: controlBits | 1 << 0x22, high: deleteBit | backslashBit)
    }

    /// The bytes that may start a logfmt delimiter: space, `=`, `"`, the controls, DEL, and the lead
    /// bytes of the C1 controls and U+FEFF.
    private static var logfmtDelimiterCandidates: ByteClass {
        ByteClass(low: controlBits | logfmtDelimiterBits, high: deleteBit)
    }

    /// ``logfmtDelimiterCandidates`` and `\`.
    private static var logfmtDelimiterOrBackslashCandidates: ByteClass {
        ByteClass(low: controlBits | logfmtDelimiterBits, high: deleteBit | backslashBit)
    }

    /// Whether `byte` may start an escape: a control, DEL, a lead byte of a C1 control or of U+FEFF,
    /// and, when `quotesAndBackslashes` is set, `"` or `\`.
    @inline(__always)
    private static func isCandidate(_ byte: UInt8, quotesAndBackslashes: Bool) -> Bool {
        (quotesAndBackslashes ? quotedEscapeCandidates : escapeCandidates).contains(byte)
    }

    // MARK: Word scanning

    @inline(__always)
    private static var lowBits: UInt64 { 0x0101_0101_0101_0101 }

    @inline(__always)
    private static var highBits: UInt64 { 0x8080_8080_8080_8080 }

    /// Reads eight bytes at `index` (which must leave eight bytes to read).
    @inline(__always)
    private static func loadWord(_ start: UnsafePointer<UInt8>, at index: Int) -> UInt64 {
        UnsafeRawPointer(start + index).loadUnaligned(as: UInt64.self)
    }

    /// Whether any byte of `word` is below `limit` (at most 0x80).
    @inline(__always)
    private static func hasByte(_ word: UInt64, below limit: UInt8) -> Bool {
        (word &- lowBits &* UInt64(limit)) & ~word & highBits != 0
    }

    /// Whether any byte of `word` equals `byte`.
    @inline(__always)
    private static func hasByte(_ word: UInt64, equalTo byte: UInt8) -> Bool {
        hasByte(word ^ (lowBits &* UInt64(byte)), below: 1)
    }

    /// Whether any byte of `word` is 0x7F or above (DEL or part of a non-ASCII character). A carry out of
    /// a byte only happens for 0xFF, which is caught by its own high bit, so the answer is exact.
    @inline(__always)
    private static func hasByteAtOrAboveDelete(_ word: UInt64) -> Bool {
        (word | (word &+ lowBits)) & highBits != 0
    }

    /// Whether all eight bytes are printable ASCII (0x20...0x7E).
    @inline(__always)
    private static func isPlainText(_ word: UInt64) -> Bool {
        !hasByte(word, below: 0x20) && !hasByteAtOrAboveDelete(word)
    }

    /// Whether all eight bytes are printable ASCII other than `"` and `\`.
    @inline(__always)
    private static func isPlainForQuotedText(_ word: UInt64) -> Bool {
        isPlainText(word) && !hasByte(word, equalTo: 0x22) && !hasByte(word, equalTo: 0x5C)
    }

    /// Whether all eight bytes may appear in an unquoted logfmt token: printable ASCII other than space,
    /// `=` and `"`.
    @inline(__always)
    private static func isPlainLogfmtToken(_ word: UInt64) -> Bool {
        !hasByte(word, below: 0x21) && !hasByteAtOrAboveDelete(word)
            && !hasByte(word, equalTo: 0x3D) && !hasByte(word, equalTo: 0x22)
    }

    /// Whether the bytes at `index` encode U+FEFF.
    @inline(__always)
    private static func isByteOrderMark(_ start: UnsafePointer<UInt8>, at index: Int, count: Int) -> Bool {
        index + 2 < count && start[index] == 0xEF && start[index + 1] == 0xBB && start[index + 2] == 0xBF
    }

    @inline(__always)
    private static func appendEscape(of byte: UInt8, to buffer: LineBuffer) {
        switch byte {
        case 0x22: buffer.append(#"\""# as StaticString)
        case 0x5C: buffer.append(#"\\"# as StaticString)
        case 0x0A: buffer.append(#"\n"# as StaticString)
        case 0x0D: buffer.append(#"\r"# as StaticString)
        case 0x09: buffer.append(#"\t"# as StaticString)
        default: appendUnicodeEscape(byte, to: buffer)
        }
    }

    /// Appends `\u00XX` for a code point below U+0100.
    private static func appendUnicodeEscape(_ codePoint: UInt8, to buffer: LineBuffer) {
        buffer.reserve(6)
        let base = buffer.base + buffer.written
        base[0] = UInt8(ascii: "\\")
        base[1] = UInt8(ascii: "u")
        base[2] = UInt8(ascii: "0")
        base[3] = UInt8(ascii: "0")
        base[4] = hexDigit(codePoint >> 4)
        base[5] = hexDigit(codePoint & 0x0F)
        buffer.written += 6
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? nibble &+ 48 : nibble &+ 87
    }

    // MARK: JSON

    /// Appends `text` as a JSON string, with its quotes.
    ///
    /// - Parameters:
    ///   - text: The text.
    ///   - buffer: The buffer to append to.
    package static func appendJSONString(_ text: String, to buffer: LineBuffer) {
        buffer.append(UInt8(ascii: "\""))
        appendEscaped(text, quotesAndBackslashes: true, to: buffer)
        buffer.append(UInt8(ascii: "\""))
    }

    /// Appends a JSON value: strings quoted, numbers and booleans bare, non-finite doubles as the
    /// strings `"NaN"`, `"+Inf"` and `"-Inf"`, groups as nested objects.
    static func appendJSONValue(_ value: LogValue, to buffer: LineBuffer) {
        switch value {
        case .string(let text):
            appendJSONString(text, to: buffer)
        case .int(let number):
            buffer.appendDecimal(number)
        case .double(let number):
            if number.isFinite {
                appendFiniteDouble(number, to: buffer)
            } else {
                buffer.append(UInt8(ascii: "\""))
                appendNonFinite(number, to: buffer)
                buffer.append(UInt8(ascii: "\""))
            }
        case .bool(let flag):
            buffer.append(flag ? "true" as StaticString : "false")
        case .group(let fields):
            buffer.append(UInt8(ascii: "{"))
            var first = true
            for (key, inner) in fields.storage {
                if !first { buffer.append(UInt8(ascii: ",")) }
                first = false
                appendJSONString(key, to: buffer)
                buffer.append(UInt8(ascii: ":"))
                appendJSONValue(inner, to: buffer)
            }
            buffer.append(UInt8(ascii: "}"))
        }
    }

    // MARK: Numbers

    /// Appends a finite double as Swift's `description` writes it (`3.0`, `0.1`, `1e-05`, `1e+16`),
    /// which is also a valid JSON number. Integral values below 10^15 take a fast path without
    /// allocating.
    ///
    /// - Parameters:
    ///   - number: A finite number.
    ///   - buffer: The buffer to append to.
    package static func appendFiniteDouble(_ number: Double, to buffer: LineBuffer) {
        if number.magnitude < 1e15, number == number.rounded(.towardZero), !(number == 0 && number.sign == .minus) {
            buffer.appendDecimal(Int64(number))
            buffer.append(".0" as StaticString)
        } else {
            buffer.append(number.description)
        }
    }

    /// Appends `NaN`, `+Inf` or `-Inf` (without quotes).
    ///
    /// - Parameters:
    ///   - number: A NaN or an infinity.
    ///   - buffer: The buffer to append to.
    package static func appendNonFinite(_ number: Double, to buffer: LineBuffer) {
        if number.isNaN {
            buffer.append("NaN" as StaticString)
        } else {
            buffer.append(number.sign == .minus ? "-Inf" as StaticString : "+Inf")
        }
    }

    // MARK: logfmt

    /// Whether a logfmt value must be quoted: it is empty, or holds a space, `=`, `"`, a control character
    /// or U+FEFF.
    static func logfmtNeedsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return true }
        return containsLogfmtDelimiter(start, count: bytes.count, backslash: false)
    }

    /// Whether the bytes hold a space, `=`, `"`, a control character or U+FEFF (anything that would end
    /// an unquoted logfmt token, break the line, or need an escape), or, when `backslash` is set, `\`.
    @inline(__always)
    private static func containsLogfmtDelimiter(_ start: UnsafePointer<UInt8>, count: Int, backslash: Bool) -> Bool {
        var index = 0
        while index &+ 8 <= count {
            let word = loadWord(start, at: index)
            guard isPlainLogfmtToken(word), !(backslash && hasByte(word, equalTo: 0x5C)) else { break }
            index &+= 8
        }
        let candidates = backslash ? logfmtDelimiterOrBackslashCandidates : logfmtDelimiterCandidates
        while index < count {
            let byte = start[index]
            if candidates.contains(byte) {
                if byte == 0xC2 {
                    if index + 1 < count, start[index + 1] <= 0x9F { return true }
                } else if byte == 0xEF {
                    if isByteOrderMark(start, at: index, count: count) { return true }
                } else {
                    return true
                }
            }
            index &+= 1
        }
        return false
    }

    /// Appends a string as a logfmt value, quoted and escaped when needed.
    static func appendLogfmtString(_ text: String, to buffer: LineBuffer) {
        appendLogfmtString(text, quotingBackslashes: false, to: buffer)
    }

    /// Appends a string as a logfmt value, quoted and escaped when it is empty or holds a space, `=`,
    /// `"`, a control character or U+FEFF, or, when `quotingBackslashes` is set, `\`.
    ///
    /// The formatters leave a value with a backslash bare (`path=C:\logs`); a writer whose readers treat
    /// the backslash as an escape in bare values too quotes it (`path="C:\\logs"`).
    ///
    /// - Parameters:
    ///   - text: The value.
    ///   - quotingBackslashes: Whether a value holding `\` is quoted as well.
    ///   - buffer: The buffer to append to.
    @inline(__always)
    package static func appendLogfmtString(_ text: String, quotingBackslashes: Bool, to buffer: LineBuffer) {
        text.withUTF8Bytes { bytes in
            let needsQuotes = bytes.baseAddress.map {
                bytes.isEmpty || containsLogfmtDelimiter($0, count: bytes.count, backslash: quotingBackslashes)
            } ?? true
            if needsQuotes {
                buffer.append(UInt8(ascii: "\""))
                appendEscaped(bytes, quotesAndBackslashes: true, to: buffer)
                buffer.append(UInt8(ascii: "\""))
            } else {
                buffer.append(UnsafeRawBufferPointer(bytes))
            }
        }
    }

    /// Appends `file:line` as a logfmt value, quoted only when the file name needs it.
    static func appendLogfmtSource(file: String, line: UInt, to buffer: LineBuffer) {
        file.withUTF8Bytes { bytes in
            let quoted = bytes.baseAddress.map { containsLogfmtDelimiter($0, count: bytes.count, backslash: false) } ?? false
            if quoted {
                buffer.append(UInt8(ascii: "\""))
                appendEscaped(bytes, quotesAndBackslashes: true, to: buffer)
            } else {
                buffer.append(UnsafeRawBufferPointer(bytes))
            }
            buffer.append(UInt8(ascii: ":"))
            buffer.appendDecimal(Int64(clamping: line))
            if quoted { buffer.append(UInt8(ascii: "\"")) }
        }
    }

    /// Appends a scalar as a logfmt value; a group (not expected here) is written as its description.
    static func appendLogfmtScalar(_ value: LogValue, to buffer: LineBuffer) {
        switch value {
        case .string(let text):
            appendLogfmtString(text, to: buffer)
        case .int(let number):
            buffer.appendDecimal(number)
        case .double(let number):
            if number.isFinite {
                appendFiniteDouble(number, to: buffer)
            } else {
                appendNonFinite(number, to: buffer)
            }
        case .bool(let flag):
            buffer.append(flag ? "true" as StaticString : "false")
        case .group:
            appendLogfmtString(value.description, to: buffer)
        }
    }

    /// Appends a logfmt key with every space, `=`, `"`, control character and U+FEFF replaced by `_`;
    /// an empty key is written as `_`.
    static func appendLogfmtKey(_ key: String, to buffer: LineBuffer) {
        appendLogfmtKey(key, replacingBackslashes: false, to: buffer)
    }

    /// Appends a logfmt key with every space, `=`, `"`, control character and U+FEFF, and, when
    /// `replacingBackslashes` is set, every `\`, replaced by `_`; an empty key is written as `_`.
    ///
    /// - Parameters:
    ///   - key: The key.
    ///   - replacingBackslashes: Whether `\` is replaced as well.
    ///   - buffer: The buffer to append to.
    @inline(__always)
    package static func appendLogfmtKey(_ key: String, replacingBackslashes: Bool, to buffer: LineBuffer) {
        key.withUTF8Bytes { appendLogfmtKey($0, replacingBackslashes: replacingBackslashes, to: buffer) }
    }

    /// Appends the UTF-8 bytes of a logfmt key, sanitised as ``appendLogfmtKey(_:replacingBackslashes:to:)``
    /// describes.
    ///
    /// - Parameters:
    ///   - bytes: The key's UTF-8 bytes.
    ///   - replacingBackslashes: Whether `\` is replaced as well.
    ///   - buffer: The buffer to append to.
    @inline(__always)
    static func appendLogfmtKey(_ bytes: UnsafeBufferPointer<UInt8>, replacingBackslashes: Bool, to buffer: LineBuffer) {
        guard let start = bytes.baseAddress, !bytes.isEmpty else {
            buffer.append(UInt8(ascii: "_"))
            return
        }
        let count = bytes.count
        guard containsLogfmtDelimiter(start, count: count, backslash: replacingBackslashes) else {
            buffer.append(UnsafeRawBufferPointer(bytes))
            return
        }
        buffer.reserve(count)
        var index = 0
        while index < count {
            let byte = start[index]
            if byte <= 0x20 || byte == 0x3D || byte == 0x22 || byte == 0x7F || (replacingBackslashes && byte == 0x5C) {
                buffer.append(UInt8(ascii: "_"))
                index += 1
            } else if byte == 0xC2, index + 1 < count, start[index + 1] <= 0x9F {
                buffer.append(UInt8(ascii: "_"))
                index += 2
            } else if byte == 0xEF, isByteOrderMark(start, at: index, count: count) {
                buffer.append(UInt8(ascii: "_"))
                index += 3
            } else {
                buffer.append(byte)
                index += 1
            }
        }
    }

    // MARK: Fields

    /// The keys the logfmt and JSON formatters write themselves. A field with one of these keys is
    /// written as `fields.<key>`, so a line never holds the same key twice.
    static let reservedKeys: [String] = ["time", "level", "logger", "msg", "error", "source"]

    /// The prefix written before a field key that is one of ``reservedKeys``.
    static let reservedKeyPrefix: StaticString = "fields."

    /// Whether `key` is one of ``reservedKeys``.
    @inline(__always)
    static func isReserved(_ key: String) -> Bool {
        key.withUTF8Bytes { isReserved($0) }
    }

    /// Whether the UTF-8 bytes of a key spell one of ``reservedKeys``: the length decides first, then
    /// the (at most six) bytes are packed into one integer and compared with the packed names.
    ///
    /// - Parameter key: The key's UTF-8 bytes.
    /// - Returns: Whether the key is reserved.
    @inline(__always)
    static func isReserved(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = key.count
        guard count >= 3, count <= 6, let start = key.baseAddress else { return false }
        // The names in little-endian byte order: "msg", "time", "level", "error", "logger", "source".
        var packed: UInt64 = 0
        for index in 0..<count { packed |= UInt64(start[index]) << UInt64(index &* 8) }
        switch packed {
        case 0x67736D, 0x656D_6974, 0x6C_6576_656C, 0x72_6F72_7265, 0x7265_6767_6F6C, 0x6563_7275_6F73: return true
        default: return false
        }
    }

    /// Appends ` key=value` for one top-level field, flattening a group into dotted keys
    /// (` http.method=GET http.status=200`). An empty group writes nothing.
    ///
    /// Flattening allocates nothing: the dotted prefix of a group is written once and copied within the
    /// buffer for each later member.
    ///
    /// - Parameters:
    ///   - key: The field's key.
    ///   - value: The field's value.
    ///   - prefixReservedKeys: Whether a key from ``reservedKeys`` gets the `fields.` prefix.
    ///   - buffer: The buffer to append to.
    static func appendLogfmtField(key: String, value: LogValue, prefixReservedKeys: Bool, to buffer: LineBuffer) {
        let start = buffer.count
        buffer.append(UInt8(ascii: " "))
        let keyStart = buffer.count
        key.withUTF8Bytes { bytes in
            if prefixReservedKeys, isReserved(bytes) { buffer.append(reservedKeyPrefix) }
            appendLogfmtKey(bytes, replacingBackslashes: false, to: buffer)
        }
        if case .group(let inner) = value {
            buffer.append(UInt8(ascii: "."))
            let wrote = appendLogfmtGroup(inner, prefixStart: keyStart, prefixLength: buffer.count - keyStart, to: buffer)
            if !wrote { buffer.truncate(to: start) }
        } else {
            buffer.append(UInt8(ascii: "="))
            appendLogfmtScalar(value, to: buffer)
        }
    }

    /// Writes the members of a group whose dotted prefix (`a.b.`) was just written at the end of the
    /// buffer, at `prefixStart`. The first member continues after that prefix; later members start with
    /// a space and a copy of the prefix.
    ///
    /// - Returns: Whether any member was written; when not, the caller removes the dangling prefix.
    private static func appendLogfmtGroup(_ fields: LogFields, prefixStart: Int, prefixLength: Int, to buffer: LineBuffer) -> Bool {
        var continuesPrefix = true
        for (key, value) in fields.storage {
            let memberStart = buffer.count
            let memberPrefixStart: Int
            if continuesPrefix {
                memberPrefixStart = prefixStart
            } else {
                buffer.append(UInt8(ascii: " "))
                memberPrefixStart = buffer.count
                buffer.appendCopy(ofBytesAt: prefixStart, count: prefixLength)
            }
            appendLogfmtKey(key, to: buffer)
            if case .group(let inner) = value {
                buffer.append(UInt8(ascii: "."))
                let innerLength = buffer.count - memberPrefixStart
                if appendLogfmtGroup(inner, prefixStart: memberPrefixStart, prefixLength: innerLength, to: buffer) {
                    continuesPrefix = false
                } else {
                    buffer.truncate(to: memberStart)
                }
            } else {
                buffer.append(UInt8(ascii: "="))
                appendLogfmtScalar(value, to: buffer)
                continuesPrefix = false
            }
        }
        return !continuesPrefix
    }
}
