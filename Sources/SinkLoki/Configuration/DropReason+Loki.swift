public import AsyncSinks

extension DropReason {
    /// `line_too_long`: the line was longer than ``LokiSinkConfiguration/maxLineBytes`` and the
    /// policy is ``LokiOversizedLinePolicy/drop``.
    public static let lokiLineTooLong = DropReason("line_too_long")

    /// `too_old`: the record's timestamp is older than ``LokiSinkConfiguration/maxEntryAge``; Loki
    /// would reject it.
    public static let lokiTooOld = DropReason("too_old")

    /// `too_far_in_future`: the record's timestamp is further ahead than
    /// ``LokiSinkConfiguration/maxFutureSkew``; Loki would reject it.
    public static let lokiTooFarInFuture = DropReason("too_far_in_future")

    /// `stream_limit`: the record would have created a stream beyond
    /// ``LokiSinkConfiguration/maxStreams`` and the policy is ``LokiStreamLimitPolicy/drop``.
    public static let lokiStreamLimit = DropReason("stream_limit")

    /// `server_discarded`: Loki answered status 260: ingestion is blocked by its configuration and
    /// the entries were discarded.
    public static let lokiServerDiscarded = DropReason("server_discarded")
}
