import AsyncSinks
import Foundation
import SinkConsole
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct ConsoleSinkTests {
    typealias D = DescriptorFixtures

    private func sink(_ stream: ConsoleSink.Stream, formatter: any LogFormatter = .logfmt, colors: ConsoleSink.ColorPolicy = .never,
                      environment: [String: String] = [:], terminals: Set<Int32> = [], blockedWriteTimeout: Duration = .seconds(1)) -> ConsoleSink {
        ConsoleSink(
            configuration: .init(stream: stream, formatter: formatter, colors: colors, blockedWriteTimeout: blockedWriteTimeout),
            environment: environment,
            isTerminal: { terminals.contains($0) }
        )
    }

    @Test func defaults() {
        let configuration = ConsoleSink.Configuration.default
        #expect(configuration.stream == .standardError)
        #expect(configuration.colors == .automatic)
        #expect(configuration.formatter is TextFormatter)
        #expect(configuration.blockedWriteTimeout == .seconds(1))
    }

    @Test func streamDescriptions() {
        #expect(ConsoleSink.Stream.standardOutput.description == "standard output")
        #expect(ConsoleSink.Stream.standardError.description == "standard error")
        #expect(ConsoleSink.Stream.fileDescriptor(7).description == "file descriptor 7")
        #expect(ConsoleSink.Stream.splitByLevel().description == "standard error from warning up, standard output below")
        #expect(ConsoleSink.Stream.splitByLevel() == .splitByLevel(threshold: .warning, below: 1, atOrAbove: 2))
        #expect(ConsoleSink.Stream.fileDescriptor(1) == .standardOutput)
    }

    @Test func batchGoesOutInOneWrite() throws {
        try D.withMessageSocket { writer, reader in
            let records = D.records(count: 200)
            var batch = LogBatch(records: records)
            try sink(.fileDescriptor(writer)).write(&batch)
            let messages = D.messages(from: reader)
            let expected = D.expected(records, LogfmtFormatter())
            #expect(messages.count == 1)
            #expect(messages.first == expected)
            #expect(batch.bytesWritten == expected.utf8.count)
            #expect(!batch.isMarked(0))

            // A second batch is a second write, starting with nothing left over from the first.
            var second = LogBatch(records: Array(records.prefix(3)))
            try sink(.fileDescriptor(writer)).write(&second)
            #expect(D.messages(from: reader) == [D.expected(Array(records.prefix(3)), LogfmtFormatter())])
        }
    }

    @Test func emptyBatchWritesNothing() throws {
        try D.withMessageSocket { writer, reader in
            var batch = LogBatch(records: [])
            try sink(.fileDescriptor(writer)).write(&batch)
            #expect(D.messages(from: reader).isEmpty)
            #expect(batch.bytesWritten == 0)
        }
    }

    @Test func splitByLevelSendsWarningAndAboveToTheOtherDescriptor() throws {
        try D.withMessageSocket { lowWriter, lowReader in
            try D.withMessageSocket { highWriter, highReader in
                let records = D.records(count: 14)
                var batch = LogBatch(records: records)
                let console = sink(.splitByLevel(below: lowWriter, atOrAbove: highWriter))
                try console.write(&batch)
                let low = records.filter { $0.level < .warning }
                let high = records.filter { $0.level >= .warning }
                #expect(D.messages(from: lowReader) == [D.expected(low, LogfmtFormatter())])
                #expect(D.messages(from: highReader) == [D.expected(high, LogfmtFormatter())])
                #expect(batch.bytesWritten == D.expected(records, LogfmtFormatter()).utf8.count)
            }
        }
    }

    @Test func splitThresholdIsConfigurableAndAnEmptySideIsNotWritten() throws {
        try D.withMessageSocket { lowWriter, lowReader in
            try D.withMessageSocket { highWriter, highReader in
                let console = sink(.splitByLevel(threshold: .error, below: lowWriter, atOrAbove: highWriter))
                var batch = LogBatch(records: D.records(count: 7))
                try console.write(&batch)
                let lowLines = D.messages(from: lowReader).first?.split(separator: "\n") ?? []
                let highLines = D.messages(from: highReader).first?.split(separator: "\n") ?? []
                #expect(lowLines.count == 5)
                #expect(highLines.count == 2)
                #expect(highLines.allSatisfy { $0.contains("level=error") || $0.contains("level=critical") })

                var quiet = LogBatch(records: D.records(count: 3, levels: [.info]))
                try console.write(&quiet)
                #expect(D.messages(from: lowReader).count == 1)
                #expect(D.messages(from: highReader).isEmpty)
            }
        }
    }

    /// Split by level, the two sides' records interleave in the batch: when one side cannot take its
    /// write, exactly its records stay unmarked, for the retry, and the other side's are written.
    @Test func splitBatchMarksEachSidesRecordsAtTheirPlaceInTheBatch() throws {
        try D.withMessageSocket { lowWriter, lowReader in
            try D.withPipe { _, highWriter in
                _ = D.fillNonBlocking(highWriter)
                let console = sink(.splitByLevel(below: lowWriter, atOrAbove: highWriter), blockedWriteTimeout: .milliseconds(20))
                let records = D.records(count: 14, levels: [.info, .warning, .error, .debug, .trace, .critical])
                var batch = LogBatch(records: records)
                #expect(throws: LogSinkError.self) { try console.write(&batch) }
                for index in records.indices {
                    #expect(batch.isMarked(index) == (records[index].level < .warning), "record \(index)")
                }
                #expect(D.messages(from: lowReader) == [D.expected(records.filter { $0.level < .warning }, LogfmtFormatter())])
            }
        }
    }

    @Test func formatterChoiceIsRespected() throws {
        let records = D.records(count: 5)
        for formatter in [TextFormatter() as any LogFormatter, LogfmtFormatter(), JSONFormatter()] {
            try D.withMessageSocket { writer, reader in
                var batch = LogBatch(records: records)
                try sink(.fileDescriptor(writer), formatter: formatter).write(&batch)
                #expect(D.messages(from: reader) == [D.expected(records, formatter)])
            }
        }
        try D.withMessageSocket { writer, reader in
            var batch = LogBatch(records: records)
            try sink(.fileDescriptor(writer), formatter: .json).write(&batch)
            let lines = (D.messages(from: reader).first ?? "").split(separator: "\n")
            #expect(lines.count == 5)
            for line in lines {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                #expect(object?["logger"] as? String == "test")
            }
        }
    }

    /// A formatter of the application's own, which formats one record at a time.
    private struct LevelAndMessage: LogFormatter {
        func format(_ record: LogRecord, into buffer: LineBuffer) {
            buffer.append("\(record.level) \(record.message)\n")
        }
    }

    /// The sink formats each run of records through the formatter's batch method; a formatter that
    /// implements only the per-record one gets every line, on each side of a split.
    @Test func aFormatterOfOneRecordAtATimeGetsEveryLineOnEachSide() throws {
        try D.withMessageSocket { lowWriter, lowReader in
            try D.withMessageSocket { highWriter, highReader in
                let records = D.records(count: 9, levels: [.info, .info, .error, .debug, .warning, .warning, .trace])
                var batch = LogBatch(records: records)
                let console = sink(.splitByLevel(below: lowWriter, atOrAbove: highWriter), formatter: LevelAndMessage())
                try console.write(&batch)
                let low = records.filter { $0.level < .warning }
                let high = records.filter { $0.level >= .warning }
                let lowLines = D.messages(from: lowReader)
                #expect(lowLines == [D.expected(low, LevelAndMessage())])
                #expect(lowLines.first?.hasPrefix("info event 0\ninfo event 1\ndebug event 3\n") == true)
                #expect(D.messages(from: highReader) == [D.expected(high, LevelAndMessage())])
            }
        }
    }

    @Test func coloursFollowTheEnvironmentAndTerminal() throws {
        let records = D.records(count: 3, levels: [.info])
        let plain = D.expected(records, TextFormatter())
        let coloured = D.expected(records, TextFormatter(useColors: true))
        let cases: [(ConsoleSink.ColorPolicy, [String: String], Bool, String)] = [
            (.automatic, [:], true, coloured),
            (.automatic, [:], false, plain),
            (.automatic, ["NO_COLOR": "1"], true, plain),
            (.automatic, ["FORCE_COLOR": "1"], false, coloured),
            (.automatic, ["FORCE_COLOR": "0"], true, plain),
            (.always, ["NO_COLOR": "1"], false, coloured),
            (.never, ["FORCE_COLOR": "1"], true, plain),
        ]
        for (policy, environment, isTerminal, expected) in cases {
            try D.withMessageSocket { writer, reader in
                let console = sink(.fileDescriptor(writer), formatter: .text, colors: policy, environment: environment, terminals: isTerminal ? [writer] : [])
                var batch = LogBatch(records: records)
                try console.write(&batch)
                #expect(D.messages(from: reader) == [expected], "\(policy) \(environment) terminal: \(isTerminal)")
                #expect(console.usesColors(for: .info) == (expected == coloured))
            }
        }
    }

    @Test func coloursAreDecidedPerDescriptorWhenSplit() throws {
        try D.withMessageSocket { lowWriter, lowReader in
            try D.withMessageSocket { highWriter, highReader in
                let console = sink(.splitByLevel(below: lowWriter, atOrAbove: highWriter), formatter: .text, colors: .automatic, terminals: [highWriter])
                #expect(!console.usesColors(for: .info))
                #expect(console.usesColors(for: .error))
                var batch = LogBatch(records: D.records(count: 7))
                try console.write(&batch)
                #expect(!(D.messages(from: lowReader).first ?? "").contains("\u{1B}"))
                #expect((D.messages(from: highReader).first ?? "").contains("\u{1B}[31mERROR"))
            }
        }
    }

    @Test func machineReadableFormatsStayUncoloured() throws {
        try D.withMessageSocket { writer, reader in
            let records = D.records(count: 2)
            let console = sink(.fileDescriptor(writer), formatter: .json, colors: .always)
            var batch = LogBatch(records: records)
            try console.write(&batch)
            #expect(D.messages(from: reader) == [D.expected(records, JSONFormatter())])
        }
    }

    @Test func closedDescriptorIsAPermanentError() {
        let console = sink(.fileDescriptor(D.closedDescriptor))
        var batch = LogBatch(records: D.records(count: 3))
        #expect {
            try console.write(&batch)
        } throws: { error in
            guard let error = error as? LogSinkError else { return false }
            return error.kind == .permanent && error.message.contains("EBADF") && error.message.contains("file descriptor 1000000")
        }
        #expect((0..<3).allSatisfy { batch.isMarked($0) })
        #expect(batch.bytesWritten == 0)
    }

    @Test func closedPipeIsAPermanentErrorAndDoesNotRaiseSIGPIPE() throws {
        try D.withPipe { reader, writer in
            close(reader)
            reader = -1
            let console = sink(.fileDescriptor(writer))
            var batch = LogBatch(records: D.records(count: 3))
            #expect {
                try console.write(&batch)
            } throws: { error in
                (error as? LogSinkError)?.kind == .permanent && (error as? LogSinkError)?.message.contains("EPIPE") == true
            }
            #expect((0..<3).allSatisfy { batch.isMarked($0) })
            // Still alive: the signal was neither delivered nor left pending.
            var pending = sigset_t()
            sigpending(&pending)
            #expect(sigismember(&pending, SIGPIPE) == 0)
        }
    }

    @Test func fullNonBlockingPipeIsRetryableAndTheRetryGoesOut() throws {
        try D.withPipe { reader, writer in
            let filled = D.fillNonBlocking(writer)
            let console = sink(.fileDescriptor(writer), blockedWriteTimeout: .milliseconds(20))
            let records = D.records(count: 3)
            var batch = LogBatch(records: records)
            #expect {
                try console.write(&batch)
            } throws: { error in
                (error as? LogSinkError)?.kind == .retryable && (error as? LogSinkError)?.message.contains("EAGAIN") == true
            }
            #expect((0..<3).allSatisfy { !batch.isMarked($0) })

            #expect(D.drain(reader).count == filled)
            var retry = LogBatch(records: records, attempt: 2)
            try console.write(&retry)
            #expect(String(decoding: D.drain(reader), as: UTF8.self) == D.expected(records, LogfmtFormatter()))
        }
    }

    /// A write that stops inside a line: lines before it count as written, the cut line fails, the rest
    /// is retried, and the retry starts on a fresh line.
    @Test func partialWriteMarksWholeLinesAndRestartsOnANewLine() throws {
        try D.withStreamSocket(bufferSize: 4096) { writer, reader in
            _ = fcntl(writer, F_SETFL, fcntl(writer, F_GETFL) | O_NONBLOCK)
            // About 12 KB of lines: more than the socket takes at once, so the kernel writes part of them.
            let records = D.records(count: 100, levels: [.info], message: String(repeating: "m", count: 60))
            let lines = records.map { D.expected([$0], LogfmtFormatter()) }
            let total = lines.map(\.utf8.count).reduce(0, +)
            let console = sink(.fileDescriptor(writer), blockedWriteTimeout: .milliseconds(20))
            var batch = LogBatch(records: records)
            #expect(throws: LogSinkError.self) { try console.write(&batch) }
            let written = try #require(batch.bytesWritten)
            try #require(written > 0 && written < total)

            var offset = 0
            var firstUnwritten = 0
            while offset + lines[firstUnwritten].utf8.count <= written {
                offset += lines[firstUnwritten].utf8.count
                firstUnwritten += 1
            }
            for index in 0..<firstUnwritten { #expect(batch.isMarked(index)) }
            let cutLine = offset < written
            if cutLine { #expect(batch.isMarked(firstUnwritten)) }
            let retried = (cutLine ? firstUnwritten + 1 : firstUnwritten)..<records.count
            #expect(retried.allSatisfy { !batch.isMarked($0) })
            #expect(D.drain(reader).count == written)

            // The retry (small enough to fit now) starts on a new line when the last one was cut.
            let retriedRecords = Array(records[retried].prefix(20))
            var retry = LogBatch(records: retriedRecords, attempt: 2)
            try console.write(&retry)
            let expectedRetry = (cutLine ? "\n" : "") + D.expected(retriedRecords, LogfmtFormatter())
            #expect(String(decoding: D.drain(reader), as: UTF8.self) == expectedRetry)

            // Once a write completes, nothing more is prefixed.
            var next = LogBatch(records: Array(records.prefix(2)))
            try console.write(&next)
            #expect(String(decoding: D.drain(reader), as: UTF8.self) == D.expected(Array(records.prefix(2)), LogfmtFormatter()))
        }
    }

    @Test func largeBatchToAFileArrivesComplete() throws {
        try D.withTemporaryFile { descriptor, path in
            let records = D.records(count: 20_000)
            let console = sink(.fileDescriptor(descriptor), formatter: .json)
            var batch = LogBatch(records: records)
            try console.write(&batch)
            var second = LogBatch(records: Array(records.prefix(10)))
            try console.write(&second)
            let contents = try String(contentsOfFile: path, encoding: .utf8)
            #expect(contents == D.expected(records, JSONFormatter()) + D.expected(Array(records.prefix(10)), JSONFormatter()))
        }
    }
}
