import AsyncSinks
@testable import SinkLoki
import Testing

@Suite("LineWriter")
struct LineWriterTests {
    static func logfmt(_ value: String) -> String {
        let buffer = LineBuffer()
        LineWriter.appendLogfmtString(value, to: buffer)
        return String(decoding: buffer.bytes, as: UTF8.self)
    }

    static func key(_ key: String) -> String {
        let buffer = LineBuffer()
        LineWriter.appendLogfmtKey(key, to: buffer)
        return String(decoding: buffer.bytes, as: UTF8.self)
    }

    @Test("logfmt values are quoted only when needed and escaped inside quotes", arguments: [
        ("plain", "plain"), ("", #""""#), ("two words", #""two words""#), ("a=b", #""a=b""#),
        ("say \"hi\"", #""say \"hi\"""#), ("back\\slash", #""back\\slash""#), ("line\nbreak\ttab\r", #""line\nbreak\ttab\r""#),
        ("esc\u{1B}[0m", #""esc\u001b[0m""#), ("del\u{7F}", #""del\u007f""#), ("héllo", "héllo"), ("x ", #""x ""#),
        (#"C:\logs\app"#, #""C:\\logs\\app""#), ("next\u{85}line", #""next\u0085line""#), ("\u{FEFF}bom", #""\ufeffbom""#),
        ("bell\u{7}", #""bell\u0007""#), ("long plain value without specials at all", #""long plain value without specials at all""#),
    ])
    func values(input: String, expected: String) {
        #expect(Self.logfmt(input) == expected)
    }

    @Test("logfmt keys replace breaking bytes with underscores")
    func keys() {
        #expect(Self.key("http.method") == "http.method")
        #expect(Self.key("a b=c\"d") == "a_b_c_d")
        #expect(Self.key("") == "_")
        #expect(Self.key(#"dir\name"#) == "dir_name")
        #expect(Self.key("c1\u{85}key\u{FEFF}") == "c1_key_")
        #expect(Self.key("héllo") == "héllo")
    }

    /// The line `LineWriter` writes for `message` and `fields` in `syntax`.
    static func line(_ syntax: LineWriter.Syntax, message: String, fields: [(String, LogValue)]) -> String {
        let store = EntryStore()
        var writer = LineWriter(style: syntax, lines: store.lines, store: store, metadata: nil, keyForms: .forKeys(), messageForms: .forMessages())
        writer.begin(message: message)
        for (key, value) in fields { writer.field(key, value) }
        writer.end()
        return store.lines.string
    }

    @Test("JSON lines escape every control character and write numbers bare")
    func jsonLines() {
        let line = Self.line(.json, message: "a\"b\\c\u{8}\u{C}\n\u{85}é", fields: [
            ("n", .int(-42)), ("x", .double(3)), ("y", .double(0.1)), ("nan", .double(.nan)), ("inf", .double(-.infinity)),
            ("ok", .bool(true)), ("k\"ey", .string("v")),
        ])
        #expect(line == #"{"msg":"a\"b\\c\u0008\u000c\n\u0085é","n":-42,"x":3.0,"y":0.1,"nan":"NaN","inf":"-Inf","ok":true,"k\"ey":"v"}"#)
    }

    @Test("logfmt lines write doubles as their description and non-finite ones bare")
    func logfmtLines() {
        let line = Self.line(.logfmt, message: "done", fields: [
            ("x", .double(3)), ("y", .double(1e-05)), ("big", .double(1e16)), ("nan", .double(.nan)), ("inf", .double(.infinity)),
            ("ok", .bool(false)), ("path", .string(#"C:\tmp"#)),
        ])
        #expect(line == #"msg=done x=3.0 y=1e-05 big=1e+16 nan=NaN inf=+Inf ok=false path="C:\\tmp""#)
    }

    @Test("structured metadata holds doubles as their description")
    func metadataDoubles() {
        let store = EntryStore()
        var writer = LineWriter(style: .logfmt, lines: store.lines, store: store, metadata: .allFields, keyForms: .forKeys(), messageForms: .forMessages())
        writer.begin(message: "m")
        writer.field("ratio", .double(2))
        writer.field("small", .double(0.25))
        writer.field("nan", .double(.nan))
        writer.end()
        let text = store.metadataText
        let values = store.metadata.map { pair in
            String(decoding: UnsafeBufferPointer(start: text.base + pair.valueStart, count: pair.valueLength), as: UTF8.self)
        }
        #expect(values == ["2.0", "0.25", "NaN"])
        #expect(store.lines.string == "msg=m")
    }
}
