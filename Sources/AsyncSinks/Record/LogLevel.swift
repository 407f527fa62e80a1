/// The severity of a log record, from the most verbose to the most severe.
///
/// Levels are ordered: `trace < debug < info < notice < warning < error < critical`.
/// The set matches swift-log's, so records cross the bridge without translation.
public enum LogLevel: UInt8, Sendable, Hashable, CaseIterable, Comparable, Codable {
    /// Very fine-grained diagnostics, usually off in production.
    case trace = 0
    /// Diagnostics useful while developing or debugging.
    case debug = 1
    /// Normal operational messages.
    case info = 2
    /// Normal but significant conditions.
    case notice = 3
    /// Conditions that deserve attention but are not errors.
    case warning = 4
    /// Errors that the operation could not recover from.
    case error = 5
    /// Errors that threaten the whole process.
    case critical = 6

    @inlinable
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// The lowercase name used by the formatters and the Loki `level` label (`"info"`, `"warning"`, ...).
    public var name: String {
        staticName.description
    }

    /// ``name`` as a static string, which formatters append without building a `String`. The one
    /// table of level names.
    var staticName: StaticString {
        switch self {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .notice: "notice"
        case .warning: "warning"
        case .error: "error"
        case .critical: "critical"
        }
    }

    /// Parses a level name as written by ``name`` (case-insensitive); also accepts `warn`, `err` and `crit`.
    ///
    /// - Parameter name: The level's name.
    /// - Returns: The level, or `nil` when the name is not a level.
    public init?(name: String) {
        switch name.lowercased() {
        case "trace": self = .trace
        case "debug": self = .debug
        case "info": self = .info
        case "notice": self = .notice
        case "warning", "warn": self = .warning
        case "error", "err": self = .error
        case "critical", "crit": self = .critical
        default: return nil
        }
    }
}
