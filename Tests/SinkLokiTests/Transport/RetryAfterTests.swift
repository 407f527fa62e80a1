import AsyncSinks
@testable import SinkLoki
import Testing

@Suite("RetryAfter")
struct RetryAfterTests {
    let now = LogTimestamp(nanosecondsSinceEpoch: 784_111_777_000_000_000)   // Sun, 06 Nov 1994 08:49:37 GMT

    @Test("parses delay seconds")
    func seconds() {
        #expect(RetryAfter.parse("120", now: now) == .seconds(120))
        #expect(RetryAfter.parse(" 0 ", now: now) == .seconds(0))
        #expect(RetryAfter.parse("-3", now: now) == nil)
    }

    @Test("parses IMF-fixdate relative to now; past dates mean no delay")
    func dates() {
        #expect(RetryAfter.parseHTTPDate("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:50:37 GMT", now: now) == .seconds(60))
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == .seconds(0))
        #expect(RetryAfter.parseHTTPDate("Thu, 29 Feb 2024 23:59:59 GMT") == 1_709_251_199)
    }

    @Test("rejects garbage", arguments: ["soon", "", "Sun, 06 Nov 1994 25:00:00 GMT", "Sun, 06 Foo 1994 08:49:37 GMT"])
    func garbage(value: String) {
        #expect(RetryAfter.parse(value, now: now) == nil)
    }
}
