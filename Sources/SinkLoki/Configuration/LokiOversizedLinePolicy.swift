/// What happens to a line longer than ``LokiSinkConfiguration/maxLineBytes`` (Loki rejects lines over
/// its `max_line_size`, 256 KB by default).
public struct LokiOversizedLinePolicy: Hashable, Sendable, CustomStringConvertible {
    enum Action: Hashable, Sendable {
        case truncate
        case drop
    }

    let action: Action

    /// Cut the line at a character boundary and end it with ``truncationMarker``. Counted in
    /// ``LokiSinkStatistics/truncatedLines``. The default.
    public static let truncate = LokiOversizedLinePolicy(action: .truncate)

    /// Drop the record, counted under ``AsyncSinks/DropReason/lokiLineTooLong``.
    public static let drop = LokiOversizedLinePolicy(action: .drop)

    /// The text that ends a truncated line: `…[truncated]`.
    public static let truncationMarker = "…[truncated]"

    /// The policy's name: `truncate` or `drop`.
    public var description: String {
        action == .drop ? "drop" : "truncate"
    }
}
