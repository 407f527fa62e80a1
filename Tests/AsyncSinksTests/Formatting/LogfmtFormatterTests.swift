import AsyncSinks
import Testing

@Suite struct LogfmtFormatterTests {
    typealias F = FormattingFixtures

    /// Only the message and fields, as a Loki line would carry them.
    private let body = LogfmtFormatter(includeTimestamp: false, includeLevel: false, includeLabel: false, includeSource: false)

    private func line(_ record: LogRecord, _ formatter: LogfmtFormatter = LogfmtFormatter()) -> String {
        F.line(formatter, record)
    }

    @Test func basicLine() {
        let record = F.record(fields: ["status": 200, "path": "/a b"])
        #expect(line(record) == #"time=2026-11-24T08:15:50.123456Z level=info logger=api msg="request served" status=200 path="/a b" source=App/Server.swift:42"# + "\n")
    }

    @Test func everyLevelName() {
        for level in LogLevel.allCases {
            let formatter = LogfmtFormatter(includeTimestamp: false, includeSource: false)
            #expect(line(F.record("m", level: level, label: ""), formatter) == "level=\(level.name) msg=m\n")
        }
    }

    @Test func valueQuoting() {
        let fields: LogFields = [
            "empty": "", "plain": "plain", "eq": "a=b", "quote": #"say "hi""#, "path": #"C:\dir"#, "spaced": #"a b\c"#,
            "newline": "line\nbreak", "cr": "a\rb", "tab": "a\tb", "ansi": "\u{1B}[31mred", "del": "\u{7F}", "c1": "\u{9B}x",
            "nul": "\u{0}", "cjk": "日本語", "emoji": "🚀", "nbsp": "a\u{A0}b",
        ]
        let expected = #"msg=m empty="" plain=plain eq="a=b" quote="say \"hi\"" path=C:\dir spaced="a b\\c" newline="line\nbreak" cr="a\rb" tab="a\tb" ansi="\u001b[31mred" del="\u007f" c1="\u009bx" nul="\u0000" cjk=日本語 emoji=🚀 nbsp=a"# + "\u{A0}b\n"
        #expect(line(F.record("m", fields: fields), body) == expected)
    }

    @Test func byteOrderMarkForcesQuotesInValuesAndIsReplacedInKeys() {
        let record = F.record("m", fields: ["\u{FEFF}k": "\u{FEFF}v", "full": "\u{FF01}"])
        #expect(line(record, body) == #"msg=m _k="\ufeffv" full="# + "\u{FF01}\n")
    }

    @Test func messageAndLabelAreQuotedWhenNeeded() {
        let formatter = LogfmtFormatter(includeTimestamp: false, includeLevel: false, includeSource: false)
        #expect(line(F.record("", label: "my app"), formatter) == #"logger="my app" msg="""# + "\n")
        #expect(line(F.record("one\ntwo", label: "app"), formatter) == #"logger=app msg="one\ntwo""# + "\n")
    }

    @Test func keysAreSanitised() {
        let fields: LogFields = [
            "a b": 1, "a=b": 2, #"a"b"#: 3, "line\nkey": 4, "": 5, "\u{1B}x": 6, "\u{9B}y": 7, "ключ": 8, #"back\slash"#: 9,
        ]
        #expect(line(F.record("m", fields: fields), body) == #"msg=m a_b=1 a_b=2 a_b=3 line_key=4 _=5 _x=6 _y=7 ключ=8 back\slash=9"# + "\n")
    }

    @Test func callSiteFieldsOverrideBoundOnes() {
        let record = F.record("m", bound: ["a": 1, "b": 2], fields: ["b": 3, "c": 4])
        #expect(line(record, body) == "msg=m a=1 b=3 c=4\n")
    }

    @Test func groupsAreFlattenedWithDots() {
        let fields: LogFields = [
            "http": ["method": "GET", "response": ["status": 200, "empty": .group(LogFields())], "nothing": .group(LogFields())],
            "ok": true,
            "leadingEmpty": ["e": .group(LogFields()), "x": 1, "y": ["z": "a b"]],
            "allEmpty": ["e": .group(LogFields())],
            "a b": ["c d": 1, "e": 2],
        ]
        #expect(line(F.record("m", fields: fields), body) == #"msg=m http.method=GET http.response.status=200 ok=true leadingEmpty.x=1 leadingEmpty.y.z="a b" a_b.c_d=1 a_b.e=2"# + "\n")
    }

    @Test func reservedKeysArePrefixed() {
        let fields: LogFields = ["msg": "x", "level": 1, "time": 2, "logger": 3, "source": 4, "error": ["code": 5], "message": 6]
        #expect(line(F.record("m", fields: fields), body) == "msg=m fields.msg=x fields.level=1 fields.time=2 fields.logger=3 fields.source=4 fields.error.code=5 message=6\n")
    }

    @Test func errorAndSourceComeLast() {
        let record = F.record("m", fields: ["k": "v"], file: "My App/Main File.swift", error: F.SampleError())
        let formatter = LogfmtFormatter(includeTimestamp: false, includeLevel: false, includeLabel: false)
        #expect(line(record, formatter) == #"msg=m k=v error="disk \"data\" full\nretry later" source="My App/Main File.swift:42""# + "\n")
    }

    @Test func numbers() {
        let fields: LogFields = [
            "min": .int(.min), "half": 0.5, "three": 3.0, "negativeZero": .double(-0.0), "tiny": 1e-5, "big": 1e16,
            "nan": .double(.nan), "inf": .double(.infinity), "negInf": .double(-.infinity), "yes": true, "no": false,
        ]
        #expect(line(F.record("m", fields: fields), body) == "msg=m min=-9223372036854775808 half=0.5 three=3.0 negativeZero=-0.0 tiny=1e-05 big=1e+16 nan=NaN inf=+Inf negInf=-Inf yes=true no=false\n")
    }

    @Test func everyTimestampPrecision() {
        let expectations: [(TimestampFormat.Precision, String)] = [
            (.seconds, "2026-11-24T08:15:50Z"),
            (.milliseconds, "2026-11-24T08:15:50.123Z"),
            (.microseconds, "2026-11-24T08:15:50.123456Z"),
            (.nanoseconds, "2026-11-24T08:15:50.123456789Z"),
        ]
        for (precision, time) in expectations {
            let formatter = LogfmtFormatter(timestamp: TimestampFormat(precision: precision), includeLevel: false, includeSource: false)
            #expect(line(F.record("m", label: ""), formatter) == "time=\(time) msg=m\n")
        }
    }

    @Test func appendEntryWritesTheBodyWithoutNewline() {
        let buffer = LineBuffer()
        body.appendEntry(F.record("request served", fields: ["status": 200], error: F.SampleError()), into: buffer)
        #expect(buffer.string == #"msg="request served" status=200 error="disk \"data\" full\nretry later""#)
    }

    @Test func veryLongValue() {
        let long = String(repeating: "abcdefghij", count: 10_000)
        let record = F.record("m", fields: ["v": .string(long), "w": .string(long + " x")])
        #expect(line(record, body) == "msg=m v=\(long) w=\"\(long) x\"\n")
    }

    @Test func shorthandAndColorizedAreTheSameFormat() {
        let formatter: any LogFormatter = .logfmt
        let record = F.record(fields: ["k": "v"])
        #expect(F.line(formatter, record) == line(record))
        let buffer = LineBuffer()
        formatter.colorized().format(record, into: buffer)
        #expect(buffer.string == line(record))
    }

    /// Every nasty value, as message, label or field, parses back to itself with a strict logfmt reader,
    /// and every line is exactly one line.
    @Test func nastyInputsParseBackExactly() throws {
        let formatter = LogfmtFormatter(timestamp: TimestampFormat(precision: .nanoseconds))
        for text in F.nastyStrings {
            let record = F.record(text, bound: ["b": .string(text)], fields: ["v": .string(text), "g": ["x": .string(text)], text: 1], label: text, file: "F.swift", error: F.SampleError())
            let line = line(record, formatter)
            #expect(line.hasSuffix("\n"))
            #expect(!line.dropLast().utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }))
            let pairs = try #require(LogfmtReader.parse(String(line.dropLast())), "unparseable: \(line)")
            let values = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
            #expect(pairs.count == values.count, "duplicate keys in \(line)")
            #expect(values["time"] == "2026-11-24T08:15:50.123456789Z")
            #expect(values["level"] == "info")
            #expect(values["msg"] == text)
            #expect(values["logger"] == (text.isEmpty ? nil : text))
            #expect(values["b"] == text)
            #expect(values["v"] == text)
            #expect(values["g.x"] == text)
            #expect(values["error"] == F.SampleError().description)
            #expect(values["source"] == "F.swift:42")
            // The key built from the nasty text is present, sanitised, with its value.
            #expect(pairs.contains(where: { $0.1 == "1" && !$0.0.utf8.contains(where: { $0 <= 0x20 || $0 == 0x3D || $0 == 0x22 || $0 == 0x7F }) }))
        }
    }
}

/// A strict logfmt reader for the tests: `key=value` pairs separated by single spaces, values bare or
/// quoted with `\"`, `\\`, `\n`, `\r`, `\t` and `\uXXXX` escapes. Returns `nil` on any deviation.
enum LogfmtReader {
    static func parse(_ line: String) -> [(String, String)]? {
        var pairs: [(String, String)] = []
        var scalars = Array(line.unicodeScalars)[...]
        while !scalars.isEmpty {
            guard let equals = scalars.firstIndex(of: "=") else { return nil }
            let key = String(String.UnicodeScalarView(scalars[scalars.startIndex..<equals]))
            if key.isEmpty || key.unicodeScalars.contains(where: { $0 == " " || $0 == "\"" }) { return nil }
            scalars = scalars[(equals + 1)...]
            var value = String.UnicodeScalarView()
            if scalars.first == "\"" {
                scalars = scalars.dropFirst()
                var closed = false
                while let scalar = scalars.popFirst() {
                    if scalar == "\"" {
                        closed = true
                        break
                    }
                    if scalar != "\\" {
                        value.append(scalar)
                        continue
                    }
                    guard let escape = scalars.popFirst() else { return nil }
                    switch escape {
                    case "\"": value.append("\"")
                    case "\\": value.append("\\")
                    case "n": value.append("\n")
                    case "r": value.append("\r")
                    case "t": value.append("\t")
                    case "u":
                        guard scalars.count >= 4 else { return nil }
                        let hex = String(String.UnicodeScalarView(scalars.prefix(4)))
                        scalars = scalars.dropFirst(4)
                        guard let code = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(code) else { return nil }
                        value.append(decoded)
                    default: return nil
                    }
                }
                guard closed else { return nil }
            } else {
                while let scalar = scalars.first, scalar != " " {
                    if scalar == "\"" || scalar == "=" { return nil }
                    value.append(scalar)
                    scalars = scalars.dropFirst()
                }
            }
            pairs.append((key, String(value)))
            if let separator = scalars.first {
                guard separator == " " else { return nil }
                scalars = scalars.dropFirst()
                if scalars.isEmpty { return nil }
            }
        }
        return pairs
    }
}
