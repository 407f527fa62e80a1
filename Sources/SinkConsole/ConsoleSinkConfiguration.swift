public import AsyncSinks

extension ConsoleSink {
    /// How a ``ConsoleSink`` writes.
    public struct Configuration: Sendable {
        /// Where records go. Default: ``Stream/standardError``, which keeps standard output free for
        /// the program's own output.
        public var stream: Stream
        /// How each record is turned into a line. Default: `.text` (``AsyncSinks/TextFormatter``).
        public var formatter: any LogFormatter
        /// Whether lines are coloured, decided once per descriptor when the sink is created; colours use
        /// the formatter's ``AsyncSinks/LogFormatter/colorized()`` variant. Default: ``ColorPolicy/automatic``.
        public var colors: ColorPolicy
        /// How long a write waits for a non-blocking descriptor that is full (a pipe read too slowly)
        /// before giving up with a retryable error, so the pipeline retries the rest of the batch later.
        /// Default: one second.
        public var blockedWriteTimeout: Duration

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - stream: Where records go (default ``Stream/standardError``).
        ///   - formatter: How records become lines (default `.text`).
        ///   - colors: Whether lines are coloured (default ``ColorPolicy/automatic``).
        ///   - blockedWriteTimeout: How long to wait for a full non-blocking descriptor (default 1 s).
        public init(
            stream: Stream = .standardError,
            formatter: any LogFormatter = .text,
            colors: ColorPolicy = .automatic,
            blockedWriteTimeout: Duration = .seconds(1)
        ) {
            self.stream = stream
            self.formatter = formatter
            self.colors = colors
            self.blockedWriteTimeout = blockedWriteTimeout
        }

        /// Text lines to standard error, coloured on terminals.
        public static let `default` = Configuration()
    }
}
