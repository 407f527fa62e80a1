import AsyncSinks
import Testing

@Suite struct MessageFormatterTests {
    typealias F = FormattingFixtures

    private let formatter = MessageFormatter()

    /// Formats `messages` as one batch into a buffer that already holds `prefix`, through an
    /// existential as a sink does.
    private func batch(_ messages: [String], capacity: Int = 16, prefix: String = "") -> (text: String, lineEnds: [Int]) {
        let buffer = LineBuffer(capacity: capacity)
        buffer.append(prefix)
        let records = messages.map { F.record($0, fields: ["ignored": 1]) }
        var lineEnds: [Int] = [prefix.utf8.count]
        let sinkFormatter: any LogFormatter = formatter
        records.withUnsafeBufferPointer { sinkFormatter.format($0, into: buffer, lineEnds: &lineEnds) }
        return (buffer.string, lineEnds)
    }

    /// Formats `messages` one record at a time.
    private func oneByOne(_ messages: [String], prefix: String = "") -> (text: String, lineEnds: [Int]) {
        let buffer = LineBuffer(capacity: 16)
        buffer.append(prefix)
        var lineEnds: [Int] = [prefix.utf8.count]
        for message in messages {
            formatter.format(F.record(message), into: buffer)
            lineEnds.append(buffer.count)
        }
        return (buffer.string, lineEnds)
    }

    @Test func writesOnlyTheMessage() {
        let record = F.record("GET /api/v1/orders 200 12ms", bound: ["request": "r-1"], fields: ["status": 200], error: F.SampleError())
        #expect(F.line(formatter, record) == "GET /api/v1/orders 200 12ms\n")
        let shorthand: any LogFormatter = .message
        #expect(F.line(shorthand, F.record("")) == "\n")
    }

    @Test func escapesWhatCouldBreakTheLineOrDriveATerminal() {
        #expect(F.line(formatter, F.record("first\nsecond\r\tthird")) == #"first\nsecond\r\tthird"# + "\n")
        #expect(F.line(formatter, F.record("\u{1B}[31mred\u{7F}\u{85}\u{FEFF}")) == #"\u001b[31mred\u007f\u0085\ufeff"# + "\n")
        #expect(F.line(formatter, F.record(#"quotes " and \ stay"#)) == #"quotes " and \ stay"# + "\n")
        #expect(F.line(formatter, F.record("café 日本語 🚀")) == "café 日本語 🚀\n")
    }

    @Test func batchMatchesFormattingEachRecord() {
        let long = String(repeating: "0123456789abcdef", count: 8)
        var messages = ["", "a", "fifteen bytes..", "sixteen bytes...", "seventeen bytes..", long, long + "\n" + long, "short\n", "é" + long, long + "\u{9B}"]
        // Every troublesome string, short as it is and long enough to be copied from the string's storage.
        for nasty in F.nastyStrings { messages += [nasty, long + nasty, nasty + long] }
        let batched = batch(messages, prefix: "existing\n")
        let single = oneByOne(messages, prefix: "existing\n")
        #expect(batched.text == single.text)
        #expect(batched.lineEnds == single.lineEnds)
        #expect(batched.lineEnds.count == 1 + messages.count)
    }

    @Test(arguments: [40, 64, 100, 130])
    func everyByteValueInLongMessagesIsHandledLikeTheEscapingPath(length: Int) {
        // Each byte value at positions where the copy's pieces meet: sixteen- and 32-byte chunks,
        // 64-byte steps, eight-byte words, the overlapping last chunk and the byte-wise tail.
        var messages: [String] = []
        let positions = [0, 7, 8, 15, 16, 31, 32, 33, 39, 63, 64, 95, 96, length - 32, length - 1].filter { $0 >= 0 && $0 < length }
        for value in UInt8.min...UInt8.max {
            for position in positions {
                var bytes = Array(repeating: UInt8(ascii: "x"), count: length)
                bytes[position] = value
                messages.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        let batched = batch(messages)
        #expect(batched.text == oneByOne(messages).text)
        #expect(batched.lineEnds == oneByOne(messages).lineEnds)
    }

    @Test(arguments: [63, 64, 65, 128, 191])
    func longMessagesAreCopiedInRunsThatStopWhereTheEscapingPathTakesOver(position: Int) {
        // Long printable messages are copied in runs of up to 64; a message that needs escaping,
        // a short one, or the end of the buffer's room ends a run at `position` or just after it.
        var messages = (0..<300).map { "message \($0) " + String(repeating: "x", count: 16 + $0 % 50) }
        messages[position] = "broken\nline " + messages[position]
        messages[position + 1] = "short"
        messages[position + 3] = messages[position + 3] + "\u{1B}"
        for capacity in [16, 1_000, 20_000] {
            let batched = batch(messages, capacity: capacity, prefix: "existing\n")
            let single = oneByOne(messages, prefix: "existing\n")
            #expect(batched.text == single.text)
            #expect(batched.lineEnds == single.lineEnds)
        }
    }

    @Test func growsTheBufferForLargeBatches() {
        let messages = (0..<2_000).map { "line \($0) " + String(repeating: "x", count: $0 % 300) }
        let batched = batch(messages, capacity: 16)
        #expect(batched.text == oneByOne(messages).text)
        #expect(batched.lineEnds == oneByOne(messages).lineEnds)
    }
}
