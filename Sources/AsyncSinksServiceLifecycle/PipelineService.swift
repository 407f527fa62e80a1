#if ServiceLifecycle
public import AsyncSinks
import Dispatch
public import ServiceLifecycle

/// A ``AsyncSinks/LogPipeline`` as a swift-service-lifecycle `Service`: it runs until graceful
/// shutdown (or cancellation), then closes the pipeline within a deadline so the last records are
/// written.
///
/// Put it first in the service group: the group shuts services down in reverse order, so the
/// pipeline is closed after every service that logs.
///
/// ```swift
/// let logging = PipelineService(pipeline: pipeline)
/// let group = ServiceGroup(
///     configuration: ServiceGroupConfiguration(
///         services: [.init(service: logging), .init(service: server)],
///         gracefulShutdownSignals: [.sigterm, .sigint],
///         logger: logger
///     )
/// )
/// try await group.run()
/// ```
public struct PipelineService: Service, CustomStringConvertible {
    /// The pipeline the service closes.
    public let pipeline: LogPipeline
    /// The service's configuration.
    public let configuration: Configuration

    /// Creates the service.
    ///
    /// - Parameters:
    ///   - pipeline: The pipeline to close at shutdown.
    ///   - configuration: The close deadline and report callback.
    public init(pipeline: LogPipeline, configuration: Configuration = .default) {
        self.pipeline = pipeline
        self.configuration = configuration
    }

    /// Waits for graceful shutdown or cancellation, then closes the pipeline within the deadline.
    ///
    /// Closing blocks a thread until the sinks are drained, so it runs on a dispatch queue, not on the
    /// task's executor. It returns normally in both cases; the close report goes to
    /// ``Configuration/onClose``.
    public func run() async throws {
        // Returns on graceful shutdown; throws on cancellation. Both end in closing the pipeline.
        try? await gracefulShutdown()
        let report = await close()
        configuration.onClose?(report)
    }

    /// Closes the pipeline off the cooperative thread pool.
    private func close() async -> CloseReport {
        let pipeline = pipeline
        let deadline = ContinuousClock.now + configuration.closeTimeout
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: pipeline.close(deadline: deadline))
            }
        }
    }

    /// `PipelineService(sinks: ...)`, as shown in the service group's logs.
    public var description: String {
        "PipelineService(sinks: \(pipeline.sinkNames.joined(separator: ",")))"
    }
}
#endif
