import AsyncSinks
import Testing

/// Checks the word-at-a-time scanning against a plain per-character reference, with the special
/// character at every position of strings of every length up to past the 32 bytes checked without a loop.
@Suite struct FieldEncodingTests {
    typealias F = FormattingFixtures

    private static let specials: [Character] = ["\"", "\\", "\n", "\u{1}", "\u{1F}", " ", "=", "\u{7F}", "\u{80}", "\u{9F}", "\u{A0}", "é", "\u{FEFF}", "\u{FFFE}", "日", "🚀", "~"]

    /// JSON string escaping, written the slow obvious way.
    private static func referenceJSON(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{FEFF}": out += "\\ufeff"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// logfmt value quoting, written the slow obvious way.
    private static func referenceLogfmt(_ text: String) -> String {
        let needsQuotes = text.isEmpty || text.unicodeScalars.contains { scalar in
            scalar.value <= 0x20 || scalar == "=" || scalar == "\"" || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{FEFF}"
        }
        return needsQuotes ? referenceJSON(text) : text
    }

    @Test func specialCharacterAtEveryPosition() {
        let json = JSONFormatter(includeTimestamp: false, includeLevel: false, includeLabel: false, includeSource: false)
        let logfmt = LogfmtFormatter(includeTimestamp: false, includeLevel: false, includeLabel: false, includeSource: false)
        var failures: [String] = []
        for length in 1...34 {
            for position in 0..<length {
                for special in Self.specials {
                    var characters = Array(repeating: Character("a"), count: length)
                    characters[position] = special
                    let text = String(characters)
                    let record = F.record(text)
                    if F.line(json, record) != "{\"msg\":" + Self.referenceJSON(text) + "}\n" { failures.append("json \(text.debugDescription)") }
                    if F.line(logfmt, record) != "msg=" + Self.referenceLogfmt(text) + "\n" { failures.append("logfmt \(text.debugDescription)") }
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    /// Every test string: each special character at every position of strings of length 1 to 34.
    private static var samples: [String] {
        var result = [""]
        for length in 1...34 {
            for position in 0..<length {
                for special in specials {
                    var characters = Array(repeating: Character("a"), count: length)
                    characters[position] = special
                    result.append(String(characters))
                }
            }
        }
        return result
    }

    @Test func escapedLengthIsTheLengthAppended() {
        var failures: [String] = []
        let buffer = LineBuffer()
        for text in Self.samples + ["\u{C2}", "a\u{EF}\u{BB}b", "\u{8}\u{C}\u{7F}\u{85}\u{FEFF}\u{FEFF}"] {
            for quotes in [true, false] {
                buffer.removeAll()
                var copy = text
                let length = copy.withUTF8 { bytes in
                    FieldEncoding.appendEscaped(bytes, quotesAndBackslashes: quotes, to: buffer)
                    return FieldEncoding.escapedLength(bytes, quotesAndBackslashes: quotes)
                }
                if length != buffer.count { failures.append("\(text.debugDescription) quotes \(quotes): \(length) != \(buffer.count)") }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    @Test func logfmtValuesWithBackslashesAreQuotedOnRequest() {
        var failures: [String] = []
        let buffer = LineBuffer()
        for text in Self.samples {
            buffer.removeAll()
            FieldEncoding.appendLogfmtString(text, quotingBackslashes: true, to: buffer)
            let expected = text.contains("\\") ? Self.referenceJSON(text) : Self.referenceLogfmt(text)
            if buffer.string != expected { failures.append("quoting \(text.debugDescription): \(buffer.string)") }
            buffer.removeAll()
            FieldEncoding.appendLogfmtString(text, quotingBackslashes: false, to: buffer)
            if buffer.string != Self.referenceLogfmt(text) { failures.append("bare \(text.debugDescription): \(buffer.string)") }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    @Test func logfmtKeysHaveBackslashesReplacedOnRequest() {
        let buffer = LineBuffer()
        FieldEncoding.appendLogfmtKey("C:\\dir key", replacingBackslashes: true, to: buffer)
        #expect(buffer.string == "C:_dir_key")
        buffer.removeAll()
        FieldEncoding.appendLogfmtKey("C:\\dir key", replacingBackslashes: false, to: buffer)
        #expect(buffer.string == "C:\\dir_key")
        buffer.removeAll()
        FieldEncoding.appendLogfmtKey("abcdefgh\\ijk", replacingBackslashes: true, to: buffer)
        #expect(buffer.string == "abcdefgh_ijk")
        buffer.removeAll()
        FieldEncoding.appendLogfmtKey("", replacingBackslashes: true, to: buffer)
        #expect(buffer.string == "_")
    }

    @Test func doublesAreWrittenAsTheirDescription() {
        let buffer = LineBuffer()
        for number in [3.0, -2.0, 0.1, 1e-05, 1e15, 1e16, 123_456_789_012_345.0, -0.0, 0.0, Double.greatestFiniteMagnitude] {
            buffer.removeAll()
            FieldEncoding.appendFiniteDouble(number, to: buffer)
            #expect(buffer.string == number.description)
        }
        for (number, name) in [(Double.nan, "NaN"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf")] {
            buffer.removeAll()
            FieldEncoding.appendNonFinite(number, to: buffer)
            #expect(buffer.string == name)
        }
    }

    /// The escaping of raw bytes, written the slow obvious way: the C0 controls and DEL one byte at a
    /// time, `C2 xx` with `xx <= 9F` as `\u00xx`, `EF BB BF` as `\ufeff`, every other byte as it is.
    private static func referenceEscaped(_ bytes: [UInt8], quotes: Bool) -> [UInt8] {
        func unicode(_ value: UInt8) -> [UInt8] {
            let hex = Array("0123456789abcdef".utf8)
            return Array("\\u00".utf8) + [hex[Int(value >> 4)], hex[Int(value & 15)]]
        }
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x22 where quotes: out += Array("\\\"".utf8)
            case 0x5C where quotes: out += Array("\\\\".utf8)
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0..<0x20, 0x7F: out += unicode(byte)
            case 0xC2 where index + 1 < bytes.count && bytes[index + 1] <= 0x9F:
                out += unicode(bytes[index + 1])
                index += 1
            case 0xEF where index + 2 < bytes.count && bytes[index + 1] == 0xBB && bytes[index + 2] == 0xBF:
                out += Array("\\ufeff".utf8)
                index += 2
            default: out.append(byte)
            }
            index += 1
        }
        return out
    }

    @Test func everyByteAtEveryPositionOfRawText() {
        var failures: [String] = []
        let buffer = LineBuffer(capacity: 16)
        for length in [1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 23, 24, 25, 31, 32, 33] {
            for position in 0..<length {
                for byte in 0...255 {
                    var bytes = Array(repeating: UInt8(ascii: "a"), count: length)
                    bytes[position] = UInt8(byte)
                    for quotes in [true, false] {
                        buffer.removeAll()
                        let length = bytes.withUnsafeBufferPointer { pointer in
                            FieldEncoding.appendEscaped(pointer, quotesAndBackslashes: quotes, to: buffer)
                            return FieldEncoding.escapedLength(pointer, quotesAndBackslashes: quotes)
                        }
                        let expected = Self.referenceEscaped(bytes, quotes: quotes)
                        if buffer.bytes != expected || length != expected.count {
                            failures.append("byte \(byte) at \(position) of \(bytes.count), quotes \(quotes)")
                        }
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    /// logfmt key sanitising, written the slow obvious way.
    private static func referenceKey(_ key: String, backslashes: Bool) -> String {
        if key.isEmpty { return "_" }
        return String(String.UnicodeScalarView(key.unicodeScalars.map { scalar in
            let replaced = scalar.value <= 0x20 || scalar == "=" || scalar == "\"" || (0x7F...0x9F).contains(scalar.value)
                || scalar == "\u{FEFF}" || (backslashes && scalar == "\\")
            return replaced ? "_" : scalar
        }))
    }

    @Test func logfmtKeysAreSanitisedAtEveryPosition() {
        var failures: [String] = []
        let buffer = LineBuffer(capacity: 16)
        for key in Self.samples {
            for backslashes in [true, false] {
                buffer.removeAll()
                FieldEncoding.appendLogfmtKey(key, replacingBackslashes: backslashes, to: buffer)
                if buffer.string != Self.referenceKey(key, backslashes: backslashes) {
                    failures.append("\(key.debugDescription) backslashes \(backslashes): \(buffer.string)")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    @Test func longTextIsEscapedWhateverItsLength() {
        let buffer = LineBuffer(capacity: 16)
        for repeats in [1, 2, 30, 100, 400] {
            let text = String(repeating: "plain text, \"quoted\" \\ \n\u{1}\u{85}é\u{FEFF}", count: repeats)
            buffer.removeAll()
            FieldEncoding.appendJSONString(text, to: buffer)
            #expect(buffer.string == Self.referenceJSON(text))
            buffer.removeAll()
            FieldEncoding.appendLogfmtString(text, quotingBackslashes: false, to: buffer)
            #expect(buffer.string == Self.referenceLogfmt(text))
            let bare = String(repeating: "bare-token/", count: repeats * 10)
            buffer.removeAll()
            FieldEncoding.appendLogfmtString(bare, quotingBackslashes: true, to: buffer)
            #expect(buffer.string == bare)
        }
        // Text that grows six times when escaped, beyond the length measured instead of estimated.
        let controls = String(repeating: "\u{1}", count: 5000)
        buffer.removeAll()
        FieldEncoding.appendJSONString(controls, to: buffer)
        #expect(buffer.count == 2 + 6 * 5000)
        #expect(buffer.string == Self.referenceJSON(controls))
    }

    @Test func onlyTheExactReservedNamesArePrefixed() {
        let json = JSONFormatter(includeTimestamp: false, includeLevel: false, includeLabel: false, includeSource: false)
        let logfmt = LogfmtFormatter(includeTimestamp: false, includeLevel: false, includeLabel: false, includeSource: false)
        let names = ["time", "level", "logger", "msg", "error", "source"]
        var keys: [(String, Bool)] = names.map { ($0, true) }
        for name in names {
            keys += [(name + "s", false), (String(name.dropLast()), false), ("_" + name, false), (name.uppercased(), false)]
            for position in 0..<name.count {
                var characters = Array(name)
                characters[position] = "x"
                keys.append((String(characters), false))
            }
        }
        var failures: [String] = []
        for (key, reserved) in keys {
            let record = F.record("m", fields: [key: 1])
            let written = reserved ? "fields." + key : key
            if F.line(json, record) != "{\"msg\":\"m\",\"\(written)\":1}\n" { failures.append("json \(key)") }
            if F.line(logfmt, record) != "msg=m \(written)=1\n" { failures.append("logfmt \(key)") }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }
}
