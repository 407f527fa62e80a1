/// Callbacks for the file sink's housekeeping events, each given the paths involved.
///
/// Hooks are called without any of the sink's locks held: ``rotated`` and ``reopened`` on the thread
/// that writes (a pipeline worker), the others on the sink's background queue. They should return
/// quickly and must not log through a pipeline that feeds this same sink synchronously.
public struct FileSinkHooks: Sendable {
    /// The active file was rotated: `(activePath, rotatedPath)`. Default: `nil`.
    public var rotated: (@Sendable (_ activePath: String, _ rotatedPath: String) -> Void)?

    /// A rotated file was compressed: `(sourcePath, compressedPath)`; the source is deleted.
    /// Default: `nil`.
    public var compressed: (@Sendable (_ sourcePath: String, _ compressedPath: String) -> Void)?

    /// Compressing a rotated file failed: `(sourcePath, message)`; the source is kept as it is.
    /// Default: `nil`.
    public var compressionFailed: (@Sendable (_ sourcePath: String, _ message: String) -> Void)?

    /// Retention deleted a rotated file: `(path)`. Default: `nil`.
    public var deleted: (@Sendable (_ path: String) -> Void)?

    /// The active file was reopened: `(path, reason)`, after an external rotation or truncation was
    /// detected, a ``FileSink/reopen()`` call, or recovery from a write failure. Default: `nil`.
    public var reopened: (@Sendable (_ path: String, _ reason: String) -> Void)?

    /// Creates hooks; every hook is optional.
    ///
    /// - Parameters:
    ///   - rotated: Called after a rotation.
    ///   - compressed: Called after a compression.
    ///   - compressionFailed: Called when a compression fails.
    ///   - deleted: Called after retention deletes a file.
    ///   - reopened: Called after the active file is reopened.
    public init(
        rotated: (@Sendable (_ activePath: String, _ rotatedPath: String) -> Void)? = nil,
        compressed: (@Sendable (_ sourcePath: String, _ compressedPath: String) -> Void)? = nil,
        compressionFailed: (@Sendable (_ sourcePath: String, _ message: String) -> Void)? = nil,
        deleted: (@Sendable (_ path: String) -> Void)? = nil,
        reopened: (@Sendable (_ path: String, _ reason: String) -> Void)? = nil
    ) {
        self.rotated = rotated
        self.compressed = compressed
        self.compressionFailed = compressionFailed
        self.deleted = deleted
        self.reopened = reopened
    }

    /// No hooks.
    public static let none = FileSinkHooks()
}
