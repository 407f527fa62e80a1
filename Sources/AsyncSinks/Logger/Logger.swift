/// The value application code logs through.
///
/// A logger carries a label, its own minimum level and bound fields, and logs into a ``LogPipeline``.
/// It is a value: binding fields or changing the level affects only that copy. Logging is a
/// synchronous call usable from any thread or task; it never awaits. When the level is below the
/// logger's level or below every sink's level, the call returns at once and neither the message nor
/// the fields are evaluated.
///
/// ```swift
/// var logger = pipeline.logger(label: "billing")
/// logger.bind(["tenant": "acme"])
/// logger.info("invoice sent", ["invoice": "INV-42", "amount_cents": 129_900])
/// logger.error("charge failed", ["invoice": "INV-43"], error: failure)
/// ```
public struct Logger: Sendable {
    /// The label attached to every record, usually the subsystem's name.
    public let label: String
    /// The lowest level this logger logs.
    public var logLevel: LogLevel
    /// The fields attached to every record. Binding merges them once, not on every call.
    public var fields: LogFields { LogFields(boundPairs) }

    /// The bound fields as one shared array, which every record references instead of copying.
    @usableFromInline
    private(set) var boundPairs: [LogFields.Pair]

    @usableFromInline
    let pipeline: LogPipeline

    init(label: String, level: LogLevel, fields: LogFields, pipeline: LogPipeline) {
        self.label = label
        self.logLevel = level
        self.boundPairs = fields.pairs
        self.pipeline = pipeline
    }

    /// Whether a call at `level` would produce a record.
    ///
    /// - Parameter level: The level to check.
    @inlinable
    public func isEnabled(_ level: LogLevel) -> Bool {
        level >= logLevel && level >= pipeline.minimumLevel
    }

    /// Binds fields to this logger; later calls carry them. A key bound again is replaced.
    ///
    /// - Parameter fields: The fields to bind.
    public mutating func bind(_ fields: LogFields) {
        boundPairs = self.fields.merging(fields).pairs
    }

    /// Returns a copy of this logger with more bound fields.
    ///
    /// - Parameter fields: The fields to bind.
    /// - Returns: The new logger.
    public func with(_ fields: LogFields) -> Logger {
        var copy = self
        copy.bind(fields)
        return copy
    }

    /// Logs a record at `level`.
    ///
    /// - Parameters:
    ///   - level: The record's level.
    ///   - message: The message, evaluated only when the level is enabled.
    ///   - fields: Call-site fields, evaluated only when the level is enabled.
    ///   - error: An error to attach.
    ///   - file: The source file; leave the default.
    ///   - function: The function; leave the default.
    ///   - line: The line; leave the default.
    @inlinable
    public func log(
        level: LogLevel,
        _ message: @autoclosure () -> String,
        _ fields: @autoclosure () -> LogFields = LogFields(),
        error: (any Error)? = nil,
        file: String = #fileID,
        function: String = #function,
        line: UInt = #line
    ) {
        guard level >= logLevel, level >= pipeline.minimumLevel else { return }
        pipeline.log(
            level: level, message: message(), boundPairs: boundPairs, fields: fields(), label: label,
            file: file, function: function, line: line, error: error
        )
    }

    /// Logs at ``LogLevel/trace``. See ``log(level:_:_:error:file:function:line:)``.
    @inlinable
    public func trace(
        _ message: @autoclosure () -> String, _ fields: @autoclosure () -> LogFields = LogFields(),
        error: (any Error)? = nil, file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        log(level: .trace, message(), fields(), error: error, file: file, function: function, line: line)
    }

    /// Logs at ``LogLevel/debug``. See ``log(level:_:_:error:file:function:line:)``.
    @inlinable
    public func debug(
        _ message: @autoclosure () -> String, _ fields: @autoclosure () -> LogFields = LogFields(),
        error: (any Error)? = nil, file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        log(level: .debug, message(), fields(), error: error, file: file, function: function, line: line)
    }

    /// Logs at ``LogLevel/info``. See ``log(level:_:_:error:file:function:line:)``.
    @inlinable
    public func info(
        _ message: @autoclosure () -> String, _ fields: @autoclosure () -> LogFields = LogFields(),
        error: (any Error)? = nil, file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        log(level: .info, message(), fields(), error: error, file: file, function: function, line: line)
    }

    /// Logs at ``LogLevel/notice``. See ``log(level:_:_:error:file:function:line:)``.
    @inlinable
    public func notice(
        _ message: @autoclosure () -> String, _ fields: @autoclosure () -> LogFields = LogFields(),
        error: (any Error)? = nil, file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        log(level: .notice, message(), fields(), error: error, file: file, function: function, line: line)
    }

    /// Logs at ``LogLevel/warning``. See ``log(level:_:_:error:file:function:line:)``.
    @inlinable
    public func warning(
        _ message: @autoclosure () -> String, _ fields: @autoclosure () -> LogFields = LogFields(),
        error: (any Error)? = nil, file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        log(level: .warning, message(), fields(), error: error, file: file, function: function, line: line)
    }

    /// Logs at ``LogLevel/error``. See ``log(level:_:_:error:file:function:line:)``.
    @inlinable
    public func error(
        _ message: @autoclosure () -> String, _ fields: @autoclosure () -> LogFields = LogFields(),
        error: (any Error)? = nil, file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        log(level: .error, message(), fields(), error: error, file: file, function: function, line: line)
    }

    /// Logs at ``LogLevel/critical``. See ``log(level:_:_:error:file:function:line:)``.
    @inlinable
    public func critical(
        _ message: @autoclosure () -> String, _ fields: @autoclosure () -> LogFields = LogFields(),
        error: (any Error)? = nil, file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        log(level: .critical, message(), fields(), error: error, file: file, function: function, line: line)
    }
}
