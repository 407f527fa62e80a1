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
}
