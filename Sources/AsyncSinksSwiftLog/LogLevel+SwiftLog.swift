#if SwiftLog
public import AsyncSinks
public import Logging

extension LogLevel {
    /// The AsyncSinks level of a swift-log level; the two sets match one to one.
    ///
    /// - Parameter level: The swift-log level.
    public init(_ level: Logging.Logger.Level) {
        switch level {
        case .trace: self = .trace
        case .debug: self = .debug
        case .info: self = .info
        case .notice: self = .notice
        case .warning: self = .warning
        case .error: self = .error
        case .critical: self = .critical
        }
    }

    /// The swift-log level of this level.
    public var swiftLogLevel: Logging.Logger.Level {
        switch self {
        case .trace: .trace
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }
}
#endif
