import AsyncSinks
import Testing

@Suite struct LineBufferTests {
    @Test func appendCopyRepeatsWrittenBytes() {
        let buffer = LineBuffer(capacity: 16)
        buffer.append("http.")
        buffer.append("method ")
        buffer.appendCopy(ofBytesAt: 0, count: 5)
        buffer.append("status")
        #expect(buffer.string == "http.method http.status")
    }

    @Test func appendCopySurvivesGrowth() {
        let buffer = LineBuffer(capacity: 16)
        buffer.append("0123456789abcdef")
        for _ in 0..<6 { buffer.appendCopy(ofBytesAt: 0, count: buffer.count) }
        #expect(buffer.count == 16 * 64)
        #expect(buffer.string == String(repeating: "0123456789abcdef", count: 64))
    }

    @Test func appendCopyIgnoresRangesOutsideTheWrittenBytes() {
        let buffer = LineBuffer()
        buffer.append("abc")
        buffer.appendCopy(ofBytesAt: 2, count: 2)
        buffer.appendCopy(ofBytesAt: -1, count: 1)
        buffer.appendCopy(ofBytesAt: 0, count: 0)
        buffer.appendCopy(ofBytesAt: 3, count: 1)
        #expect(buffer.string == "abc")
    }

    @Test func decimalDigitCountMatchesTheDigitsWritten() {
        let values: [UInt64] = [0, 1, 9, 10, 99, 100, 999_999, 1_000_000, 9_999_999_999_999_999_999, UInt64(Int64.max), UInt64.max]
        for value in values {
            #expect(LineBuffer.decimalDigitCount(value) == String(value).count, "\(value)")
        }
        let buffer = LineBuffer()
        buffer.appendDecimal(Int64.min)
        #expect(buffer.string == String(Int64.min))
        #expect(buffer.count == 1 + LineBuffer.decimalDigitCount(Int64.min.magnitude))
    }

    @Test func appendRangeOfAnotherBuffer() {
        let source = LineBuffer(capacity: 16)
        source.append("first second third")
        let target = LineBuffer(capacity: 16)
        target.append("> ")
        target.append(source, offset: 6, count: 6)
        target.append(source, offset: 13, count: 5)
        #expect(target.string == "> secondthird")
    }

    @Test func appendRangeOfItselfSurvivesGrowth() {
        let buffer = LineBuffer(capacity: 16)
        buffer.append("0123456789abcdef")
        buffer.append(buffer, offset: 0, count: 16)
        buffer.append(buffer, offset: 8, count: 16)
        #expect(buffer.string == "0123456789abcdef0123456789abcdef89abcdef01234567")
    }

    @Test func appendRangeIgnoresRangesOutsideTheWrittenBytes() {
        let source = LineBuffer()
        source.append("abc")
        let target = LineBuffer()
        target.append(source, offset: 2, count: 2)
        target.append(source, offset: -1, count: 1)
        target.append(source, offset: 0, count: 0)
        target.append(source, offset: 3, count: 1)
        #expect(target.isEmpty)
    }

    @Test func appendUninitializedKeepsWhatTheProducerWrote() {
        let buffer = LineBuffer(capacity: 16)
        buffer.append("ab")
        buffer.appendUninitialized(maximum: 100) { destination in
            for index in 0..<40 { destination[index] = UInt8(ascii: "x") }
            return 40
        }
        #expect(buffer.string == "ab" + String(repeating: "x", count: 40))
        buffer.appendUninitialized(maximum: 3) { destination in
            destination[0] = UInt8(ascii: "y")
            return 0
        }
        #expect(buffer.count == 42)
    }

    @Test func appendUninitializedClampsTheProducedCount() {
        let buffer = LineBuffer()
        buffer.appendUninitialized(maximum: 4) { destination in
            for index in 0..<4 { destination[index] = UInt8(ascii: "z") }
            return 9
        }
        #expect(buffer.string == "zzzz")
        buffer.appendUninitialized(maximum: 4) { _ in -3 }
        #expect(buffer.string == "zzzz")
    }
}
