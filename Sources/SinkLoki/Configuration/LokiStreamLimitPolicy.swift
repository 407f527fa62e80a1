/// What happens to a record that would create a stream beyond ``LokiSinkConfiguration/maxStreams``.
///
/// Each distinct label set is a stream in Loki, and too many streams hurt Loki (5000 active streams
/// per tenant by default). The sink counts the streams it creates and, once the limit is reached,
/// never creates another one for its lifetime.
public struct LokiStreamLimitPolicy: Hashable, Sendable, CustomStringConvertible {
    enum Action: Hashable, Sendable {
        case overflowStream
        case drop
    }

    let action: Action

    /// Send the record in the overflow stream, whose labels are only the static labels; its level and
    /// all its fields go to the line (or structured metadata). Counted in
    /// ``LokiSinkStatistics/overflowEntries``. The default.
    public static let overflowStream = LokiStreamLimitPolicy(action: .overflowStream)

    /// Drop the record, counted under ``AsyncSinks/DropReason/lokiStreamLimit``.
    public static let drop = LokiStreamLimitPolicy(action: .drop)

    /// The policy's name: `overflow stream` or `drop`.
    public var description: String {
        action == .drop ? "drop" : "overflow stream"
    }
}
