import AsyncSinks

/// One descriptor a ``ConsoleSink`` writes to, with the reused buffer a batch is formatted into and
/// the bookkeeping that maps written bytes back to records.
///
/// Used only under the sink's lock.
final class ConsoleOutput {
    /// A buffer that grew beyond this many bytes is replaced after the batch, so one huge batch does
    /// not pin its memory for the rest of the process.
    static let retainedBufferLimit = 1 << 20

    let descriptor: Int32
    let destination: String
    let formatter: any LogFormatter
    private(set) var buffer = LineBuffer()
    /// The indices in the batch of the records formatted into the buffer, in order.
    private(set) var recordIndices: [Int] = []
    /// The buffer offset where each record's line ends.
    private(set) var lineEnds: [Int] = []
    /// The buffer offset where the first line starts (after a line break that ends a cut-off line).
    private var linesStart = 0
    /// Whether the last write stopped inside a line, so the next one starts with a line break.
    private var endsMidLine = false

    init(descriptor: Int32, formatter: any LogFormatter, usesColors: Bool) {
        self.descriptor = descriptor
        self.destination = ConsoleSink.Stream.name(of: descriptor)
        self.formatter = usesColors ? formatter.colorized() : formatter
    }

    /// Empties the buffer for a new batch.
    func begin() {
        buffer.removeAll()
        recordIndices.removeAll(keepingCapacity: true)
        lineEnds.removeAll(keepingCapacity: true)
        if endsMidLine { buffer.append(UInt8(ascii: "\n")) }
        linesStart = buffer.count
    }

    /// Formats a run of consecutive records of the batch into the buffer, reading each where it lies.
    ///
    /// - Parameters:
    ///   - records: The run of records.
    ///   - firstIndex: The index in the batch of the run's first record.
    func append(_ records: UnsafeBufferPointer<LogRecord>, firstIndex: Int) {
        formatter.format(records, into: buffer, lineEnds: &lineEnds)
        recordIndices.append(contentsOf: firstIndex..<(firstIndex + records.count))
    }

    /// Writes the buffer with one `write(2)` (more only when the descriptor takes it in parts).
    func writeOut(blockedWriteTimeout: Duration, cancellation: CancellationSignal) -> DescriptorWriter.Outcome {
        guard !recordIndices.isEmpty else { return DescriptorWriter.Outcome(bytesWritten: 0) }
        let outcome = buffer.withUnsafeReadableBytes { bytes in
            DescriptorWriter.writeAll(
                bytes,
                to: descriptor,
                destination: destination,
                blockedWriteTimeout: blockedWriteTimeout,
                cancellation: cancellation
            )
        }
        if outcome.error == nil {
            endsMidLine = false
        } else if outcome.bytesWritten > 0 {
            endsMidLine = outcome.bytesWritten != linesStart && !lineEnds.contains(outcome.bytesWritten)
        }
        if buffer.count > Self.retainedBufferLimit { buffer = LineBuffer() }
        return outcome
    }

    /// Reports per-record outcomes after a write, in a batch that is about to be thrown back.
    ///
    /// Records whose whole line went out are written; the record whose line was cut off fails (its
    /// start is on the descriptor, so writing it again would duplicate it); the rest fail with a
    /// permanent error, and stay unmarked with a retryable one so that the pipeline retries them.
    func markOutcomes(_ outcome: DescriptorWriter.Outcome, in batch: inout LogBatch) {
        var lineStart = linesStart
        for (position, index) in recordIndices.enumerated() {
            let lineEnd = lineEnds[position]
            defer { lineStart = lineEnd }
            if lineEnd <= outcome.bytesWritten {
                batch.markWritten(index)
                continue
            }
            guard let error = outcome.error else {
                batch.markWritten(index)
                continue
            }
            if lineStart < outcome.bytesWritten {
                batch.fail(index, error: .permanent("the line was cut short on \(destination): \(error.message)"))
            } else if error.kind == .permanent {
                batch.fail(index, error: error)
            }
        }
    }
}
