/// A bad command-line argument, with a message that says what was expected.
public struct LoadOptionsError: Error, Equatable, CustomStringConvertible {
    /// What was wrong.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameter message: What was wrong.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
