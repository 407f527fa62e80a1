/// The byte-level encoding rules the built-in formatters share: escaping, logfmt quoting and key
/// sanitising, numbers, and flattening of grouped fields.
///
/// Everything writes straight into a ``LineBuffer``, through a ``LineBuffer/Cursor`` that reserves room
/// once per piece (a string's largest escaped form, a number's digits) instead of once per byte. Text is
/// tested eight bytes at a time (a word of plain ASCII is recognised with a few bit operations) and each
/// plain word is stored as it was loaded; strings of up to 32 bytes, the usual keys and values, are
/// tested and copied with a few overlapping loads and no loop, so text without special characters
/// costs one pass.
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
        buffer.withCursor { cursor in writeEscaped(text, quotesAndBackslashes: quotesAndBackslashes, to: &cursor) }
    }

    /// Appends `bytes` with control characters escaped and, when `quotesAndBackslashes` is set, `"` and
    /// `\` escaped too; ``escapedLength(_:quotesAndBackslashes:)`` is the number of bytes it appends.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 text.
    ///   - quotesAndBackslashes: Whether `"` and `\` are escaped as well (JSON string content).
    ///   - buffer: The buffer to append to.
    package static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, quotesAndBackslashes: Bool, to buffer: LineBuffer) {
        buffer.withCursor { cursor in writeEscaped(bytes, quotesAndBackslashes: quotesAndBackslashes, to: &cursor) }
    }

    /// Writes `text` escaped as ``appendEscaped(_:quotesAndBackslashes:to:)-(String,_,_)`` describes,
    /// reserving the room it needs.
    ///
    /// - Parameters:
    ///   - text: The text.
    ///   - quotesAndBackslashes: Whether `"` and `\` are escaped as well.
    ///   - cursor: The cursor to write through.
    @inline(__always)
    static func writeEscaped(_ text: String, quotesAndBackslashes: Bool, to cursor: inout LineBuffer.Cursor) {
        reserveEscapedRoom(for: text, quotesAndBackslashes: quotesAndBackslashes, extra: 0, to: &cursor)
        let out = cursor.position
        cursor.position = text.withUTF8Content { escape($0, quotesAndBackslashes: quotesAndBackslashes, into: out) }
    }

    /// Writes `bytes` escaped as ``appendEscaped(_:quotesAndBackslashes:to:)-(UnsafeBufferPointer<UInt8>,_,_)``
    /// describes, reserving the room it needs.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 text.
    ///   - quotesAndBackslashes: Whether `"` and `\` are escaped as well.
    ///   - cursor: The cursor to write through.
    @inline(__always)
    static func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>, quotesAndBackslashes: Bool, to cursor: inout LineBuffer.Cursor) {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return }
        cursor.reserve(escapedRoom(start, count: bytes.count, quotesAndBackslashes: quotesAndBackslashes))
        cursor.position = escape(bytes, quotesAndBackslashes: quotesAndBackslashes, into: cursor.position)
    }

    /// Reserves room for `text` escaped and `extra` more bytes: six bytes per byte of text plus eight
    /// for word-sized stores (see ``escapedRoom(_:count:quotesAndBackslashes:)``). The length of a
    /// native string is known without reading it, so only text longer than 1 KiB is read to measure it.
    @inline(__always)
    static func reserveEscapedRoom(for text: String, quotesAndBackslashes: Bool, extra: Int, to cursor: inout LineBuffer.Cursor) {
        let count = text.utf8.count
        if count <= 1024 {
            cursor.reserve(count &* 6 &+ 8 &+ extra)
        } else {
            reserveMeasuredRoom(for: text, quotesAndBackslashes: quotesAndBackslashes, extra: extra, to: &cursor)
        }
    }

    /// Reserves the exact escaped length of a long `text` plus eight bytes and `extra`.
    @inline(never)
    private static func reserveMeasuredRoom(for text: String, quotesAndBackslashes: Bool, extra: Int, to cursor: inout LineBuffer.Cursor) {
        let length = text.withUTF8Content { escapedLength($0, quotesAndBackslashes: quotesAndBackslashes) }
        cursor.reserve(length &+ 8 &+ extra)
    }

    /// Writes `bytes` escaped to `out` (which has room for
    /// ``escapedRoom(_:count:quotesAndBackslashes:)`` bytes) and returns the end of what it wrote.
    /// Plain text of up to 32 bytes is checked and copied here; anything else is escaped by a call.
    @inline(__always)
    static func escape(_ bytes: UnsafeBufferPointer<UInt8>, quotesAndBackslashes: Bool, into out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return out }
        let count = bytes.count
        if count <= 16 {
            if copyShortIfPlain(start, count: count, quotesAndBackslashes ? .quotedText : .text, into: out) { return out + count }
        } else if count <= 32 {
            if copyMediumIfPlain(start, count: count, quotesAndBackslashes ? .quotedText : .text, into: out) { return out + count }
        }
        return quotesAndBackslashes ? escapeQuotedText(start, count: count, into: out) : escapeText(start, count: count, into: out)
    }

    /// The kinds of plain bytes a word can be tested for.
    enum PlainBytes {
        /// Printable ASCII (0x20...0x7E).
        case text
        /// Printable ASCII other than `"` and `\`.
        case quotedText
        /// Printable ASCII other than space, `=` and `"`.
        case logfmtToken
        /// Printable ASCII other than space, `=`, `"` and `\`.
        case logfmtTokenWithoutBackslash
    }

    /// Whether all eight bytes of `word` are of the kind `plain`.
    @inline(__always)
    static func isPlain(_ word: UInt64, _ plain: PlainBytes) -> Bool {
        switch plain {
        case .text: isPlainText(word)
        case .quotedText: isPlainForQuotedText(word)
        case .logfmtToken: isPlainLogfmtToken(word)
        case .logfmtTokenWithoutBackslash: isPlainLogfmtTokenWithoutBackslash(word)
        }
    }

    /// Copies `count` (17...32) bytes to `out` and returns `true` when all of them are of the kind
    /// `plain`; otherwise returns `false` (having written nothing). The bytes are read as four words,
    /// the last two overlapping the first two as needed.
    @inline(__always)
    static func copyMediumIfPlain(_ start: UnsafePointer<UInt8>, count: Int, _ plain: PlainBytes, into out: UnsafeMutablePointer<UInt8>) -> Bool {
        let from = UnsafeRawPointer(start)
        let to = UnsafeMutableRawPointer(out)
        let first = from.loadUnaligned(as: UInt64.self)
        let second = from.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        let third = from.loadUnaligned(fromByteOffset: count &- 16, as: UInt64.self)
        let fourth = from.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        guard isPlain(first, plain), isPlain(second, plain), isPlain(third, plain), isPlain(fourth, plain) else { return false }
        to.storeBytes(of: first, as: UInt64.self)
        to.storeBytes(of: second, toByteOffset: 8, as: UInt64.self)
        to.storeBytes(of: third, toByteOffset: count &- 16, as: UInt64.self)
        to.storeBytes(of: fourth, toByteOffset: count &- 8, as: UInt64.self)
        return true
    }

    /// Copies `count` (1...16) bytes to `out` and returns `true` when all of them are of the kind
    /// `plain`; otherwise returns `false` (having written nothing). The bytes are read with two
    /// overlapping loads (two words, two half words, or three bytes), so no loop and no variable shift
    /// is needed.
    @inline(__always)
    static func copyShortIfPlain(_ start: UnsafePointer<UInt8>, count: Int, _ plain: PlainBytes, into out: UnsafeMutablePointer<UInt8>) -> Bool {
        let from = UnsafeRawPointer(start)
        let to = UnsafeMutableRawPointer(out)
        if count >= 8 {
            let head = from.loadUnaligned(as: UInt64.self)
            let tail = from.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            guard isPlain(head, plain), isPlain(tail, plain) else { return false }
            to.storeBytes(of: head, as: UInt64.self)
            to.storeBytes(of: tail, toByteOffset: count &- 8, as: UInt64.self)
        } else if count >= 4 {
            let head = from.loadUnaligned(as: UInt32.self)
            let tail = from.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
            guard isPlain(UInt64(head) | UInt64(tail) << 32, plain) else { return false }
            to.storeBytes(of: head, as: UInt32.self)
            to.storeBytes(of: tail, toByteOffset: count &- 4, as: UInt32.self)
        } else {
            let middle = count &>> 1
            let first = start[0], second = start[middle], last = start[count &- 1]
            let word = UInt64(first) | UInt64(second) << 8 | UInt64(last) << 16 | fillerBytes << 24
            guard isPlain(word, plain) else { return false }
            out[0] = first
            out[middle] = second
            out[count &- 1] = last
        }
        return true
    }

    /// The room ``escape(_:quotesAndBackslashes:into:)`` needs for `count` bytes at
    /// `start`: six bytes per input byte (the longest escape, `\u00XX`, replaces one byte) plus eight for
    /// its word-sized stores. Text longer than 1 KiB is measured exactly instead, so a long message
    /// does not make the buffer grow to six times its size.
    ///
    /// - Parameters:
    ///   - start: The text's first byte.
    ///   - count: The text's length, at least 1.
    ///   - quotesAndBackslashes: Whether `"` and `\` are escaped as well.
    /// - Returns: The number of bytes to reserve.
    @inline(__always)
    static func escapedRoom(_ start: UnsafePointer<UInt8>, count: Int, quotesAndBackslashes: Bool) -> Int {
        if count <= 1024 { return count &* 6 &+ 8 }
        return escapedLength(UnsafeBufferPointer(start: start, count: count), quotesAndBackslashes: quotesAndBackslashes) &+ 8
    }

    /// Writes the escaped form of `count` (at least 1) bytes at `start` to `out`, `"` and `\` included
    /// (the content of a JSON string), and returns the end of what it wrote.
    static func escapeQuotedText(_ start: UnsafePointer<UInt8>, count: Int, into out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        escape(start, count: count, quotesAndBackslashes: true, into: out)
    }

    /// Writes the escaped form of `count` (at least 1) bytes at `start` to `out`, `"` and `\` left as
    /// they are, and returns the end of what it wrote.
    static func escapeText(_ start: UnsafePointer<UInt8>, count: Int, into out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        escape(start, count: count, quotesAndBackslashes: false, into: out)
    }

    /// Writes the escaped form of `count` (at least 1) bytes at `start` to `out` (which has room for
    /// ``escapedRoom(_:count:quotesAndBackslashes:)`` bytes) and returns the end of what it wrote.
    ///
    /// Each word of eight plain bytes is tested with a few bit operations and stored as it is; a word
    /// holding anything to escape is written character by character. The last bytes (fewer than eight)
    /// are loaded as one partial word, so short strings take no byte loop either.
    @inline(__always)
    private static func escape(
        _ start: UnsafePointer<UInt8>, count: Int, quotesAndBackslashes: Bool, into out: UnsafeMutablePointer<UInt8>
    ) -> UnsafeMutablePointer<UInt8> {
        var out = out
        var index = 0
        while index &+ 8 <= count {
            let word = loadWord(start, at: index)
            if quotesAndBackslashes ? isPlainForQuotedText(word) : isPlainText(word) {
                UnsafeMutableRawPointer(out).storeBytes(of: word, as: UInt64.self)
                out += 8
                index &+= 8
            } else {
                let wordEnd = index &+ 8
                repeat {
                    index = escapeCharacter(start, at: index, count: count, quotesAndBackslashes: quotesAndBackslashes, into: &out)
                } while index < wordEnd
            }
        }
        guard index < count else { return out }
        let tail = loadPartialWord(start + index, count: count &- index)
        if quotesAndBackslashes ? isPlainForQuotedText(tail) : isPlainText(tail) {
            UnsafeMutableRawPointer(out).storeBytes(of: tail.littleEndian, as: UInt64.self)
            return out + (count &- index)
        }
        repeat {
            index = escapeCharacter(start, at: index, count: count, quotesAndBackslashes: quotesAndBackslashes, into: &out)
        } while index < count
        return out
    }

    /// Writes the character at `index`, escaped when it needs to be, advances `out` past it, and
    /// returns the index after the character.
    ///
    /// U+0080...U+009F (`C2 80`...`C2 9F`) and U+FEFF (`EF BB BF`) are recognised by their bytes; any
    /// other byte, valid UTF-8 or not, is copied unless it is a control, DEL, or (when
    /// `quotesAndBackslashes` is set) `"` or `\`.
    @inline(__always)
    private static func escapeCharacter(
        _ start: UnsafePointer<UInt8>, at index: Int, count: Int, quotesAndBackslashes: Bool, into out: inout UnsafeMutablePointer<UInt8>
    ) -> Int {
        let byte = start[index]
        guard isCandidate(byte, quotesAndBackslashes: quotesAndBackslashes) else {
            out.pointee = byte
            out += 1
            return index &+ 1
        }
        switch byte {
        case 0x22, 0x5C:
            if quotesAndBackslashes {
                out[0] = UInt8(ascii: "\\")
                out[1] = byte
                out += 2
            } else {
                out.pointee = byte
                out += 1
            }
        case 0xC2:
            // U+0080...U+009F are encoded as C2 80...C2 9F.
            guard index &+ 1 < count, start[index &+ 1] <= 0x9F else {
                out.pointee = byte
                out += 1
                return index &+ 1
            }
            out = unicodeEscape(start[index &+ 1], into: out)
            return index &+ 2
        case 0xEF:
            // U+FEFF is encoded as EF BB BF.
            guard isByteOrderMark(start, at: index, count: count) else {
                out.pointee = byte
                out += 1
                return index &+ 1
            }
            let text: StaticString = #"\ufeff"#
            UnsafeMutableRawPointer(out).copyMemory(from: text.utf8Start, byteCount: 6)
            out += 6
            return index &+ 3
        case 0x0A: out = shortEscape(UInt8(ascii: "n"), into: out)
        case 0x0D: out = shortEscape(UInt8(ascii: "r"), into: out)
        case 0x09: out = shortEscape(UInt8(ascii: "t"), into: out)
        default: out = unicodeEscape(byte, into: out)
        }
        return index &+ 1
    }

    /// Writes `\` and `letter`, returning the end.
    @inline(__always)
    private static func shortEscape(_ letter: UInt8, into out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        out[0] = UInt8(ascii: "\\")
        out[1] = letter
        return out + 2
    }

    /// Writes `\u00XX` for a code point below U+0100, returning the end.
    private static func unicodeEscape(_ codePoint: UInt8, into out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        out[0] = UInt8(ascii: "\\")
        out[1] = UInt8(ascii: "u")
        out[2] = UInt8(ascii: "0")
        out[3] = UInt8(ascii: "0")
        out[4] = hexDigit(codePoint >> 4)
        out[5] = hexDigit(codePoint & 0x0F)
        return out + 6
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? nibble &+ 48 : nibble &+ 87
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

    // The tests below combine several byte conditions into one mask test. Each term sets the high bit
    // of a byte that breaks its condition, and is exact as long as every byte is below 0x80: then a
    // subtraction borrows out of a byte only when that byte already set its high bit, and `x ^ c`
    // stays below 0x80, so `x - 1` sets the high bit exactly for a zero byte. The first term sets the
    // high bit of every byte at 0x7F or above, which covers the case where that does not hold.

    /// The high bits of the bytes of `word` that are 0x7F or above, or below `limit` (at most 0x80).
    @inline(__always)
    private static func outsidePrintable(_ word: UInt64, below limit: UInt8) -> UInt64 {
        word | (word &+ lowBits) | (word &- lowBits &* UInt64(limit))
    }

    /// The high bits of the bytes of `word` equal to `byte` (exact when all bytes are below 0x80).
    @inline(__always)
    private static func equalBytes(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        (word ^ (lowBits &* UInt64(byte))) &- lowBits
    }

    /// Whether all eight bytes are printable ASCII (0x20...0x7E).
    @inline(__always)
    private static func isPlainText(_ word: UInt64) -> Bool {
        outsidePrintable(word, below: 0x20) & highBits == 0
    }

    /// Whether all eight bytes are printable ASCII other than `"` and `\`.
    @inline(__always)
    private static func isPlainForQuotedText(_ word: UInt64) -> Bool {
        (outsidePrintable(word, below: 0x20) | equalBytes(word, 0x22) | equalBytes(word, 0x5C)) & highBits == 0
    }

    /// Whether all eight bytes may appear in an unquoted logfmt token: printable ASCII other than space,
    /// `=` and `"`.
    @inline(__always)
    private static func isPlainLogfmtToken(_ word: UInt64) -> Bool {
        (outsidePrintable(word, below: 0x21) | equalBytes(word, 0x3D) | equalBytes(word, 0x22)) & highBits == 0
    }

    /// Whether all eight bytes may appear in an unquoted logfmt token and none is `\`.
    @inline(__always)
    private static func isPlainLogfmtTokenWithoutBackslash(_ word: UInt64) -> Bool {
        (outsidePrintable(word, below: 0x21) | equalBytes(word, 0x3D) | equalBytes(word, 0x22) | equalBytes(word, 0x5C)) & highBits == 0
    }

    /// Whether the bytes at `index` encode U+FEFF.
    @inline(__always)
    private static func isByteOrderMark(_ start: UnsafePointer<UInt8>, at index: Int, count: Int) -> Bool {
        index + 2 < count && start[index] == 0xEF && start[index + 1] == 0xBB && start[index + 2] == 0xBF
    }

    /// The byte `a` in every position: filler for the unused bytes of a partial word, plain in every
    /// byte class.
    @inline(__always)
    private static var fillerBytes: UInt64 { 0x6161_6161_6161_6161 }

    /// Reads `count` (1...7) bytes at `start` as one word, first byte in the lowest bits, with the
    /// unused high bytes set to `a`, so a word test covers exactly those bytes. Two overlapping loads
    /// read the bytes without reading beyond them.
    @inline(__always)
    private static func loadPartialWord(_ start: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        let raw = UnsafeRawPointer(start)
        let word: UInt64
        if count >= 4 {
            let head = UInt64(UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)))
            let tail = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)))
            word = head | tail << UInt64(truncatingIfNeeded: (count &- 4) &* 8)
        } else {
            let middle = count &>> 1
            word = UInt64(start[0]) | UInt64(start[middle]) << UInt64(truncatingIfNeeded: middle &* 8)
                | UInt64(start[count &- 1]) << UInt64(truncatingIfNeeded: (count &- 1) &* 8)
        }
        return word | fillerBytes << UInt64(truncatingIfNeeded: count &* 8)
    }

    // MARK: JSON

    /// Appends `text` as a JSON string, with its quotes.
    ///
    /// - Parameters:
    ///   - text: The text.
    ///   - buffer: The buffer to append to.
    package static func appendJSONString(_ text: String, to buffer: LineBuffer) {
        buffer.withCursor { cursor in writeJSONString(text, to: &cursor) }
    }

    /// Writes `text` as a JSON string, with its quotes, reserving the room it needs.
    ///
    /// - Parameters:
    ///   - text: The text.
    ///   - cursor: The cursor to write through.
    @inline(__always)
    static func writeJSONString(_ text: String, to cursor: inout LineBuffer.Cursor) {
        reserveEscapedRoom(for: text, quotesAndBackslashes: true, extra: 2, to: &cursor)
        let out = cursor.position
        cursor.position = text.withUTF8Content { bytes in
            out.pointee = UInt8(ascii: "\"")
            let end = escape(bytes, quotesAndBackslashes: true, into: out + 1)
            end.pointee = UInt8(ascii: "\"")
            return end + 1
        }
    }

    /// Writes a JSON value, reserving the room it needs: strings quoted, numbers and booleans bare,
    /// non-finite doubles as the strings `"NaN"`, `"+Inf"` and `"-Inf"`, groups as nested objects.
    ///
    /// - Parameters:
    ///   - value: The value.
    ///   - cursor: The cursor to write through.
    @inline(__always)
    static func writeJSONValue(_ value: borrowing LogValue, to cursor: inout LineBuffer.Cursor) {
        switch value {
        case .string(let text):
            writeJSONString(text, to: &cursor)
        case .int(let number):
            cursor.reserve(20)
            cursor.writeDecimal(number)
        case .bool(let flag):
            cursor.reserve(5)
            cursor.write(flag ? "true" as StaticString : "false")
        case .double(let number):
            if number.isFinite {
                writeFiniteDouble(number, to: &cursor)
            } else {
                cursor.reserve(6)
                cursor.write(UInt8(ascii: "\""))
                writeNonFinite(number, to: &cursor)
                cursor.write(UInt8(ascii: "\""))
            }
        case .group(let fields):
            writeJSONObject(fields, to: &cursor)
        }
    }

    /// Writes a group as a JSON object.
    private static func writeJSONObject(_ fields: LogFields, to cursor: inout LineBuffer.Cursor) {
        cursor.reserve(1)
        cursor.write(UInt8(ascii: "{"))
        var first = true
        fields.forEachPair { key, inner in
            cursor.reserve(1)
            if !first { cursor.write(UInt8(ascii: ",")) }
            first = false
            writeJSONString(key, to: &cursor)
            cursor.reserve(1)
            cursor.write(UInt8(ascii: ":"))
            writeJSONValue(inner, to: &cursor)
        }
        cursor.reserve(1)
        cursor.write(UInt8(ascii: "}"))
    }

    /// Writes `,"key":` for a top-level field, with the `fields.` prefix when the key is one of
    /// ``reservedKeys``, reserving the room it needs.
    ///
    /// - Parameters:
    ///   - key: The field's key.
    ///   - cursor: The cursor to write through.
    @inline(__always)
    static func writeJSONFieldKey(_ key: String, to cursor: inout LineBuffer.Cursor) {
        reserveEscapedRoom(for: key, quotesAndBackslashes: true, extra: 4 &+ reservedKeyPrefix.utf8CodeUnitCount, to: &cursor)
        let out = cursor.position
        cursor.position = key.withUTF8Content { bytes in
            out[0] = UInt8(ascii: ",")
            out[1] = UInt8(ascii: "\"")
            var end = out + 2
            if isReserved(bytes) { end = copy(reservedKeyPrefix, into: end) }
            end = escape(bytes, quotesAndBackslashes: true, into: end)
            end[0] = UInt8(ascii: "\"")
            end[1] = UInt8(ascii: ":")
            return end + 2
        }
    }

    /// Copies a static string to `out` and returns the end.
    @inline(__always)
    static func copy(_ text: StaticString, into out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        UnsafeMutableRawPointer(out).copyMemory(from: text.utf8Start, byteCount: text.utf8CodeUnitCount)
        return out + text.utf8CodeUnitCount
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
        buffer.withCursor { cursor in writeFiniteDouble(number, to: &cursor) }
    }

    /// Writes a finite double as ``appendFiniteDouble(_:to:)`` describes, reserving the room it needs.
    ///
    /// - Parameters:
    ///   - number: A finite number.
    ///   - cursor: The cursor to write through.
    static func writeFiniteDouble(_ number: Double, to cursor: inout LineBuffer.Cursor) {
        if number.magnitude < 1e15, number == number.rounded(.towardZero), !(number == 0 && number.sign == .minus) {
            cursor.reserve(22)
            cursor.writeDecimal(Int64(number))
            cursor.write(UInt8(ascii: "."), UInt8(ascii: "0"))
        } else {
            number.description.withUTF8Content { bytes in
                guard let start = bytes.baseAddress else { return }
                cursor.reserve(bytes.count)
                cursor.write(start, count: bytes.count)
            }
        }
    }

    /// Appends `NaN`, `+Inf` or `-Inf` (without quotes).
    ///
    /// - Parameters:
    ///   - number: A NaN or an infinity.
    ///   - buffer: The buffer to append to.
    package static func appendNonFinite(_ number: Double, to buffer: LineBuffer) {
        buffer.withCursor { cursor in
            cursor.reserve(4)
            writeNonFinite(number, to: &cursor)
        }
    }

    /// Writes `NaN`, `+Inf` or `-Inf` (without quotes; reserved earlier: up to 4 bytes).
    private static func writeNonFinite(_ number: Double, to cursor: inout LineBuffer.Cursor) {
        if number.isNaN {
            cursor.write("NaN" as StaticString)
        } else {
            cursor.write(number.sign == .minus ? "-Inf" as StaticString : "+Inf")
        }
    }

    // MARK: logfmt

    /// Whether the bytes hold a space, `=`, `"`, a control character or U+FEFF (anything that would end
    /// an unquoted logfmt token, break the line, or need an escape), or, when `backslash` is set, `\`.
    private static func containsLogfmtDelimiter(_ start: UnsafePointer<UInt8>, count: Int, backslash: Bool) -> Bool {
        var index = 0
        while index &+ 8 <= count {
            let word = loadWord(start, at: index)
            guard isPlainLogfmtToken(word, backslash: backslash) else { break }
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

    /// Whether all eight bytes may appear in an unquoted logfmt token, and, when `backslash` is set,
    /// none is `\`.
    @inline(__always)
    private static func isPlainLogfmtToken(_ word: UInt64, backslash: Bool) -> Bool {
        backslash ? isPlainLogfmtTokenWithoutBackslash(word) : isPlainLogfmtToken(word)
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
        buffer.withCursor { cursor in writeLogfmtString(text, quotingBackslashes: quotingBackslashes, to: &cursor) }
    }

    /// Writes a string as a logfmt value as ``appendLogfmtString(_:quotingBackslashes:to:)`` describes,
    /// reserving the room it needs.
    ///
    /// The value is copied while it looks like a bare token (short values with a few overlapping loads,
    /// longer ones word by word); only when a word holds a possible delimiter is the rest checked, and
    /// a value that does need quotes is written again, quoted and escaped, over the partial copy.
    ///
    /// - Parameters:
    ///   - text: The value.
    ///   - quotingBackslashes: Whether a value holding `\` is quoted as well.
    ///   - cursor: The cursor to write through.
    @inline(__always)
    static func writeLogfmtString(_ text: String, quotingBackslashes: Bool, to cursor: inout LineBuffer.Cursor) {
        reserveEscapedRoom(for: text, quotesAndBackslashes: true, extra: 2, to: &cursor)
        let out = cursor.position
        cursor.position = text.withUTF8Content { logfmtValue($0, quotingBackslashes: quotingBackslashes, into: out) }
    }

    /// Writes `bytes` as a logfmt value to `out` (which has room for their escaped length, eight bytes
    /// for word stores and two quotes) and returns the end. A value of up to 16 bytes that is a bare
    /// token, or that needs quotes only for a space or `=`, is checked and copied here; anything else
    /// is handled by a call.
    @inline(__always)
    static func logfmtValue(_ bytes: UnsafeBufferPointer<UInt8>, quotingBackslashes: Bool, into out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        if let start = bytes.baseAddress, !bytes.isEmpty, bytes.count <= 16 {
            let count = bytes.count
            if copyShortIfPlain(start, count: count, quotingBackslashes ? .logfmtTokenWithoutBackslash : .logfmtToken, into: out) {
                return out + count
            }
            // Not a bare token, yet nothing to escape: the value holds a space or `=`, so it is quoted as it is.
            if copyShortIfPlain(start, count: count, .quotedText, into: out + 1) {
                out[0] = UInt8(ascii: "\"")
                out[count &+ 1] = UInt8(ascii: "\"")
                return out + (count &+ 2)
            }
        }
        return quotedOrBareLogfmtValue(bytes, quotingBackslashes: quotingBackslashes, into: out)
    }

    /// Writes `bytes` as a logfmt value to `out`, bare when they form a token and quoted and escaped
    /// otherwise (an empty value is `""`), and returns the end.
    private static func quotedOrBareLogfmtValue(
        _ bytes: UnsafeBufferPointer<UInt8>, quotingBackslashes: Bool, into out: UnsafeMutablePointer<UInt8>
    ) -> UnsafeMutablePointer<UInt8> {
        if let start = bytes.baseAddress, !bytes.isEmpty {
            let bare = quotingBackslashes
                ? bareLogfmtTokenWithoutBackslash(start, count: bytes.count, into: out)
                : bareLogfmtToken(start, count: bytes.count, into: out)
            if let bare { return bare }
        }
        out.pointee = UInt8(ascii: "\"")
        let end = escape(bytes, quotesAndBackslashes: true, into: out + 1)
        end.pointee = UInt8(ascii: "\"")
        return end + 1
    }

    /// Writes `file:line` as a logfmt value, quoted only when the file name needs it, reserving the
    /// room it needs.
    ///
    /// - Parameters:
    ///   - file: The file name.
    ///   - line: The line number.
    ///   - cursor: The cursor to write through.
    @inline(__always)
    static func writeLogfmtSource(file: String, line: UInt, to cursor: inout LineBuffer.Cursor) {
        // The quotes, `:` and up to 20 digits.
        reserveEscapedRoom(for: file, quotesAndBackslashes: true, extra: 23, to: &cursor)
        let out = cursor.position
        var quoted = false
        cursor.position = file.withUTF8Content { bytes in
            if let end = bareLogfmtToken(bytes, quotingBackslashes: false, into: out) { return end }
            quoted = true
            out.pointee = UInt8(ascii: "\"")
            return escape(bytes, quotesAndBackslashes: true, into: out + 1)
        }
        cursor.write(UInt8(ascii: ":"))
        cursor.writeDecimal(Int64(clamping: line))
        if quoted { cursor.write(UInt8(ascii: "\"")) }
    }

    /// Copies `bytes` to `out` when they form a bare logfmt token (no space, `=`, `"`, control
    /// character or U+FEFF, and no `\` when `quotingBackslashes` is set) and returns the end, or
    /// returns `nil` when they need quotes. `out` has room for the bytes and eight more; empty bytes
    /// are a bare (empty) token.
    @inline(__always)
    static func bareLogfmtToken(_ bytes: UnsafeBufferPointer<UInt8>, quotingBackslashes: Bool, into out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>? {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return out }
        let count = bytes.count
        let token: PlainBytes = quotingBackslashes ? .logfmtTokenWithoutBackslash : .logfmtToken
        if count <= 16 {
            if copyShortIfPlain(start, count: count, token, into: out) { return out + count }
        } else if count <= 32 {
            if copyMediumIfPlain(start, count: count, token, into: out) { return out + count }
        }
        return quotingBackslashes
            ? bareLogfmtTokenWithoutBackslash(start, count: count, into: out)
            : bareLogfmtToken(start, count: count, into: out)
    }

    /// Copies `count` (at least 1) bytes to `out` when they form a bare logfmt token, returning the
    /// end, or returns `nil` when they need quotes.
    static func bareLogfmtToken(_ start: UnsafePointer<UInt8>, count: Int, into out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>? {
        copyBareLogfmtToken(start, count: count, backslash: false, into: out)
    }

    /// Copies `count` (at least 1) bytes to `out` when they form a bare logfmt token without `\`,
    /// returning the end, or returns `nil` when they need quotes.
    static func bareLogfmtTokenWithoutBackslash(_ start: UnsafePointer<UInt8>, count: Int, into out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>? {
        copyBareLogfmtToken(start, count: count, backslash: true, into: out)
    }

    /// Copies the bytes word by word while each word looks like part of a token; only when a word
    /// holds a possible delimiter are the remaining bytes checked one by one. Returns the end of the
    /// copy, or `nil` when the bytes need quotes (some bytes may have been written to `out` by then).
    @inline(__always)
    private static func copyBareLogfmtToken(
        _ start: UnsafePointer<UInt8>, count: Int, backslash: Bool, into out: UnsafeMutablePointer<UInt8>
    ) -> UnsafeMutablePointer<UInt8>? {
        var out = out
        var index = 0
        while index &+ 8 <= count {
            let word = loadWord(start, at: index)
            guard isPlainLogfmtToken(word, backslash: backslash) else { break }
            UnsafeMutableRawPointer(out).storeBytes(of: word, as: UInt64.self)
            out += 8
            index &+= 8
        }
        if index == count { return out }
        if count &- index < 8 {
            let tail = loadPartialWord(start + index, count: count &- index)
            if isPlainLogfmtToken(tail, backslash: backslash) {
                UnsafeMutableRawPointer(out).storeBytes(of: tail.littleEndian, as: UInt64.self)
                return out + (count &- index)
            }
        }
        if containsLogfmtDelimiter(start + index, count: count &- index, backslash: backslash) { return nil }
        out.update(from: start + index, count: count &- index)
        return out + (count &- index)
    }

    /// Writes a scalar as a logfmt value, reserving the room it needs; a group (not expected here) is
    /// written as its description.
    @inline(__always)
    static func writeLogfmtScalar(_ value: LogValue, to cursor: inout LineBuffer.Cursor) {
        switch value {
        case .string(let text):
            writeLogfmtString(text, quotingBackslashes: false, to: &cursor)
        case .int(let number):
            cursor.reserve(20)
            cursor.writeDecimal(number)
        case .bool(let flag):
            cursor.reserve(5)
            cursor.write(flag ? "true" as StaticString : "false")
        case .double(let number):
            if number.isFinite {
                writeFiniteDouble(number, to: &cursor)
            } else {
                cursor.reserve(4)
                writeNonFinite(number, to: &cursor)
            }
        case .group:
            writeLogfmtString(value.description, quotingBackslashes: false, to: &cursor)
        }
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
        key.withUTF8Content { bytes in
            buffer.withCursor { cursor in writeLogfmtKey(bytes, replacingBackslashes: replacingBackslashes, to: &cursor) }
        }
    }

    /// Writes the UTF-8 bytes of a logfmt key, sanitised as ``appendLogfmtKey(_:replacingBackslashes:to:)``
    /// describes, reserving the room it needs (a key is never longer than its bytes).
    ///
    /// - Parameters:
    ///   - bytes: The key's UTF-8 bytes.
    ///   - replacingBackslashes: Whether `\` is replaced as well.
    ///   - cursor: The cursor to write through.
    @inline(__always)
    static func writeLogfmtKey(_ bytes: UnsafeBufferPointer<UInt8>, replacingBackslashes: Bool, to cursor: inout LineBuffer.Cursor) {
        cursor.reserve(bytes.count &+ 8)
        cursor.position = logfmtKey(bytes, replacingBackslashes: replacingBackslashes, into: cursor.position)
    }

    /// Writes `bytes` as a logfmt key to `out` (which has room for the bytes and eight more, at least
    /// nine), delimiters replaced by `_`, and returns the end. Keys of up to 16 plain bytes are checked
    /// and copied here; anything else is handled by a call.
    @inline(__always)
    static func logfmtKey(_ bytes: UnsafeBufferPointer<UInt8>, replacingBackslashes: Bool, into out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        guard let start = bytes.baseAddress, !bytes.isEmpty else {
            out.pointee = UInt8(ascii: "_")
            return out + 1
        }
        let count = bytes.count
        if count <= 16, copyShortIfPlain(start, count: count, replacingBackslashes ? .logfmtTokenWithoutBackslash : .logfmtToken, into: out) {
            return out + count
        }
        return replacingBackslashes
            ? sanitisedLogfmtKeyWithoutBackslash(start, count: count, into: out)
            : sanitisedLogfmtKey(start, count: count, into: out)
    }

    /// Writes the logfmt key of `count` (at least 1) bytes to `out` (with room for `count + 8` bytes),
    /// delimiters replaced, and returns the end.
    static func sanitisedLogfmtKey(_ start: UnsafePointer<UInt8>, count: Int, into out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        if let end = copyBareLogfmtToken(start, count: count, backslash: false, into: out) { return end }
        return sanitiseLogfmtKey(start, count: count, replacingBackslashes: false, into: out)
    }

    /// Writes the logfmt key of `count` (at least 1) bytes to `out` (with room for `count + 8` bytes),
    /// delimiters and `\` replaced, and returns the end.
    static func sanitisedLogfmtKeyWithoutBackslash(_ start: UnsafePointer<UInt8>, count: Int, into out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        if let end = copyBareLogfmtToken(start, count: count, backslash: true, into: out) { return end }
        return sanitiseLogfmtKey(start, count: count, replacingBackslashes: true, into: out)
    }

    /// Writes the key bytes one at a time, each delimiter character replaced by `_`, and returns the end.
    private static func sanitiseLogfmtKey(
        _ start: UnsafePointer<UInt8>, count: Int, replacingBackslashes: Bool, into out: UnsafeMutablePointer<UInt8>
    ) -> UnsafeMutablePointer<UInt8> {
        var out = out
        var index = 0
        while index < count {
            let byte = start[index]
            if byte <= 0x20 || byte == 0x3D || byte == 0x22 || byte == 0x7F || (replacingBackslashes && byte == 0x5C) {
                out.pointee = UInt8(ascii: "_")
                index += 1
            } else if byte == 0xC2, index + 1 < count, start[index + 1] <= 0x9F {
                out.pointee = UInt8(ascii: "_")
                index += 2
            } else if byte == 0xEF, isByteOrderMark(start, at: index, count: count) {
                out.pointee = UInt8(ascii: "_")
                index += 3
            } else {
                out.pointee = byte
                index += 1
            }
            out += 1
        }
        return out
    }

    // MARK: Fields

    /// The keys the logfmt and JSON formatters write themselves. A field with one of these keys is
    /// written as `fields.<key>`, so a line never holds the same key twice.
    static let reservedKeys: [String] = ["time", "level", "logger", "msg", "error", "source"]

    /// The prefix written before a field key that is one of ``reservedKeys``.
    static var reservedKeyPrefix: StaticString { "fields." }

    /// Whether the UTF-8 bytes of a key spell one of ``reservedKeys``: the length decides first, then
    /// the first and the last four bytes (which overlap for names shorter than eight bytes) are
    /// compared with those of the names of that length, as integers.
    ///
    /// - Parameter key: The key's UTF-8 bytes.
    /// - Returns: Whether the key is reserved.
    @inline(__always)
    static func isReserved(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = key.count
        guard count >= 3, count <= 6, let start = key.baseAddress else { return false }
        if count == 3 { return start[0] == UInt8(ascii: "m") && start[1] == UInt8(ascii: "s") && start[2] == UInt8(ascii: "g") }
        let raw = UnsafeRawPointer(start)
        let head = UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self))
        let tail = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
        // The first and last four bytes of each name, first byte lowest.
        switch (count, head, tail) {
        case (4, 0x656D_6974, 0x656D_6974),  // "time"
             (5, 0x6576_656C, 0x6C65_7665),  // "level"
             (5, 0x6F72_7265, 0x726F_7272),  // "error"
             (6, 0x6767_6F6C, 0x7265_6767),  // "logger"
             (6, 0x7275_6F73, 0x6563_7275):  // "source"
            return true
        default:
            return false
        }
    }

    /// Writes ` key` for one top-level field, with the `fields.` prefix when asked for and the key is
    /// one of ``reservedKeys``, reserving the room it needs; ``writeLogfmtFieldValue(_:keyLength:to:)``
    /// then writes the rest of ` key=value`, flattening a group into dotted keys
    /// (` http.method=GET http.status=200`; an empty group writes nothing).
    ///
    /// Flattening allocates nothing: the dotted prefix of a group is written once and copied within the
    /// buffer for each later member.
    ///
    /// - Parameters:
    ///   - key: The field's key.
    ///   - prefixReservedKeys: Whether a key from ``reservedKeys`` gets the `fields.` prefix.
    ///   - cursor: The cursor to write through.
    /// - Returns: The number of bytes written, the space included.
    @inline(__always)
    static func writeLogfmtFieldKey(_ key: String, prefixReservedKeys: Bool, to cursor: inout LineBuffer.Cursor) -> Int {
        // A space, the prefix, and the key (never longer than its bytes) with room for word stores.
        cursor.reserve(key.utf8.count &+ 9 &+ reservedKeyPrefix.utf8CodeUnitCount)
        let out = cursor.position
        cursor.position = key.withUTF8Content { bytes in
            out.pointee = UInt8(ascii: " ")
            var end = out + 1
            if prefixReservedKeys, isReserved(bytes) { end = copy(reservedKeyPrefix, into: end) }
            return logfmtKey(bytes, replacingBackslashes: false, into: end)
        }
        return cursor.position - out
    }

    /// Writes `=value` after a field's key, or, for a group, the group's members with their dotted
    /// keys (removing the key when the group writes nothing), reserving the room it needs.
    ///
    /// - Parameters:
    ///   - value: The field's value.
    ///   - keyLength: The number of bytes ``writeLogfmtFieldKey(_:prefixReservedKeys:to:)`` wrote.
    ///   - cursor: The cursor to write through.
    @inline(__always)
    static func writeLogfmtFieldValue(_ value: LogValue, keyLength: Int, to cursor: inout LineBuffer.Cursor) {
        if case .group(let inner) = value {
            writeLogfmtGroupField(inner, fieldStart: cursor.offset &- keyLength, to: &cursor)
        } else {
            cursor.reserve(1)
            cursor.write(UInt8(ascii: "="))
            writeLogfmtScalar(value, to: &cursor)
        }
    }

    /// Writes the members of a top-level group field whose ` key` was just written at `fieldStart`,
    /// or removes that key when the group writes nothing.
    private static func writeLogfmtGroupField(_ fields: LogFields, fieldStart: Int, to cursor: inout LineBuffer.Cursor) {
        let keyStart = fieldStart &+ 1
        cursor.reserve(1)
        cursor.write(UInt8(ascii: "."))
        let wrote = writeLogfmtGroup(fields, prefixStart: keyStart, prefixLength: cursor.offset &- keyStart, to: &cursor)
        if !wrote { cursor.rewind(to: fieldStart) }
    }

    /// Writes the members of a group whose dotted prefix (`a.b.`) was just written at the end of the
    /// buffer, at `prefixStart`. The first member continues after that prefix; later members start with
    /// a space and a copy of the prefix.
    ///
    /// - Returns: Whether any member was written; when not, the caller removes the dangling prefix.
    private static func writeLogfmtGroup(_ fields: LogFields, prefixStart: Int, prefixLength: Int, to cursor: inout LineBuffer.Cursor) -> Bool {
        var continuesPrefix = true
        fields.forEachPair { key, value in
            let memberStart = cursor.offset
            let memberPrefixStart: Int
            if continuesPrefix {
                memberPrefixStart = prefixStart
            } else {
                cursor.reserve(1 &+ prefixLength)
                cursor.write(UInt8(ascii: " "))
                memberPrefixStart = cursor.offset
                cursor.writeCopy(ofBytesAt: prefixStart, count: prefixLength)
            }
            key.withUTF8Content { writeLogfmtKey($0, replacingBackslashes: false, to: &cursor) }
            cursor.reserve(1)
            if case .group(let inner) = value {
                cursor.write(UInt8(ascii: "."))
                let innerLength = cursor.offset &- memberPrefixStart
                if writeLogfmtGroup(inner, prefixStart: memberPrefixStart, prefixLength: innerLength, to: &cursor) {
                    continuesPrefix = false
                } else {
                    cursor.rewind(to: memberStart)
                }
            } else {
                cursor.write(UInt8(ascii: "="))
                writeLogfmtScalar(value, to: &cursor)
                continuesPrefix = false
            }
        }
        return !continuesPrefix
    }
}
