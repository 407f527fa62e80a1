@testable import SinkLoki
import Testing

@Suite("LineWriter")
struct LineWriterTests {
    static func logfmt(_ value: String) -> String {
        let buffer = ByteBuffer()
        LineWriter.appendLogfmtString(value, to: buffer)
        return String(decoding: buffer.bytes, as: UTF8.self)
    }

    static func key(_ key: String) -> String {
        let buffer = ByteBuffer()
        LineWriter.appendLogfmtKey(key, to: buffer)
        return String(decoding: buffer.bytes, as: UTF8.self)
    }

    @Test("logfmt values are quoted only when needed and escaped inside quotes", arguments: [
        ("plain", "plain"), ("", #""""#), ("two words", #""two words""#), ("a=b", #""a=b""#),
        ("say \"hi\"", #""say \"hi\"""#), ("back\\slash", #""back\\slash""#), ("line\nbreak\ttab\r", #""line\nbreak\ttab\r""#),
        ("esc\u{1B}[0m", #""esc\u001b[0m""#), ("del\u{7F}", #""del\u007f""#), ("héllo", "héllo"), ("x ", #""x ""#),
    ])
    func values(input: String, expected: String) {
        #expect(Self.logfmt(input) == expected)
    }

    @Test("logfmt keys replace breaking bytes with underscores")
    func keys() {
        #expect(Self.key("http.method") == "http.method")
        #expect(Self.key("a b=c\"d") == "a_b_c_d")
        #expect(Self.key("") == "_")
    }
}
