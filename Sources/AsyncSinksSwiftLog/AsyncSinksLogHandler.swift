#if SwiftLog
public import AsyncSinks
public import Logging

/// A swift-log `LogHandler` that logs into a ``AsyncSinks/LogPipeline``.
///
/// Bootstrap swift-log once, at start-up, with the pipeline that owns your sinks:
///
/// ```swift
/// let pipeline = try LogPipeline(sinks: [
///     SinkRegistration("console", sink: ConsoleSink(), configuration: SinkConfiguration(minimumLevel: .info)),
///     SinkRegistration("file", sink: try FileSink(configuration: FileSinkConfiguration(path: "logs/app.log"))),
/// ])
/// LoggingSystem.bootstrap { label in AsyncSinksLogHandler(label: label, pipeline: pipeline) }
/// ```
///
/// Every `Logging.Logger` created afterwards sends its records through the pipeline, which applies
/// each sink's own level, filter, queue and backpressure policy. Close the pipeline before the process
/// exits (or run it as a service with the `ServiceLifecycle` trait) so the last records are written.
///
/// The handler follows swift-log's contract:
/// - It implements `log(event:)`, so the error passed to a logging call is kept on the record.
/// - The time is taken in `log(event:)`, on the caller's thread, and the metadata provider is called
///   there too, before the record leaves the thread, so task-local values such as trace ids are seen.
/// - Metadata is merged in the order handler < provider < call: a key given at the call site wins.
/// - Nested metadata (dictionaries and arrays) is flattened into dotted keys: `["http": ["status": 200]]`
///   becomes `http.status=200`, and `["ids": ["a", "b"]]` becomes `ids.0=a ids.1=b`.
/// - `logLevel` and `metadata` are values: changing them on one logger does not affect another.
/// - `log(event:)` never blocks, unless a sink's policy is `BackpressurePolicy.block` and its queue is full.
public struct AsyncSinksLogHandler: LogHandler {
    /// The pipeline records are submitted to.
    public let pipeline: LogPipeline
    /// The label of the logger this handler belongs to; it becomes the record's label.
    public let label: String
    /// The lowest level this handler logs. Default: the lowest level any of the pipeline's sinks accepts,
    /// so that a logger never evaluates a message no sink would take. Each sink still applies its own level.
    public var logLevel: Logging.Logger.Level
    /// The metadata provider called on every logging call, on the caller's thread. Default: the one
    /// given to `LoggingSystem.bootstrap`, if any.
    public var metadataProvider: Logging.Logger.MetadataProvider?

    /// The metadata attached to every record of this handler.
    public var metadata: Logging.Logger.Metadata {
        didSet { boundFields = Self.bound(metadata) }
    }

    /// The handler's metadata, flattened once when it changes rather than on every call; `nil` when
    /// there is none, so that a call copies nothing for it.
    private var boundFields: LogFields?

    /// Flattens the handler's metadata into fields kept as one array, which every record then
    /// shares (see ``AsyncSinks/LogRecord/boundFields``) instead of building its own.
    private static func bound(_ metadata: Logging.Logger.Metadata) -> LogFields? {
        guard !metadata.isEmpty else { return nil }
        return LogFields(MetadataFlattener.fields(metadata).map { ($0.key, $0.value) })
    }

    /// Creates a handler.
    ///
    /// - Parameters:
    ///   - label: The logger's label.
    ///   - pipeline: The pipeline to submit records to.
    ///   - logLevel: The lowest level logged; `nil` (the default) takes the lowest level any sink accepts.
    ///   - metadata: Metadata attached to every record. Default: none.
    ///   - metadataProvider: The provider called on every logging call. Default: `LoggingSystem.metadataProvider`.
    public init(
        label: String,
        pipeline: LogPipeline,
        logLevel: Logging.Logger.Level? = nil,
        metadata: Logging.Logger.Metadata = [:],
        metadataProvider: Logging.Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.label = label
        self.pipeline = pipeline
        self.logLevel = logLevel ?? pipeline.minimumLevel.swiftLogLevel
        self.metadataProvider = metadataProvider
        self.metadata = metadata
        self.boundFields = Self.bound(metadata)
    }

    /// Gets or sets one metadata value of this handler.
    ///
    /// - Parameter key: The metadata key.
    public subscript(metadataKey key: String) -> Logging.Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Turns the event into a record and submits it to the pipeline, on the caller's thread.
    ///
    /// - Parameter event: The event built by `Logging.Logger`.
    public func log(event: LogEvent) {
        let timestamp = pipeline.clock.wallNow()
        var extra: Logging.Logger.Metadata = metadataProvider?.get() ?? [:]
        if let callMetadata = event.metadata, !callMetadata.isEmpty {
            if extra.isEmpty {
                extra = callMetadata
            } else {
                extra.merge(callMetadata) { _, call in call }
            }
        }
        // A provider or call key replaces a handler key, nested children included: merge first.
        let replacesBound = boundFields != nil && !extra.isEmpty && extra.keys.contains { metadata[$0] != nil }
        let fields: LogFields
        if replacesBound {
            var merged = metadata
            merged.merge(extra) { _, later in later }
            fields = MetadataFlattener.fields(merged)
        } else {
            fields = MetadataFlattener.fields(extra)
        }
        pipeline.submit(LogRecord(
            timestamp: timestamp,
            level: LogLevel(event.level),
            message: event.message.description,
            boundFields: replacesBound ? LogFields() : boundFields ?? LogFields(),
            fields: consume fields,
            label: label,
            file: event.file,
            function: event.function,
            line: event.line,
            error: event.error
        ))
    }
}
#endif
