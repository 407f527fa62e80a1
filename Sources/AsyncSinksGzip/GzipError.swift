/// A failure of gzip compression, with a message that says what went wrong.
package struct GzipError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    package var message: String
    /// The zlib status code, or the `errno` value for file errors, when one applies.
    package var code: Int32?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - message: What went wrong.
    ///   - code: The zlib status or `errno`, if any.
    package init(_ message: String, code: Int32? = nil) {
        self.message = message
        self.code = code
    }

    /// A short human-readable description.
    package var description: String {
        if let code { return "\(message) (code \(code))" }
        return message
    }
}
