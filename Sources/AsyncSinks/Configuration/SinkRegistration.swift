/// A sink together with its name and configuration, as given to a ``LogPipeline``.
public struct SinkRegistration: Sendable {
    /// The sink's name in hooks, stats and reports; unique within a pipeline.
    public var name: String
    /// The sink.
    public var sink: any LogSink
    /// How the pipeline feeds the sink.
    public var configuration: SinkConfiguration

    /// Registers a sink.
    ///
    /// - Parameters:
    ///   - name: A unique name, such as `"console"` or `"loki"`.
    ///   - sink: The sink.
    ///   - configuration: How the pipeline feeds it.
    public init(_ name: String, sink: any LogSink, configuration: SinkConfiguration = .default) {
        self.name = name
        self.sink = sink
        self.configuration = configuration
    }
}
