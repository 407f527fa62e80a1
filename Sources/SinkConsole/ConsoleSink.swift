public import AsyncSinks
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A sink that writes formatted lines to standard output, standard error, both split by level, or a
/// file descriptor.
///
/// Each batch is formatted into a reused buffer per descriptor and written with one `write(2)` per
/// descriptor (more only when the descriptor accepts a partial write), so lines of concurrent loggers
/// never interleave within a batch and the cost of the system call is shared by the whole batch.
///
/// ```swift
/// let console = ConsoleSink(configuration: .init(stream: .splitByLevel(threshold: .warning), formatter: .logfmt))
/// ```
///
/// Errors: a failed write throws a ``AsyncSinks/LogSinkError`` naming the descriptor and the reason.
/// A full disk or quota, `EIO`, and a non-blocking descriptor that stays full for
/// ``Configuration/blockedWriteTimeout`` are retryable; a descriptor that is closed or cannot take
/// writes (`EBADF`, `EPIPE`, `EINVAL`, ...) is permanent. Records whose lines went out before the
/// failure count as written; a line cut off in the middle fails, and the next write starts on a new
/// line. A closed pipe never raises `SIGPIPE` in the process.
///
/// The sink does not own the descriptors: ``close()`` leaves them open and ``flush()`` has nothing to
/// do, since every write goes straight to the operating system.
public final class ConsoleSink: LogSink {
    /// The configuration the sink was created with.
    public let configuration: Configuration

    private let splitThreshold: LogLevel?
    private let primaryUsesColors: Bool
    private let atOrAboveThresholdUsesColors: Bool
    private let outputs: Mutex<Outputs>

    /// The descriptors written to; the second one only when the stream is split by level.
    private struct Outputs {
        var primary: ConsoleOutput
        var atOrAboveThreshold: ConsoleOutput?
    }

    /// Creates a console sink that reads the process environment (`FORCE_COLOR`, `NO_COLOR`, `TERM`)
    /// and asks `isatty` whether each descriptor is a terminal, to decide on colours.
    ///
    /// - Parameter configuration: How and where to write (default ``Configuration/default``).
    public convenience init(configuration: Configuration = .default) {
        var environment: [String: String] = [:]
        for name in ["FORCE_COLOR", "NO_COLOR", "TERM"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        self.init(configuration: configuration, environment: environment, isTerminal: { isatty($0) == 1 })
    }

    /// Creates a console sink with an explicit environment, for tests and for programs that decide
    /// about colours themselves.
    ///
    /// - Parameters:
    ///   - configuration: How and where to write.
    ///   - environment: The variables ``ColorPolicy/automatic`` reads (`FORCE_COLOR`, `NO_COLOR`, `TERM`).
    ///   - isTerminal: Tells whether a descriptor is a terminal; called once per descriptor, now.
    public init(configuration: Configuration, environment: [String: String], isTerminal: (Int32) -> Bool) {
        self.configuration = configuration
        let stream = configuration.stream
        let primaryColors = configuration.colors.usesColors(isTerminal: isTerminal(stream.primaryDescriptor), environment: environment)
        let split = stream.split.map { split in
            (threshold: split.threshold, descriptor: split.descriptor,
             usesColors: configuration.colors.usesColors(isTerminal: isTerminal(split.descriptor), environment: environment))
        }
        self.splitThreshold = split?.threshold
        self.primaryUsesColors = primaryColors
        self.atOrAboveThresholdUsesColors = split?.usesColors ?? primaryColors
        self.outputs = Mutex(Self.makeOutputs(
            formatter: configuration.formatter,
            primary: (stream.primaryDescriptor, primaryColors),
            atOrAboveThreshold: split.map { ($0.descriptor, $0.usesColors) }
        ))
    }

    private static func makeOutputs(
        formatter: any LogFormatter,
        primary: (descriptor: Int32, usesColors: Bool),
        atOrAboveThreshold: (descriptor: Int32, usesColors: Bool)?
    ) -> sending Outputs {
        Outputs(
            primary: ConsoleOutput(descriptor: primary.descriptor, formatter: formatter, usesColors: primary.usesColors),
            atOrAboveThreshold: atOrAboveThreshold.map {
                ConsoleOutput(descriptor: $0.descriptor, formatter: formatter, usesColors: $0.usesColors)
            }
        )
    }

    /// Whether lines written for records at `level` are coloured, as decided when the sink was created.
    ///
    /// - Parameter level: A record level (it matters only when the stream is split by level).
    /// - Returns: Whether the descriptor for that level gets colours.
    public func usesColors(for level: LogLevel) -> Bool {
        if let threshold = splitThreshold, level >= threshold { return atOrAboveThresholdUsesColors }
        return primaryUsesColors
    }

    /// Formats the batch and writes it with one `write(2)` per descriptor.
    ///
    /// - Parameter batch: The records; on failure, records already on the descriptor are marked written.
    /// - Throws: ``AsyncSinks/LogSinkError``, retryable or permanent as described on ``ConsoleSink``.
    public func write(_ batch: inout LogBatch) throws {
        try outputs.withLock { (outputs: inout Outputs) throws(LogSinkError) in
            try Self.write(&batch, to: outputs, splitThreshold: splitThreshold, blockedWriteTimeout: configuration.blockedWriteTimeout)
        }
    }

    private static func write(_ batch: inout LogBatch, to outputs: Outputs, splitThreshold: LogLevel?, blockedWriteTimeout: Duration) throws(LogSinkError) {
        let primary = outputs.primary
        let upper = outputs.atOrAboveThreshold
        primary.begin()
        upper?.begin()
        // Runs of consecutive records bound for the same descriptor, each record read where it lies
        // (the whole batch is one run unless the sink splits by level): a record passed on from the
        // array by value is copied, with a retain and a release of every string and field it holds.
        batch.records.withUnsafeBufferPointer { records in
            func destination(of index: Int) -> ConsoleOutput {
                guard let threshold = splitThreshold, let upper, records[index].level >= threshold else { return primary }
                return upper
            }
            var runStart = 0
            while runStart < records.count {
                let output = destination(of: runStart)
                var runEnd = runStart + 1
                while runEnd < records.count, destination(of: runEnd) === output { runEnd += 1 }
                output.append(UnsafeBufferPointer(rebasing: records[runStart..<runEnd]), firstIndex: runStart)
                runStart = runEnd
            }
        }

        let primaryOutcome = primary.writeOut(blockedWriteTimeout: blockedWriteTimeout, cancellation: batch.cancellation)
        let upperOutcome = upper?.writeOut(blockedWriteTimeout: blockedWriteTimeout, cancellation: batch.cancellation)
        batch.bytesWritten = primaryOutcome.bytesWritten + (upperOutcome?.bytesWritten ?? 0)

        let errors = [primaryOutcome.error, upperOutcome?.error].compactMap { $0 }
        guard !errors.isEmpty else { return }
        primary.markOutcomes(primaryOutcome, in: &batch)
        if let upper, let upperOutcome { upper.markOutcomes(upperOutcome, in: &batch) }
        // Retryable first: the unmarked records are those that may still go out.
        throw errors.first(where: { $0.kind == .retryable }) ?? errors[0]
    }
}
