import AsyncSinks
import Testing

@Suite struct TextFormatterTests {
    typealias F = FormattingFixtures

    private let bare = TextFormatter(includeTimestamp: false, includeLabel: false, includeSource: false)

    private func line(_ record: LogRecord, _ formatter: TextFormatter = TextFormatter()) -> String {
        F.line(formatter, record)
    }

    @Test func basicLine() {
        let record = F.record(fields: ["status": 200, "path": "/a b"])
        #expect(line(record) == #"2026-11-24T08:15:50.123456Z INFO  [api] request served status=200 path="/a b" (App/Server.swift:42)"# + "\n")
    }

    @Test func defaults() {
        let formatter = TextFormatter()
        #expect(formatter.timestamp == .default)
        #expect(formatter.includeTimestamp && formatter.includeLabel && formatter.includeSource)
        #expect(!formatter.useColors)
    }

    @Test func levelTagsLineUp() {
        let tags = LogLevel.allCases.map { line(F.record("m", level: $0), bare) }
        #expect(tags == ["TRACE m\n", "DEBUG m\n", "INFO  m\n", "NOTE  m\n", "WARN  m\n", "ERROR m\n", "CRIT  m\n"])
    }

    @Test func messageKeepsQuotesAndEscapesControls() {
        let record = F.record("line\nbreak \"q\" \\ \u{1B}[31mred\u{7F}\u{9B}\r\t日本語 🚀")
        #expect(line(record, bare) == #"INFO  line\nbreak "q" \ \u001b[31mred\u007f\u009b\r\t日本語 🚀"# + "\n")
    }

    @Test func byteOrderMarkIsEscaped() {
        #expect(line(F.record("\u{FEFF}x"), bare) == #"INFO  \ufeffx"# + "\n")
    }

    @Test func labelAndSourceAreEscaped() {
        let record = F.record("m", label: "a\nb", file: "x\u{1B}y.swift")
        #expect(line(record, TextFormatter(includeTimestamp: false)) == #"INFO  [a\nb] m (x\u001by.swift:42)"# + "\n")
    }

    @Test func emptyMessageAndEmptyLabel() {
        let formatter = TextFormatter(includeTimestamp: false, includeSource: false)
        #expect(line(F.record("", fields: ["k": "v"]), formatter) == "INFO  [api] k=v\n")
        #expect(line(F.record("", label: ""), formatter) == "INFO\n")
        #expect(line(F.record("m", label: ""), formatter) == "INFO  m\n")
    }

    @Test func fieldsUseLogfmtQuoting() {
        let record = F.record("m", bound: ["a": 1, "b": 2], fields: ["b": "x y", "": "v", "q": #"say "hi""#, "g": ["n": 1.5, "e": .group(LogFields())], "msg": "kept"])
        #expect(line(record, bare) == #"INFO  m a=1 b="x y" _=v q="say \"hi\"" g.n=1.5 msg=kept"# + "\n")
    }

    @Test func errorBeforeSource() {
        let record = F.record("failed", error: F.SampleError())
        #expect(line(record, TextFormatter(includeTimestamp: false, includeLabel: false)) == #"INFO  failed error="disk \"data\" full\nretry later" (App/Server.swift:42)"# + "\n")
    }

    @Test func everyTimestampPrecision() {
        let expectations: [(TimestampFormat.Precision, String)] = [
            (.seconds, "2026-11-24T08:15:50Z"),
            (.milliseconds, "2026-11-24T08:15:50.123Z"),
            (.microseconds, "2026-11-24T08:15:50.123456Z"),
            (.nanoseconds, "2026-11-24T08:15:50.123456789Z"),
        ]
        for (precision, time) in expectations {
            let formatter = TextFormatter(timestamp: TimestampFormat(precision: precision), includeLabel: false, includeSource: false)
            #expect(line(F.record("m"), formatter) == "\(time) INFO  m\n")
        }
    }

    @Test func colorizedLine() {
        let formatter = TextFormatter().colorized()
        let buffer = LineBuffer()
        formatter.format(F.record(fields: ["k": "v"]), into: buffer)
        let expected: String = "\u{1B}[2m2026-11-24T08:15:50.123456Z\u{1B}[0m \u{1B}[32mINFO\u{1B}[0m  [api] request served k=v "
            + "\u{1B}[2m(App/Server.swift:42)\u{1B}[0m\n"
        #expect(buffer.string == expected)
    }

    @Test func colorizedLevelColours() {
        let formatter = TextFormatter(includeTimestamp: false, includeLabel: false, includeSource: false, useColors: true)
        let colours = LogLevel.allCases.map { level -> String in
            let text = line(F.record("", level: level, label: ""), formatter)
            return String(text.dropFirst(2).prefix(while: { $0 != "m" }))
        }
        #expect(colours == ["90", "36", "32", "34", "33", "31", "1;31"])
    }

    /// Escape sequences come only from the formatter: the message cannot inject any.
    @Test func colorizedOutputCannotBeInjected() {
        let formatter = TextFormatter().colorized()
        let record = F.record("\u{1B}[2J\u{1B}]0;title\u{7}\u{9B}31m", fields: ["k": "\u{1B}[5m"], label: "\u{1B}[1m", error: F.SampleError())
        let buffer = LineBuffer()
        formatter.format(record, into: buffer)
        #expect(buffer.bytes.filter { $0 == 0x1B }.count == 6)  // dim+reset timestamp, colour+reset level, dim+reset source
        let otherControls = buffer.bytes.dropLast().filter { (byte: UInt8) -> Bool in (byte < 0x20 && byte != 0x1B) || byte == 0x7F }
        #expect(otherControls.isEmpty)
    }

    @Test func shorthand() {
        let formatter: any LogFormatter = .text
        #expect(F.line(formatter, F.record()) == line(F.record()))
    }

    @Test func nastyInputsStayOnOneLine() {
        for text in F.nastyStrings {
            let record = F.record(text, fields: [text: .string(text)], label: text, file: text, error: F.SampleError())
            let output = line(record)
            #expect(output.utf8.filter { $0 == 0x0A }.count == 1)
            #expect(output.hasSuffix("\n"))
            let controls = output.utf8.filter { (byte: UInt8) -> Bool in (byte < 0x20 && byte != 0x0A) || byte == 0x7F }
            #expect(controls.isEmpty)
            #expect(!output.unicodeScalars.contains(where: { (0x80...0x9F).contains($0.value) }))
        }
    }
}
