import AsyncSinks
import Testing

/// Writing through a `LineBuffer.Cursor`: what it writes, that growing keeps what was written, and
/// that a formatter's line does not depend on where the buffer has to grow.
@Suite struct LineBufferCursorTests {
    typealias F = FormattingFixtures

    @Test func writesRunsOfEveryLength() {
        let source = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
        for count in 0...40 {
            let buffer = LineBuffer(capacity: 16)
            buffer.append("<")
            source.withUnsafeBufferPointer { bytes in
                buffer.withCursor { cursor in
                    cursor.reserve(count &+ 1)
                    if let start = bytes.baseAddress { cursor.write(start, count: count) }
                    cursor.write(UInt8(ascii: ">"))
                }
            }
            #expect(buffer.bytes == [UInt8(ascii: "<")] + source.prefix(count) + [UInt8(ascii: ">")], "count \(count)")
        }
    }

    @Test func growingKeepsTheBytesWritten() {
        let buffer = LineBuffer(capacity: 16)
        var expected: [UInt8] = []
        buffer.withCursor { cursor in
            for round in 0..<300 {
                let text: StaticString = "0123456789"
                cursor.reserve(text.utf8CodeUnitCount &+ 20)
                cursor.write(text)
                cursor.writeDecimal(Int64(round))
                expected += Array("0123456789\(round)".utf8)
            }
        }
        #expect(buffer.count == expected.count)
        #expect(buffer.bytes == expected)
    }

    @Test func decimalsMatchTheirDescription() {
        var values: [Int64] = [0, 1, 9, 10, 42, 99, 100, 101, 999, 1000, 65_535, 1_000_000, Int64.max, Int64.min, -1, -9, -10, -99, -100]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            values += [power - 1, power, power + 1, -power]
        }
        let buffer = LineBuffer(capacity: 16)
        for value in values {
            buffer.removeAll()
            buffer.withCursor { cursor in
                cursor.reserve(20)
                cursor.writeDecimal(value)
            }
            #expect(buffer.string == String(value))
        }
    }

    @Test func digitPairsAreTensThenOnes() {
        for value in 0...99 {
            let pair = LineBuffer.Cursor.digitPair(value)
            let text = withUnsafeBytes(of: pair) { String(decoding: $0, as: UTF8.self) }
            #expect(text == (value < 10 ? "0\(value)" : "\(value)"))
        }
    }

    @Test func rewindAndCopyWithinTheLine() {
        let buffer = LineBuffer(capacity: 16)
        buffer.withCursor { cursor in
            cursor.reserve(64)
            cursor.write("http." as StaticString)
            cursor.write("method=GET " as StaticString)
            let mark = cursor.offset
            cursor.write("oops" as StaticString)
            cursor.rewind(to: mark)
            cursor.rewind(to: mark + 100)
            cursor.writeCopy(ofBytesAt: 0, count: 5)
            cursor.writeCopy(ofBytesAt: 10, count: 100)
            cursor.write("status=200" as StaticString)
        }
        #expect(buffer.string == "http.method=GET http.status=200")
    }

    /// Records whose pieces each need the buffer to grow somewhere: long and escaped text, groups,
    /// an error, empty strings.
    private static var records: [LogRecord] {
        let long = String(repeating: "0123456789 \"quoted\" \\ \n\u{1}é ", count: 120)
        return [
            F.record(),
            F.record(long, fields: ["text": .string(long), "n": 12, "ok": true, "ratio": 0.25]),
            F.record("", fields: ["": "", "http": ["method": "GET", "inner": ["deep": 1, "empty": [:]]], "msg": "shadow"],
                     label: "", file: "", error: F.SampleError()),
            F.record(String(repeating: "\u{1}", count: 3000), label: String(repeating: "l a", count: 500)),
        ]
    }

    @Test func linesDoNotDependOnWhereTheBufferGrows() {
        let formatters: [any LogFormatter] = [JSONFormatter(), LogfmtFormatter(), TextFormatter(), TextFormatter().colorized()]
        var failures: [String] = []
        for formatter in formatters {
            for (index, record) in Self.records.enumerated() {
                let roomy = LineBuffer(capacity: 1 << 20)
                formatter.format(record, into: roomy)
                let expected = roomy.bytes
                for prefix in 0..<70 {
                    let buffer = LineBuffer(capacity: 16)
                    buffer.append(contentsOf: Array(repeating: UInt8(ascii: "#"), count: prefix))
                    formatter.format(record, into: buffer)
                    if Array(buffer.bytes.dropFirst(prefix)) != expected || buffer.count != prefix + expected.count {
                        failures.append("\(type(of: formatter)) record \(index) after \(prefix) bytes")
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }
}
