/// A configuration the Loki sink cannot work with, reported by ``LokiSink/init(configuration:)``.
///
/// Messages never contain credentials: a URL with a user or password is described without them.
public struct LokiConfigurationError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What is wrong, free of credentials.
    public let message: String

    /// Creates an error.
    ///
    /// - Parameter message: What is wrong, free of credentials.
    public init(_ message: String) {
        self.message = message
    }

    /// `invalid Loki sink configuration: <message>`.
    public var description: String { "invalid Loki sink configuration: \(message)" }
}
