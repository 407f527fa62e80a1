/// Why a ``LogPipeline`` could not be created.
public struct PipelineError: Error, Sendable, CustomStringConvertible {
    /// What was wrong.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameter message: What was wrong.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { "pipeline configuration error: \(message)" }
}
