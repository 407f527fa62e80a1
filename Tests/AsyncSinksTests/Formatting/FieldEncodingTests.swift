import AsyncSinks
import Testing

/// Checks the word-at-a-time scanning against a plain per-character reference, with the special
/// character at every position of strings of every length around the eight-byte word size.
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
        for length in 1...20 {
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
}
