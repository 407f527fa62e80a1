import AsyncSinks
import Foundation
import Testing

@Suite struct JSONFormatterTests {
    typealias F = FormattingFixtures

    private func line(_ record: LogRecord, _ formatter: JSONFormatter = JSONFormatter()) -> String {
        F.line(formatter, record)
    }

    @Test func basicLine() {
        let record = F.record(fields: ["status": 200, "path": "/a b"])
        #expect(line(record) == #"{"time":"2026-11-24T08:15:50.123456Z","level":"info","logger":"api","msg":"request served","status":200,"path":"/a b","source":"App/Server.swift:42"}"# + "\n")
    }

    @Test func everyLevelName() {
        for level in LogLevel.allCases {
            let record = F.record("m", level: level, label: "")
            let formatter = JSONFormatter(includeTimestamp: false, includeSource: false)
            #expect(line(record, formatter) == #"{"level":""# + level.name + #"","msg":"m"}"# + "\n")
        }
    }

    @Test func stringEscaping() {
        let record = F.record("a \"q\" \\ \n\r\t\u{1B}[31m\u{7F}\u{9B}\u{0}\u{8}\u{C}", label: "", file: "Dir \"x\"/F.swift")
        let formatter = JSONFormatter(includeTimestamp: false, includeLevel: false)
        #expect(line(record, formatter) == #"{"msg":"a \"q\" \\ \n\r\t\u001b[31m\u007f\u009b\u0000\u0008\u000c","source":"Dir \"x\"/F.swift:42"}"# + "\n")
    }

    @Test func byteOrderMarkIsEscapedButItsNeighboursAreNot() {
        let record = F.record("\u{FEFF}a\u{FFFE}b\u{FF01}c\u{FEFF}", label: "", file: "F.swift")
        let formatter = JSONFormatter(includeTimestamp: false, includeLevel: false, includeSource: false)
        #expect(line(record, formatter) == #"{"msg":"\ufeffa"# + "\u{FFFE}b\u{FF01}c" + #"\ufeff"}"# + "\n")
    }

    @Test func nonASCIIPassesThrough() {
        let record = F.record("日本語 🚀 é 👨‍👩‍👧 \u{A0}", fields: ["città": "東京"], label: "", file: "F.swift")
        let formatter = JSONFormatter(includeTimestamp: false, includeLevel: false, includeSource: false)
        #expect(line(record, formatter) == #"{"msg":"日本語 🚀 é 👨‍👩‍👧 "# + "\u{A0}" + #"","città":"東京"}"# + "\n")
    }

    @Test func emptyMessageAndEmptyKey() {
        let record = F.record("", fields: ["": "v"], label: "")
        let formatter = JSONFormatter(includeTimestamp: false, includeLevel: false, includeSource: false)
        #expect(line(record, formatter) == #"{"msg":"","":"v"}"# + "\n")
    }

    @Test func callSiteFieldsOverrideBoundOnes() {
        let record = F.record("m", bound: ["a": 1, "b": 2], fields: ["b": 3, "c": 4], label: "")
        let formatter = JSONFormatter(includeTimestamp: false, includeLevel: false, includeSource: false)
        #expect(line(record, formatter) == #"{"msg":"m","a":1,"b":3,"c":4}"# + "\n")
    }

    @Test func groupsAreNestedObjects() {
        let fields: LogFields = [
            "http": ["method": "GET", "response": ["status": 200, "ok": true]],
            "empty": .group(LogFields()),
            "n": 1,
        ]
        let record = F.record("m", fields: fields, label: "")
        let formatter = JSONFormatter(includeTimestamp: false, includeLevel: false, includeSource: false)
        #expect(line(record, formatter) == #"{"msg":"m","http":{"method":"GET","response":{"status":200,"ok":true}},"empty":{},"n":1}"# + "\n")
    }

    @Test func errorAndSourceComeLast() {
        let record = F.record("m", fields: ["k": "v"], error: F.SampleError())
        #expect(line(record) == #"{"time":"2026-11-24T08:15:50.123456Z","level":"info","logger":"api","msg":"m","k":"v","error":"disk \"data\" full\nretry later","source":"App/Server.swift:42"}"# + "\n")
    }

    @Test func reservedKeysArePrefixed() {
        let fields: LogFields = [
            "time": true, "level": 1, "logger": "l", "msg": "x", "error": ["code": 5], "source": "s", "message": "kept",
        ]
        let record = F.record("m", fields: fields, label: "")
        let formatter = JSONFormatter(includeTimestamp: false, includeLevel: false, includeSource: false)
        #expect(line(record, formatter) == #"{"msg":"m","fields.time":true,"fields.level":1,"fields.logger":"l","fields.msg":"x","fields.error":{"code":5},"fields.source":"s","message":"kept"}"# + "\n")
    }

    @Test func numbers() {
        let fields: LogFields = [
            "min": .int(.min), "max": .int(.max), "zero": 0, "half": 0.5, "three": 3.0, "negative": -42.0,
            "negativeZero": .double(-0.0), "tiny": 1e-5, "big": 1e16, "largestFast": 999_999_999_999_999.0,
            "nan": .double(.nan), "inf": .double(.infinity), "negInf": .double(-.infinity), "yes": true, "no": false,
        ]
        let record = F.record("m", fields: fields, label: "")
        let formatter = JSONFormatter(includeTimestamp: false, includeLevel: false, includeSource: false)
        #expect(line(record, formatter) == #"{"msg":"m","min":-9223372036854775808,"max":9223372036854775807,"zero":0,"half":0.5,"three":3.0,"negative":-42.0,"negativeZero":-0.0,"tiny":1e-05,"big":1e+16,"largestFast":999999999999999.0,"nan":"NaN","inf":"+Inf","negInf":"-Inf","yes":true,"no":false}"# + "\n")
    }

    @Test func everyTimestampPrecision() {
        let expectations: [(TimestampFormat.Precision, String)] = [
            (.seconds, "2026-11-24T08:15:50Z"),
            (.milliseconds, "2026-11-24T08:15:50.123Z"),
            (.microseconds, "2026-11-24T08:15:50.123456Z"),
            (.nanoseconds, "2026-11-24T08:15:50.123456789Z"),
        ]
        for (precision, time) in expectations {
            let formatter = JSONFormatter(timestamp: TimestampFormat(precision: precision), includeLevel: false, includeSource: false)
            #expect(line(F.record("m", label: ""), formatter) == #"{"time":""# + time + #"","msg":"m"}"# + "\n")
        }
    }

    @Test func appendEntryWritesNoNewline() {
        let buffer = LineBuffer()
        JSONFormatter(includeTimestamp: false).appendEntry(F.record("m", level: .error), into: buffer)
        #expect(buffer.string == #"{"level":"error","logger":"api","msg":"m","source":"App/Server.swift:42"}"#)
    }

    @Test func veryLongValue() {
        let long = String(repeating: "0123456789", count: 10_000) + "\"end\n"
        let record = F.record(long, fields: ["v": .string(long)], label: "")
        let formatter = JSONFormatter(includeTimestamp: false, includeLevel: false, includeSource: false)
        let escaped = String(repeating: "0123456789", count: 10_000) + #"\"end\n"#
        #expect(line(record, formatter) == #"{"msg":""# + escaped + #"","v":""# + escaped + #""}"# + "\n")
    }

    @Test func shorthandAndColorizedAreTheSameFormat() {
        let formatter: any LogFormatter = .json
        let record = F.record(fields: ["k": "v"])
        #expect(F.line(formatter, record) == line(record))
        let buffer = LineBuffer()
        formatter.colorized().format(record, into: buffer)
        #expect(buffer.string == line(record))
    }

    /// Every line must parse back with JSONSerialization, with every value intact.
    @Test func nastyInputsParseBackExactly() throws {
        let doubles: [Double] = [0, -0.0, 0.1, 1e-5, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e16, -123.456, .nan, .infinity, -.infinity]
        let formatter = JSONFormatter(timestamp: TimestampFormat(precision: .nanoseconds))
        for (index, text) in F.nastyStrings.enumerated() {
            let double = doubles[index % doubles.count]
            let fields: LogFields = [
                "value": .string(text),
                "double": .double(double),
                "group": ["inner": .string(text), "deeper": ["n": .int(Int64(index))]],
                "msg": .string(text),
            ]
            let record = F.record(text, bound: ["bound": .string(text)], fields: fields, label: text, file: text, error: F.SampleError())
            let line = F.line(formatter, record)
            #expect(line.hasSuffix("}\n"))
            #expect(!line.dropLast().utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }))
            let data = Data(line.utf8)
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "not an object: \(line)")
            #expect(object["msg"] as? String == text)
            #expect(object["value"] as? String == text)
            #expect(object["bound"] as? String == text)
            #expect(object["fields.msg"] as? String == text)
            #expect((object["logger"] as? String) == (text.isEmpty ? nil : text))
            #expect(object["source"] as? String == text + ":42")
            #expect(object["error"] as? String == F.SampleError().description)
            #expect(object["time"] as? String == "2026-11-24T08:15:50.123456789Z")
            let group = try #require(object["group"] as? [String: Any])
            #expect(group["inner"] as? String == text)
            #expect((group["deeper"] as? [String: Any])?["n"] as? Int == index)
            if double.isNaN {
                #expect(object["double"] as? String == "NaN")
            } else if double.isInfinite {
                #expect(object["double"] as? String == (double > 0 ? "+Inf" : "-Inf"))
            } else {
                #expect((object["double"] as? NSNumber)?.doubleValue == double)
            }
        }
    }

    /// Keys built from nasty strings are escaped, not dropped or merged.
    @Test func nastyKeysParseBackExactly() throws {
        let formatter = JSONFormatter(includeTimestamp: false, includeLevel: false, includeLabel: false, includeSource: false)
        for text in F.nastyStrings where text != "msg" {
            let record = F.record("m", fields: [text: .string(text), "after": 1])
            let data = Data(F.line(formatter, record).utf8)
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(object[text] as? String == text)
            #expect(object["after"] as? Int == 1)
            #expect(object.count == 3)
        }
    }
}
